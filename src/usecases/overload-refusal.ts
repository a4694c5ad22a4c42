// Overload refused at the door. When more acknowledged work is in progress than the app can finish soon,
// a new action is refused in its own ack, where telling the user costs nothing, instead of being
// acknowledged and queued behind seconds of other work: every queued action holds its whole request in
// memory until it is done (bench/findings.md: 540 MB after ten seconds of overload without this).
import { OverloadedError } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * Requests and actions in progress (see in-flight.ts) beyond which new actions are refused. A burst of
 * 1,000 commands at once still gets in (it is done in about 1.3 s with a fast gateway); a sustained flood
 * stops here, about 2 s of work, which bounds its memory (about 320 MB at most, bench/REPORT.md). With a
 * slow gateway the per-workspace queues (fair-limiter.ts) refuse first.
 */
export const MAX_WORK_IN_PROGRESS = 1500;

declare const admitted: unique symbol;
/**
 * Proof that an action passed the door. Only `admit()` makes one, and running an action takes one
 * (run-action.ts), so no surface can act without having been through the overload check.
 */
export type AdmissionTicket = { readonly [admitted]: true };

export interface Admission {
  /** A ticket when a new action may start; otherwise the error to answer it with. */
  admit(): AdmissionTicket | OverloadedError;
}

export function createAdmission(options: {
  inProgress: () => number;
  limit?: number | undefined;
  logger: Logger;
}): Admission {
  const limit = options.limit ?? MAX_WORK_IN_PROGRESS;
  const ticket = Object.freeze({}) as AdmissionTicket;
  // One line when refusing starts and one when it ends, not one per refused request.
  let refusedSinceLastAdmit = 0;
  return {
    admit() {
      const inProgress = options.inProgress();
      if (inProgress < limit) {
        if (refusedSinceLastAdmit > 0) {
          options.logger.warn(
            { refused: refusedSinceLastAdmit, inProgress, limit },
            "overload over: accepting new actions again",
          );
          refusedSinceLastAdmit = 0;
        }
        return ticket;
      }
      if (refusedSinceLastAdmit === 0) {
        options.logger.warn(
          { inProgress, limit },
          "overloaded: new actions are refused in their ack until work in progress falls below the limit",
        );
      }
      refusedSinceLastAdmit += 1;
      return new OverloadedError(
        `Refused at the door: ${inProgress} requests and actions in progress (limit ${limit})`,
      );
    },
  };
}
