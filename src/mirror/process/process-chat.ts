// Works through one chat's pending events, oldest event id first, one at a time: the only place that
// routes by event kind. Each event ends done, skipped (deliberately not mirrored) or parked (it cannot
// be mirrored; it never blocks the chat behind it). Slack being unavailable, or the store, ends the run
// with the event still pending, and the queue runs the chat again later (mirror/queue/).
//
// Reactions and votes change stored state at once but the Slack message showing it only once per run
// ("deferred"): a burst of votes on a poll is one chat.update, and the events are finished only after it
// landed, so the final state always does.
import { excerpt } from "../../domain/excerpt.js";
import type { Logger } from "../../logger.js";
import type { ChatKey, InboxEvent, LinkRecord, MirroredMessage } from "../../store/mirror-port.js";
import type { Store } from "../../store/port.js";
import { classifyEvent, type GatewayEvent } from "../events/classify.js";
import { parseEnvelope } from "../events/envelope.js";
import { PostFailure, type SlackPoster } from "../post/slack-poster.js";
import type { ProcessChat } from "../queue/chat-queue.js";
import type { MirrorContent } from "../render/content.js";
import { applyEdit, applyRevoke } from "./apply-change.js";
import { applyReaction, applyRecap, applyVote } from "./apply-live.js";
import { mirrorMessage } from "./mirror-message.js";
import { renderStored } from "./render-stored.js";

/** Events read per store round trip; the run goes on until none is pending. */
const BATCH = 50;
/**
 * A run whose channel's next slot is at least this far off rests until then (RunRest). Shorter waits are
 * slept in the run: a rest and a new run cost more than they free.
 */
export const REST_AFTER_MS = 200;
/** An event that keeps failing for reasons nobody named is parked after this many attempts. */
export const MAX_UNEXPLAINED_FAILURES = 3;

export type EventOutcome =
  | { state: "done" }
  | { state: "skipped"; note: string }
  | { state: "parked"; note: string }
  /** Finished already, in the same transaction as its effect (recordMirrored, updateMirroredContent). */
  | { state: "finished" }
  /** Its state is stored; the Slack message showing it is updated (and the event finished) later in the run. */
  | { state: "deferred"; target: MirroredMessage; content: MirrorContent };

export interface ProcessDeps {
  store: Store;
  poster: SlackPoster;
  logger: Logger;
}

/** A message whose live state changed in this run, with the events that changed it. */
interface PendingUpdate {
  target: MirroredMessage;
  content: MirrorContent;
  eventIds: number[];
}

export interface EventContext {
  deps: ProcessDeps;
  key: ChatKey;
  link: LinkRecord;
  event: InboxEvent;
  /** Messages changed earlier in this run and not yet updated in Slack, by map id. */
  pending: ReadonlyMap<number, PendingUpdate>;
}

const LIVE_KINDS: ReadonlySet<GatewayEvent["kind"]> = new Set(["reaction", "poll_vote", "poll_recap"]);

/** Why a link stopped: shown on the Home tab and in `/wa links` until the channel is linked again. */
function pausedReasonOf(failure: PostFailure): string {
  return failure.slackCode ?? "channel_unavailable";
}

function isStoreError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "store_unavailable" || code === "store_conflict";
}

