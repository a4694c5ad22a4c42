// The Slack message metadata that marks a Slack message as standing for a WhatsApp message
// (interface.md, "WhatsApp message metadata on Slack messages"): its schema, reader and writer.
import { z } from "zod";
import type { Poll, WhatsAppMessage } from "./types.js";

export const WHATSAPP_EVENT_TYPE = "whatsapp_message";

export const pollMetadataSchema = z.object({
  name: z.string(),
  options: z.array(z.string()).min(2).max(12),
  selectable_count: z.number().int().min(0),
});

export const whatsAppPayloadSchema = z.object({
  session_id: z.string().min(1),
  chat: z.string().min(1),
  message_id: z.string().min(1),
  // Producers that serialise "no value" as null mean the same as leaving the field out.
  sender: z.string().nullish(),
  poll: pollMetadataSchema.nullish(),
});

export const whatsAppMetadataSchema = z.object({
  event_type: z.literal(WHATSAPP_EVENT_TYPE),
  event_payload: whatsAppPayloadSchema,
});

export type WhatsAppMetadata = z.infer<typeof whatsAppMetadataSchema>;

export type MetadataReadResult =
  | { ok: true; message: WhatsAppMessage }
  | { ok: false; reason: "absent" | "other_event_type" | "invalid"; detail?: string };

const envelopeSchema = z.object({ event_type: z.string(), event_payload: z.unknown().optional() });

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      return path === "" ? issue.message : `${path}: ${issue.message}`;
    })
    .join("; ");
}

/**
 * Reads a Slack message's `metadata` field. Never throws: a message that is not a WhatsApp
 * message is an ordinary outcome the caller turns into words.
 */
export function readWhatsAppMetadata(metadata: unknown): MetadataReadResult {
  if (metadata === undefined || metadata === null) return { ok: false, reason: "absent" };

  const envelope = envelopeSchema.safeParse(metadata);
  if (!envelope.success) {
    return { ok: false, reason: "invalid", detail: `metadata: ${describeIssues(envelope.error)}` };
  }
  const { event_type: eventType } = envelope.data;
  if (eventType !== WHATSAPP_EVENT_TYPE) {
    return { ok: false, reason: "other_event_type", detail: `event_type is "${eventType}"` };
  }

  let payload = envelope.data.event_payload;
  if (payload === undefined || payload === null) {
    return {
      ok: false,
      reason: "invalid",
      // Slack leaves the payload out of conversations.history/replies unless asked for it.
      detail: "event_payload is missing (fetch the message with include_all_metadata=true)",
    };
  }
  // chat.postMessage accepts the payload as a JSON string; be as forgiving when reading it back.
  if (typeof payload === "string") {
    try {
      payload = JSON.parse(payload) as unknown;
    } catch {
      return { ok: false, reason: "invalid", detail: "event_payload is a string that is not JSON" };
    }
  }

  const parsed = whatsAppPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, reason: "invalid", detail: `event_payload: ${describeIssues(parsed.error)}` };
  }
  const p = parsed.data;
  const message: WhatsAppMessage = { sessionId: p.session_id, chat: p.chat, messageId: p.message_id };
  if (p.sender !== undefined && p.sender !== null) message.sender = p.sender;
  if (p.poll) {
    const poll: Poll = {
      name: p.poll.name,
      options: p.poll.options,
      selectableCount: p.poll.selectable_count,
    };
    message.poll = poll;
  }
  return { ok: true, message };
}

/** The metadata to attach to a Slack message that stands for `message`. */
export function toWhatsAppMetadata(message: WhatsAppMessage): WhatsAppMetadata {
  const payload: WhatsAppMetadata["event_payload"] = {
    session_id: message.sessionId,
    chat: message.chat,
    message_id: message.messageId,
  };
  if (message.sender !== undefined) payload.sender = message.sender;
  if (message.poll) {
    payload.poll = {
      name: message.poll.name,
      options: message.poll.options,
      selectable_count: message.poll.selectableCount,
    };
  }
  return { event_type: WHATSAPP_EVENT_TYPE, event_payload: payload };
}
