// Works through one chat's pending events, oldest event id first, one at a time: the only place that
// routes by event kind. Each event ends done, skipped (deliberately not mirrored) or parked (it cannot
// be mirrored; it never blocks the chat behind it). Slack being unavailable, or the store, ends the run
// with the event still pending, and the queue runs the chat again later (mirror/queue/).
import { excerpt } from "../../domain/excerpt.js";
import type { Logger } from "../../logger.js";
import type { ChatKey, InboxEvent, LinkRecord } from "../../store/mirror-port.js";
import type { Store } from "../../store/port.js";
import { classifyEvent, type GatewayEvent } from "../events/classify.js";
import { parseEnvelope } from "../events/envelope.js";
import { PostFailure, type SlackPoster } from "../post/slack-poster.js";
import { applyEdit, applyRevoke } from "./apply-change.js";
import { mirrorMessage } from "./mirror-message.js";

/** Events read per store round trip; the run goes on until none is pending. */
const BATCH = 50;
/** An event that keeps failing for reasons nobody named is parked after this many attempts. */
export const MAX_UNEXPLAINED_FAILURES = 3;

export type EventOutcome =
  | { state: "done" }
  | { state: "skipped"; note: string }
  | { state: "parked"; note: string }
  /** Finished already, in the same transaction as its effect (recordMirrored, updateMirroredContent). */
  | { state: "finished" };

export interface ProcessDeps {
  store: Store;
  poster: SlackPoster;
  logger: Logger;
  clock?: () => number;
}

export interface EventContext {
  deps: ProcessDeps;
  key: ChatKey;
  link: LinkRecord;
  event: InboxEvent;
}

/** Why a link stopped: shown on the Home tab and in `/wa links` until the channel is linked again. */
function pausedReasonOf(failure: PostFailure): string {
  return failure.slackCode ?? "channel_unavailable";
}

export function createChatProcessor(deps: ProcessDeps): (key: ChatKey) => Promise<void> {
  const log = deps.logger.child({ component: "mirror" });

  async function route(ctx: EventContext, classified: GatewayEvent): Promise<EventOutcome> {
    switch (classified.kind) {
      case "ignored":
        return { state: "skipped", note: classified.reason };
      case "message":
        return mirrorMessage(ctx, classified);
      case "edit":
        return applyEdit(ctx, classified);
      case "revoke":
        return applyRevoke(ctx, classified);
      case "reaction":
      case "poll_vote":
      case "poll_recap":
        return {
          state: "skipped",
          note: `${classified.kind} events are shown from the live reactions and polls`,
        };
    }
  }

  async function processOne(ctx: EventContext): Promise<EventOutcome> {
    const parsed = parseEnvelope(ctx.event.envelope);
    if (!parsed.ok) return { state: "parked", note: `not a gateway event: ${parsed.problem}` };
    return route(ctx, classifyEvent(parsed.envelope));
  }

  /** Returns false when the chat must stop for now (its channel is unavailable). */
  async function handle(key: ChatKey, link: LinkRecord, event: InboxEvent): Promise<boolean> {
    const ctx: EventContext = { deps, key, link, event };
    let outcome: EventOutcome;
    try {
      outcome = await processOne(ctx);
    } catch (error) {
      if (error instanceof PostFailure && error.kind === "channel_unavailable") {
        const reason = pausedReasonOf(error);
        await deps.store.setChannelPaused(key.workspaceId, link.channelId, reason);
        log.warn(
          { team: key.workspaceId, channel: link.channelId, reason },
          "the app can no longer post in a linked channel: mirroring into it is paused until it is linked again",
        );
        return false;
      }
      if (error instanceof PostFailure && error.kind === "rejected") {
        outcome = { state: "parked", note: `Slack refused it: ${error.slackCode ?? error.message}` };
      } else if (error instanceof PostFailure) {
        // Slack is rate limiting or failing: nothing is wrong with the event. The queue tries again later.
        throw error;
      } else if (isStoreError(error)) {
        throw error;
      } else {
        // Not a failure anybody named: retried a few times (it may pass), then parked, never forever.
        const attempts = event.attempts + 1;
        const text = excerpt(error instanceof Error ? error.message : String(error), 300);
        if (attempts >= MAX_UNEXPLAINED_FAILURES) {
          outcome = { state: "parked", note: `failed ${attempts} times: ${text}` };
        } else {
          await deps.store.recordEventFailure(event.id, text);
          throw error;
        }
      }
    }
    if (outcome.state === "finished") return true;
    await deps.store.finishEvent(
      event.id,
      outcome.state,
      outcome.state === "done" ? undefined : outcome.note,
    );
    if (outcome.state === "parked") {
      log.error(
        { team: key.workspaceId, event: event.eventId, type: event.eventType, note: outcome.note },
        "a gateway event was set aside: it cannot be mirrored",
      );
    } else if (outcome.state === "skipped") {
      log.debug(
        { team: key.workspaceId, event: event.eventId, note: outcome.note },
        "gateway event not mirrored",
      );
    }
    return true;
  }

  return async function processChat(key) {
    for (;;) {
      const events = await deps.store.pendingEvents(key, BATCH);
      if (events.length === 0) return;
      const link = await deps.store.getLink(key);
      for (const event of events) {
        if (link === undefined) {
          // Unlinked after the event arrived: nothing to mirror it into.
          await deps.store.finishEvent(event.id, "skipped", "the chat is no longer linked");
          continue;
        }
        // A paused link keeps its events pending: nothing is lost while the app is out of the channel.
        if (link.pausedReason !== null) return;
        if (!(await handle(key, link, event))) return;
      }
    }
  };
}

function isStoreError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "store_unavailable" || code === "store_conflict";
}
