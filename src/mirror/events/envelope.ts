// The gateway's event envelope, the same on webhooks and on the realtime socket:
// `{schema:"v1", id:"evt_…", event, session, organization, timestamp, payload}`.
import { z } from "zod";
import { describeIssue } from "./describe-issue.js";
import { isGatewayEventType, isMessageEventType, type MessageEventType } from "./event-types.js";
import { type MessagePayload, messagePayloadSchema } from "./message-payload.js";
import { type PollRecapPayload, pollRecapPayloadSchema } from "./poll-recap-payload.js";

/** Ids are `evt_<ULID>` and sessions ULIDs; the bound only keeps a hostile body out of the store. */
const MAX_ID_LENGTH = 128;

const headSchema = z.object({
  id: z.string().min(1).max(MAX_ID_LENGTH),
  schema: z.literal("v1"),
  event: z.string().min(1).max(MAX_ID_LENGTH),
  session: z.string().min(1).max(MAX_ID_LENGTH),
  organization: z.string().nullish(),
  /** When the gateway built the event (ms); the WhatsApp time is the payload's. */
  timestamp: z.number().int(),
});

type EnvelopeHead = Omit<z.infer<typeof headSchema>, "event">;

export type MessageEnvelope = EnvelopeHead & { event: MessageEventType; payload: MessagePayload };
export type PollRecapEnvelope = EnvelopeHead & { event: "poll.recap"; payload: PollRecapPayload };
/** Any other event, known or not: the mirror reads nothing of its payload but the chat. */
export type OtherEnvelope = EnvelopeHead & { event: string; payload: unknown };

export type GatewayEnvelope = MessageEnvelope | PollRecapEnvelope | OtherEnvelope;

export type EnvelopeParseResult = { ok: true; envelope: GatewayEnvelope } | { ok: false; problem: string };

/** Known events other than messages and recaps still carry an object (Go structs). */
const otherKnownPayloadSchema = z.record(z.string(), z.unknown());

// `event` is a string on the other envelopes, so `envelope.event === "message"` alone cannot narrow.
export function isMessageEnvelope(envelope: GatewayEnvelope): envelope is MessageEnvelope {
  return isMessageEventType(envelope.event);
}

export function isPollRecapEnvelope(envelope: GatewayEnvelope): envelope is PollRecapEnvelope {
  return envelope.event === "poll.recap";
}

type PayloadResult<T> = { ok: true; payload: T } | { ok: false; problem: string };

function parsePayload<T>(schema: z.ZodType<T>, event: string, raw: unknown): PayloadResult<T> {
  if (raw === undefined) return { ok: false, problem: `missing payload of a "${event}" event` };
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (parsed.success) return { ok: true, payload: parsed.data };
  const [issue] = parsed.error.issues;
  return {
    ok: false,
    problem: `payload of a "${event}" event: ${issue ? describeIssue(issue) : "does not fit"}`,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads one envelope from the text of a webhook body or a socket frame. Never throws. An event type
 * the gateway may add later parses (its payload unread) so the caller can skip it; a known type whose
 * payload does not fit is a problem.
 */
export function parseEnvelope(text: string): EnvelopeParseResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, problem: "not JSON" };
  }
  if (!isObject(body)) return { ok: false, problem: "not a JSON object" };

  const parsedHead = headSchema.safeParse(body, { reportInput: true });
  if (!parsedHead.success) {
    const [issue] = parsedHead.error.issues;
    return { ok: false, problem: issue ? describeIssue(issue) : "not an event envelope" };
  }
  const head = parsedHead.data;
  const { event } = head;
  if (isMessageEventType(event)) {
    const parsed = parsePayload(messagePayloadSchema, event, body.payload);
    return parsed.ok ? { ok: true, envelope: { ...head, event, payload: parsed.payload } } : parsed;
  }
  if (event === "poll.recap") {
    const parsed = parsePayload(pollRecapPayloadSchema, event, body.payload);
    return parsed.ok ? { ok: true, envelope: { ...head, event, payload: parsed.payload } } : parsed;
  }
  if (isGatewayEventType(event)) {
    const parsed = parsePayload(otherKnownPayloadSchema, event, body.payload);
    return parsed.ok ? { ok: true, envelope: { ...head, payload: parsed.payload } } : parsed;
  }
  return { ok: true, envelope: { ...head, payload: body.payload } };
}

function stringField(payload: unknown, key: string): string | undefined {
  if (!isObject(payload)) return undefined;
  const value = payload[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The chat an event belongs to, for storing it in that chat's queue: `chatJid`, or `groupJid` for
 * the group events that name their chat that way. Undefined for session-wide events.
 */
export function chatOf(envelope: GatewayEnvelope): string | undefined {
  return stringField(envelope.payload, "chatJid") ?? stringField(envelope.payload, "groupJid");
}

/**
 * The WhatsApp stanza's own id, for deduplicating a message the gateway redelivers under a new event
 * id. Only the message family has one; a recap names its poll, which is not its own id.
 */
export function waMessageIdOf(envelope: GatewayEnvelope): string | undefined {
  return isMessageEnvelope(envelope) ? stringField(envelope.payload, "waMessageId") : undefined;
}
