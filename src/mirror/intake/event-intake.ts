// Where every gateway event enters, by webhook or by the realtime socket: it is checked, filtered (only
// linked chats of the envelope's session are kept), stored in the inbox, and its chat scheduled. Storing
// comes before anything is answered; a repeated event id is stored once.
import type { Logger } from "../../logger.js";
import type { ChatKey } from "../../store/mirror-port.js";
import type { Store } from "../../store/port.js";
import { classifyEvent } from "../events/classify.js";
import { type GatewayEnvelope, parseEnvelope, waMessageIdOf } from "../events/envelope.js";
import type { ChatQueue } from "../queue/chat-queue.js";

export type IntakeResult =
  | { kind: "stored" }
  /** An event id this workspace already has: answered as success, with no second effect. */
  | { kind: "duplicate" }
  /** Not for the mirror (another session, an unlinked chat, a kind of event it does not show). */
  | { kind: "skipped"; reason: string }
  | { kind: "invalid"; problem: string };

export interface EventIntake {
  accept(workspaceId: string, raw: string): Promise<IntakeResult>;
  /** The newest arrival per workspace seen by this process (for `/wa status` before it is stored). */
  lastArrival(workspaceId: string): { eventId: string; at: Date } | undefined;
}

/** The range of a JavaScript Date: 100,000,000 days either side of 1970. */
const MAX_TIME_MS = 8.64e15;

/**
 * The envelope schema takes any whole number as a time, but a reaction's or a vote's time is stored as a
 * date, and one past a Date's range failed its store write on every try until the event was parked. The
 * gateway's times are its clock's and WhatsApp's, so such a body is refused here like any malformed one.
 */
function timeProblem(envelope: GatewayEnvelope): string | undefined {
  if (Math.abs(envelope.timestamp) > MAX_TIME_MS) return "timestamp is not a time";
  const payload = envelope.payload as { timestamp?: unknown } | null | undefined;
  const at = typeof payload === "object" && payload !== null ? payload.timestamp : undefined;
  if (typeof at === "number" && Math.abs(at) > MAX_TIME_MS) return "payload.timestamp is not a time";
  return undefined;
}

/** Arrivals are written at most this often per workspace: they feed `since` and the Home tab, not order. */
const ARRIVAL_WRITE_EVERY_MS = 2_000;

export function createEventIntake(deps: {
  store: Store;
  queue: Pick<ChatQueue, "schedule">;
  logger: Logger;
  clock?: () => number;
}): EventIntake {
  const clock = deps.clock ?? Date.now;
  const log = deps.logger.child({ component: "intake" });
  const arrivals = new Map<string, { eventId: string; at: Date; writtenAt: number }>();

  function noteArrival(workspaceId: string, eventId: string): void {
    const now = clock();
    const last = arrivals.get(workspaceId);
    const arrival = { eventId, at: new Date(now), writtenAt: last?.writtenAt ?? 0 };
    arrivals.set(workspaceId, arrival);
    if (now - arrival.writtenAt < ARRIVAL_WRITE_EVERY_MS) return;
    arrival.writtenAt = now;
    deps.store
      .recordEventArrival({ workspaceId, lastEventId: eventId, lastEventAt: arrival.at })
      .catch((error: unknown) =>
        log.warn({ err: error, team: workspaceId }, "could not record the last event's arrival"),
      );
  }

  /** The event's id comes back for the arrival note, so the envelope is parsed once. */
  async function intake(
    workspaceId: string,
    raw: string,
  ): Promise<{ result: IntakeResult; eventId?: string }> {
    const parsed = parseEnvelope(raw);
    if (!parsed.ok) return { result: { kind: "invalid", problem: parsed.problem } };
    const { envelope } = parsed;
    const badTime = timeProblem(envelope);
    if (badTime !== undefined) return { result: { kind: "invalid", problem: badTime } };
    return { result: await accept(workspaceId, envelope, raw), eventId: envelope.id };
  }

  async function accept(workspaceId: string, envelope: GatewayEnvelope, raw: string): Promise<IntakeResult> {
    const classified = classifyEvent(envelope);
    if (classified.kind === "ignored") return { kind: "skipped", reason: classified.reason };
    const key: ChatKey = { workspaceId, sessionId: envelope.session, chatJid: classified.chatJid };
    // Read every time, not cached: a link made a moment ago must get its chat's first message.
    if ((await deps.store.getLink(key)) === undefined) {
      return {
        kind: "skipped",
        reason: "the chat is not linked to a channel (or belongs to another session)",
      };
    }
    const { accepted } = await deps.store.acceptEvent({
      ...key,
      eventId: envelope.id,
      eventType: envelope.event,
      waMessageId: waMessageIdOf(envelope) ?? null,
      envelope: raw,
      receivedAt: new Date(clock()),
    });
    try {
      // A repeat is scheduled too: the process that stored the first may have died before it could.
      await deps.queue.schedule(key);
    } catch (error) {
      // Stored, so not lost: the periodic resume (create-mirror.ts) schedules every chat left pending.
      log.warn(
        { err: error, team: workspaceId },
        "an event was stored but its chat could not be scheduled yet",
      );
    }
    return accepted ? { kind: "stored" } : { kind: "duplicate" };
  }

  return {
    lastArrival(workspaceId) {
      const arrival = arrivals.get(workspaceId);
      return arrival === undefined ? undefined : { eventId: arrival.eventId, at: arrival.at };
    },

    async accept(workspaceId, raw) {
      const { result, eventId } = await intake(workspaceId, raw);
      // Only once the event is handled (stored, or known to need nothing): the realtime socket resumes
      // after the last arrival, so an event that failed to store is asked for again.
      if (eventId !== undefined) noteArrival(workspaceId, eventId);
      return result;
    },
  };
}
