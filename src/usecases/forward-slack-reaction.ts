// Slack reactions on a mirrored message of a link with `--reactions` go to WhatsApp as the account's one
// reaction: WhatsApp allows one per person and message, so the account holds the latest Slack reaction
// still on the message; when that one is removed it moves to the one before, or goes.
import { normalizeEmoji } from "../domain/emoji.js";
import type { Action } from "../domain/types.js";
import { UserInputError } from "../errors.js";
import type { MirroredMessage } from "../store/mirror-port.js";
import type { Store } from "../store/port.js";
import type { AdmissionTicket } from "./overload-refusal.js";
import type { ActionOutcome, ActionRunner } from "./run-action.js";

export interface SlackReactionChange {
  workspaceId: string;
  userId: string;
  channelId: string;
  /** The reacted-to message's ts. */
  ts: string;
  /** Slack's name, without colons. */
  name: string;
  added: boolean;
  /** The Events API's `event_id`: a retried delivery has the same one. */
  eventId: string;
  at: Date;
}

export type ForwardResult =
  | { kind: "ignored"; reason: string }
  /** A custom workspace emoji: WhatsApp has no such emoji. */
  | { kind: "custom_emoji"; name: string }
  /** The account's WhatsApp reaction stays what it was. */
  | { kind: "unchanged" }
  | { kind: "sent"; outcome: ActionOutcome };

export interface SlackReactions {
  forward(ticket: AdmissionTicket, change: SlackReactionChange): Promise<ForwardResult>;
  /** Whether a reaction there would be sent to WhatsApp (to tell its user when it cannot be now). */
  wouldForward(change: Pick<SlackReactionChange, "workspaceId" | "channelId" | "ts">): Promise<boolean>;
}

/** The Unicode emoji for a Slack reaction name, or undefined for a custom one. */
function emojiOf(name: string): string | undefined {
  try {
    return normalizeEmoji(`:${name}:`);
  } catch (error) {
    if (error instanceof UserInputError) return undefined;
    throw error;
  }
}

export function createSlackReactionForwarder(deps: {
  store: Pick<
    Store,
    | "markSlackEventSeen"
    | "findMirroredBySlack"
    | "getLink"
    | "addSlackReaction"
    | "removeSlackReaction"
    | "listSlackReactions"
  >;
  runAction: ActionRunner;
}): SlackReactions {
  /** The emoji the account should hold: the latest Slack reaction that is a real emoji. */
  async function wanted(messageId: number): Promise<string | undefined> {
    const reactions = await deps.store.listSlackReactions(messageId);
    for (let i = reactions.length - 1; i >= 0; i--) {
      const emoji = emojiOf(reactions[i]?.name ?? "");
      if (emoji !== undefined) return emoji;
    }
    return undefined;
  }

  /** The mirrored message and whether its chat's link sends reactions. */
  async function forwarded(change: Pick<SlackReactionChange, "workspaceId" | "channelId" | "ts">) {
    const mapped = await deps.store.findMirroredBySlack(change.workspaceId, change.channelId, change.ts);
    if (mapped === undefined) return undefined;
    const link = await deps.store.getLink({
      workspaceId: change.workspaceId,
      sessionId: mapped.sessionId,
      chatJid: mapped.chatJid,
    });
    return link?.sendReactions ? mapped : undefined;
  }

  // One message's reactions are worked out one change at a time (in this process): two changes at once
  // would each read the other's half-written state and could send the wrong reaction.
  const inTurn = new Map<number, Promise<unknown>>();
  function oneAtATime<T>(messageId: number, work: () => Promise<T>): Promise<T> {
    const run = (inTurn.get(messageId) ?? Promise.resolve()).then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    inTurn.set(messageId, settled);
    void settled.then(() => {
      if (inTurn.get(messageId) === settled) inTurn.delete(messageId);
    });
    return run;
  }

  async function forward(ticket: AdmissionTicket, change: SlackReactionChange): Promise<ForwardResult> {
    const mapped = await forwarded(change);
    if (mapped === undefined) {
      return { kind: "ignored", reason: "not a mirrored message of a link that sends reactions" };
    }
    return oneAtATime(mapped.id, () => forwardOn(ticket, change, mapped));
  }

  async function forwardOn(
    ticket: AdmissionTicket,
    change: SlackReactionChange,
    mapped: MirroredMessage,
  ): Promise<ForwardResult> {
    // Slack retries an event it thinks was not received: the second delivery changes nothing.
    if (!(await deps.store.markSlackEventSeen(change.eventId, change.at)))
      return { kind: "ignored", reason: "a retried event" };

    const before = await wanted(mapped.id);
    if (change.added)
      await deps.store.addSlackReaction(mapped.id, {
        userId: change.userId,
        name: change.name,
        at: change.at,
      });
    else await deps.store.removeSlackReaction(mapped.id, change.userId, change.name);
    if (change.added && emojiOf(change.name) === undefined)
      return { kind: "custom_emoji", name: change.name };
    const after = await wanted(mapped.id);
    if (after === before) return { kind: "unchanged" };

    const action: Action = after === undefined ? { op: "unreact" } : { op: "react", emoji: after };
    const outcome = await deps.runAction(ticket, {
      workspaceId: change.workspaceId,
      userId: change.userId,
      target: {
        sessionId: mapped.sessionId,
        chat: mapped.chatJid,
        messageId: mapped.waMessageId,
        sender: mapped.sender,
      },
      action,
    });
    if (!outcome.ok) {
      // Not on WhatsApp: the account's reaction is still the one before, so the next change must be
      // worked out from that. The Slack reaction itself stays in Slack; its author is told it failed.
      if (change.added) await deps.store.removeSlackReaction(mapped.id, change.userId, change.name);
      else
        await deps.store.addSlackReaction(mapped.id, {
          userId: change.userId,
          name: change.name,
          at: change.at,
        });
    }
    return { kind: "sent", outcome };
  }

  return { forward, wouldForward: async (change) => (await forwarded(change)) !== undefined };
}