export function createChatProcessor(deps: ProcessDeps): ProcessChat {
  const log = deps.logger.child({ component: "mirror" });

  function route(ctx: EventContext, classified: GatewayEvent): Promise<EventOutcome> | EventOutcome {
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
        return applyReaction(ctx, classified);
      case "poll_vote":
        return applyVote(ctx, classified);
      case "poll_recap":
        return applyRecap(ctx, classified);
    }
  }

  /**
   * Runs one step (an event, or the update of deferred messages) and sorts out what went wrong: Slack or
   * the store unavailable → throws (the queue retries the chat); the channel gone → pauses the link and
   * returns "paused"; Slack refusing this message, or a failure nobody named once too often → "parked".
   */
  async function guarded(
    key: ChatKey,
    link: LinkRecord,
    attempts: number,
    failedEventId: number,
    step: () => Promise<EventOutcome>,
  ): Promise<EventOutcome | "paused"> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof PostFailure && error.kind === "channel_unavailable") {
        const reason = pausedReasonOf(error);
        await deps.store.setChannelPaused(key.workspaceId, link.channelId, reason);
        log.warn(
          { team: key.workspaceId, channel: link.channelId, reason },
          "the app can no longer post in a linked channel: mirroring into it is paused until it is linked again",
        );
        return "paused";
      }
      if (error instanceof PostFailure && error.kind === "rejected") {
        return { state: "parked", note: `Slack refused it: ${error.slackCode ?? error.message}` };
      }
      // Slack rate limiting or failing, or the store: nothing is wrong with the event. Tried again later.
      if (error instanceof PostFailure || isStoreError(error)) throw error;
      // Not a failure anybody named: retried a few times (it may pass), then parked, never forever.
      const text = excerpt(error instanceof Error ? error.message : String(error), 300);
      if (attempts + 1 >= MAX_UNEXPLAINED_FAILURES)
        return { state: "parked", note: `failed ${attempts + 1} times: ${text}` };
      await deps.store.recordEventFailure(failedEventId, text);
      throw error;
    }
  }

  async function finish(
    key: ChatKey,
    event: InboxEvent,
    outcome: Exclude<EventOutcome, { state: "deferred" | "finished" }>,
  ) {
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
  }

  /** Updates each deferred message once, then finishes the events that changed it. Returns false when paused. */
  async function flush(
    key: ChatKey,
    link: LinkRecord,
    pending: Map<number, PendingUpdate>,
    events: Map<number, InboxEvent>,
  ) {
    for (const update of pending.values()) {
      const [last, ...others] = [...update.eventIds].reverse();
      if (last === undefined) continue;
      const lastEvent = events.get(last);
      const outcome = await guarded(key, link, lastEvent?.attempts ?? 0, last, async () => {
        const rendered = await renderStored(deps.store, update.target, update.content);
        await deps.poster.update(
          { workspaceId: key.workspaceId, channelId: update.target.channelId },
          update.target.slackTs,
          rendered,
        );
        await deps.store.updateMirroredContent(update.target.id, JSON.stringify(update.content), last);
        return { state: "finished" };
      });
      if (outcome === "paused") return false;
      for (const id of outcome.state === "finished" ? others : update.eventIds) {
        const event = events.get(id);
        if (!event) continue;
        if (outcome.state === "finished") await finish(key, event, { state: "done" });
        else if (outcome.state !== "deferred") await finish(key, event, outcome);
      }
    }
    pending.clear();
    return true;
  }

  return async function processChat(key) {
    for (;;) {
      const events = await deps.store.pendingEvents(key, BATCH);
      if (events.length === 0) return;
      const link = await deps.store.getLink(key);
      const pending = new Map<number, PendingUpdate>();
      const byId = new Map(events.map((e) => [e.id, e]));
      for (const event of events) {
        if (link === undefined) {
          // Unlinked after the event arrived: nothing to mirror it into.
          await deps.store.finishEvent(event.id, "skipped", "the chat is no longer linked");
          continue;
        }
        // A paused link keeps its events pending: nothing is lost while the app is out of the channel.
        if (link.pausedReason !== null) return;
        // Behind Slack's pace in this channel (about a post a second): give the queue's slot to chats
        // whose channels are free and come back when this one is, instead of sleeping in the slot.
        if (pending.size === 0) {
          const wait = deps.poster.delayFor({ workspaceId: key.workspaceId, channelId: link.channelId });
          if (wait >= REST_AFTER_MS) return { resumeInMs: wait };
        }
        const parsed = parseEnvelope(event.envelope);
        if (!parsed.ok) {
          await finish(key, event, { state: "parked", note: `not a gateway event: ${parsed.problem}` });
          continue;
        }
        const classified = classifyEvent(parsed.envelope);
        // Anything but a live change sees the messages as they now stand in Slack.
        if (!LIVE_KINDS.has(classified.kind) && pending.size > 0 && !(await flush(key, link, pending, byId)))
          return;
        const ctx: EventContext = { deps, key, link, event, pending };
        const outcome = await guarded(key, link, event.attempts, event.id, async () =>
          route(ctx, classified),
        );
        if (outcome === "paused") return;
        if (outcome.state === "deferred") {
          const update = pending.get(outcome.target.id) ?? {
            target: outcome.target,
            content: outcome.content,
            eventIds: [],
          };
          update.content = outcome.content;
          update.eventIds.push(event.id);
          pending.set(outcome.target.id, update);
        } else if (outcome.state !== "finished") {
          await finish(key, event, outcome);
        }
      }
      if (link !== undefined && pending.size > 0 && !(await flush(key, link, pending, byId))) return;
    }
  };
}
