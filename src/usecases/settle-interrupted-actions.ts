// An action is written to the audit log as pending before the gateway is called (run-action.ts). If the
// process dies during the call, nobody settles it: this sweep settles such entries as "outcome unknown",
// at start and then now and then. An entry is only taken once it is older than any live action can be,
// so another instance's action in progress (PostgreSQL) is never touched; with SQLite the app is the only
// process, so at start every pending entry belongs to a process that is gone.
import type { Logger } from "../logger.js";
import type { Store } from "../store/port.js";

/** Far longer than an action lives: its queue wait in the fair limiter plus the gateway deadline. */
export const INTERRUPTED_AFTER_MS = 15 * 60_000;
const SWEEP_EVERY_MS = 5 * 60_000;
export const OUTCOME_UNKNOWN = "outcome_unknown";

export interface InterruptedActionSweeper {
  /** Settles what can be settled now; returns how many entries it settled. */
  sweep(options?: { atStart?: boolean }): Promise<number>;
  stop(): void;
}

export function startInterruptedActionSweeper(deps: {
  store: Pick<Store, "settleStalePendingAudit" | "kind">;
  logger: Logger;
  clock?: () => number;
}): InterruptedActionSweeper {
  const clock = deps.clock ?? Date.now;
  async function sweep(options: { atStart?: boolean } = {}): Promise<number> {
    const onlyProcess = options.atStart === true && deps.store.kind === "sqlite";
    const before = new Date(onlyProcess ? clock() : clock() - INTERRUPTED_AFTER_MS);
    const settled = await deps.store.settleStalePendingAudit(before, {
      ok: false,
      errorCode: OUTCOME_UNKNOWN,
    });
    if (settled > 0) {
      deps.logger.warn(
        { settled, before: before.toISOString() },
        "settled audit entries left pending by an interrupted process as outcome unknown",
      );
    }
    return settled;
  }
  const timer = setInterval(() => {
    sweep().catch((error: unknown) =>
      deps.logger.warn({ err: error }, "could not settle interrupted actions"),
    );
  }, SWEEP_EVERY_MS);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
