import { z } from "zod";
import type { MessageRef } from "../domain/types.js";

/** The gateway's 200 answer. Only `mode` is required; an unknown `status` word is kept. */
export const SendResultSchema = z.object({
  mode: z.string(),
  outboxId: z.string().optional(),
  replayed: z.boolean().optional(),
  status: z.string().optional(),
  timestamp: z.number().optional(),
  waMessageId: z.string().optional(),
});
export type SendResult = z.infer<typeof SendResultSchema>;

/** `{ error: { code, message, details? } }`, the body of every non-2xx answer. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** Only the fields `/wa status` needs; the rest of WASession may change without breaking us. */
export const SessionSummarySchema = z.looseObject({
  status: z.string().nullish(),
  waJid: z.string().nullish(),
});

/** The 201 Webhook answer: the id is all the app keeps (the secret is never sent back). */
export const CreatedWebhookSchema = z.looseObject({ id: z.string().min(1) }).transform(({ id }) => ({ id }));
export type CreatedWebhook = z.output<typeof CreatedWebhookSchema>;

export interface WebhookRegistration {
  /** Where the gateway POSTs each event. */
  url: string;
  /** Event names, or `["*"]`: names the gateway does not emit deliver nothing (gateway-events.md). */
  events: readonly string[];
  /** The HMAC-SHA512 signing secret; the gateway never returns it. */
  secret: string;
}

/** The 201 answer to `POST /api/v1/realtime/ticket`. `url` may be relative to the gateway's base URL. */
export const RealtimeTicketSchema = z
  .looseObject({ ticket: z.string().min(1), url: z.string().min(1), expiresInSeconds: z.number() })
  .transform(({ ticket, url, expiresInSeconds }) => ({ ticket, url, expiresInSeconds }));
export type RealtimeTicket = z.output<typeof RealtimeTicketSchema>;

/** Kinds the gateway's Chat schema lists; an unknown word is kept as sent. */
export type ChatType = "dm" | "group" | "newsletter" | "broadcast" | "status" | (string & {});

/**
 * A Chat row, reduced to what the mirror needs. `aliases` join the `@lid` and `@s.whatsapp.net` forms of
 * one person's direct chat; the gateway sends null for none.
 */
export const GatewayChatSchema = z
  .looseObject({
    jid: z.string().min(1),
    type: z.string(),
    name: z.string().nullish(),
    aliases: z.array(z.string()).nullish(),
  })
  .transform((chat) => ({
    jid: chat.jid,
    type: chat.type as ChatType,
    ...(chat.name ? { name: chat.name } : {}),
    aliases: chat.aliases ?? [],
  }));
export type GatewayChat = z.output<typeof GatewayChatSchema>;

/** One page of `GET /api/v1/sessions/{session}/chats` (ListChat). */
export const ChatPageSchema = z.looseObject({
  data: z.array(GatewayChatSchema).nullable(),
  nextCursor: z.string().nullish(),
});

/** What the gateway tells about a session, for `/wa status`. */
export type SessionProbe =
  | { kind: "ok"; status?: string | undefined; waJid?: string | undefined }
  /** The key is valid but may not read sessions (no `read` permission): the gateway answers. */
  | { kind: "key_valid_no_read" };

export interface GatewayClient {
  addReaction(apiKey: string, target: MessageRef, emoji: string, signal?: AbortSignal): Promise<SendResult>;
  removeReaction(apiKey: string, target: MessageRef, signal?: AbortSignal): Promise<SendResult>;
  /** `options: []` clears the vote, as the gateway's docs say (its code refuses it today). */
  vote(
    apiKey: string,
    target: MessageRef,
    options: readonly string[],
    signal?: AbortSignal,
  ): Promise<SendResult>;
  /** GET /api/v1/sessions/{session}: does the gateway answer, does it accept the key, does the session exist. */
  probeSession(apiKey: string, sessionId: string, signal?: AbortSignal): Promise<SessionProbe>;
  /** POST /api/v1/webhooks (permission `manage`). Not retried once the request may have arrived. */
  createWebhook(apiKey: string, webhook: WebhookRegistration, signal?: AbortSignal): Promise<CreatedWebhook>;
  /** DELETE /api/v1/webhooks/{id} (permission `manage`); a webhook already gone counts as deleted. */
  deleteWebhook(apiKey: string, webhookId: string, signal?: AbortSignal): Promise<void>;
  /**
   * POST /api/v1/realtime/ticket for the whole organization (permission `events`), replaying after the
   * event id `since` when given. Not retried once the request may have arrived.
   */
  createRealtimeTicket(
    apiKey: string,
    request: { since?: string | undefined },
    signal?: AbortSignal,
  ): Promise<RealtimeTicket>;
  /** Every chat of a session (permission `read`), all pages read; each page has its own deadline. */
  listChats(apiKey: string, sessionId: string, signal?: AbortSignal): Promise<GatewayChat[]>;
  close(): Promise<void>;
}
