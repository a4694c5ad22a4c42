// The door every action surface passes through: one Bolt middleware, before any listener, that asks the
// overload check (usecases/overload-refusal.ts) about each request that can lead to a WhatsApp action.
// Admitted, the request carries a ticket in its context, and running an action needs that ticket; refused,
// the request is answered here, in the way its surface allows, and no listener runs (or, for a Slack
// reaction, its listener gets the refusal to tell, if the reaction was to be sent at all).
import type { AllMiddlewareArgs, AnyMiddlewareArgs, Context, Middleware } from "@slack/bolt";
import type { OverloadedError } from "../errors.js";
import type { Admission, AdmissionTicket } from "../usecases/overload-refusal.js";
import { describeError } from "./blocks/error-messages.js";
import { errorMessage } from "./blocks/messages.js";
import { outcomeModal } from "./blocks/outcome-modal.js";
import type { Deliverer } from "./deliver.js";
import { ActionId, BlockId, COMMAND, ShortcutId, ViewId } from "./ids.js";

type Args = AnyMiddlewareArgs & AllMiddlewareArgs;

type Body = {
  type?: string;
  command?: string;
  text?: string;
  user_id?: string;
  channel_id?: string;
  response_url?: string;
  callback_id?: string;
  user?: { id?: string };
  channel?: { id?: string };
  view?: { id?: string; callback_id?: string };
  actions?: { action_id?: string }[];
  event?: { type?: string };
};

/** `/wa` subcommands that act on WhatsApp (the others only read or open a form). */
const ACTING_SUBCOMMANDS = new Set(["react", "unreact", "vote"]);
const SHORTCUTS: ReadonlySet<string> = new Set(Object.values(ShortcutId));
/** Action modals, and the field a refusal is shown under (the input stays in the form). */
const SUBMISSION_FIELDS: Readonly<Record<string, string>> = {
  [ViewId.react]: BlockId.emoji,
  [ViewId.vote]: BlockId.options,
};
const QUICK_REACTION_PREFIX = `${ActionId.quickReaction}:`;

interface ActionSurface {
  name: string;
  matches(body: Body): boolean;
  /**
   * Answers a refused request. Absent, the refusal goes to the listener (admissionOf), for a surface whose
   * listener must first find out whether the request acts at all (a reaction in Slack is only sent to
   * WhatsApp on a mirrored message of a link with --reactions).
   */
  refuse?: (args: Args, error: OverloadedError, deliver: Deliverer) => Promise<void>;
}

function ackOf(args: Args): ((response?: unknown) => Promise<void>) | undefined {
  return "ack" in args && typeof args.ack === "function"
    ? (args.ack as (r?: unknown) => Promise<void>)
    : undefined;
}

/** Acknowledged, then told to the one who clicked, through the payload's response_url. */
async function refuseToItsUser(args: Args, error: OverloadedError, deliver: Deliverer): Promise<void> {
  await ackOf(args)?.();
  const b = args.body as Body;
  await deliver.ephemeral(
    args.client,
    { userId: b.user?.id ?? "", channelId: b.channel?.id, responseUrl: b.response_url },
    errorMessage(error),
  );
}

/**
 * Every surface that can act on WhatsApp. A new one (a button, an event) is added here, or the listener
 * behind it cannot get the ticket it needs to act.
 */
export const ACTION_SURFACES: readonly ActionSurface[] = [
  {
    name: "slash command",
    matches: (b) =>
      b.command === COMMAND &&
      ACTING_SUBCOMMANDS.has((b.text ?? "").trim().split(/\s+/u)[0]?.toLowerCase() ?? ""),
    refuse: async (args, error) => {
      await ackOf(args)?.(errorMessage(error));
    },
  },
  {
    name: "message shortcut",
    matches: (b) => b.type === "message_action" && SHORTCUTS.has(b.callback_id ?? ""),
    refuse: refuseToItsUser,
  },
  {
    name: "modal submission",
    matches: (b) =>
      b.type === "view_submission" && Object.hasOwn(SUBMISSION_FIELDS, b.view?.callback_id ?? ""),
    refuse: async (args, error) => {
      const field = SUBMISSION_FIELDS[(args.body as Body).view?.callback_id ?? ""] ?? BlockId.emoji;
      await ackOf(args)?.({ response_action: "errors", errors: { [field]: describeError(error).summary } });
    },
  },
  {
    // Opens the poll-vote modal, like the wa_vote shortcut: refused alike, before the user fills it in.
    name: "Vote button on a mirrored poll",
    matches: (b) =>
      b.type === "block_actions" && (b.actions ?? []).some((a) => a.action_id === ActionId.openPollVote),
    refuse: refuseToItsUser,
  },
  {
    // Events are acknowledged by Bolt itself; the listener tells the user, if the reaction was to be sent.
    name: "Slack reaction on a mirrored message",
    matches: (b) =>
      b.type === "event_callback" &&
      (b.event?.type === "reaction_added" || b.event?.type === "reaction_removed"),
  },
  {
    name: "quick reaction",
    matches: (b) =>
      b.type === "block_actions" &&
      (b.actions ?? []).some((a) => a.action_id?.startsWith(QUICK_REACTION_PREFIX)),
    refuse: async (args, error) => {
      await ackOf(args)?.();
      const viewId = (args.body as Body).view?.id;
      if (viewId) {
        await args.client.views.update({
          view_id: viewId,
          view: outcomeModal("WhatsApp reaction", errorMessage(error)),
        });
      }
    },
  },
];

const TICKET_KEY = "waAdmissionTicket";
const REFUSAL_KEY = "waAdmissionRefusal";

/** For a surface whose listener answers a refusal itself: the ticket, or the refusal to tell the user. */
export function admissionOf(context: Context): { ticket: AdmissionTicket } | { refusal: OverloadedError } {
  const refusal = context[REFUSAL_KEY] as OverloadedError | undefined;
  return refusal === undefined ? { ticket: ticketOf(context) } : { refusal };
}

/** The ticket the door gave this request; throws when the surface never passed the door (a bug). */
export function ticketOf(context: Context): AdmissionTicket {
  const ticket = context[TICKET_KEY] as AdmissionTicket | undefined;
  if (ticket === undefined) {
    throw new Error("An action was attempted from a Slack surface that does not pass the overload check");
  }
  return ticket;
}

export function createAdmissionMiddleware(deps: {
  admission: Admission;
  deliver: Deliverer;
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Body;
    const surface = ACTION_SURFACES.find((s) => s.matches(body));
    if (surface === undefined) {
      await args.next();
      return;
    }
    const decision = deps.admission.admit();
    if ("code" in decision) {
      if (surface.refuse) {
        await surface.refuse(args, decision, deps.deliver);
        return;
      }
      args.context[REFUSAL_KEY] = decision;
      await args.next();
      return;
    }
    args.context[TICKET_KEY] = decision;
    await args.next();
  };
}
