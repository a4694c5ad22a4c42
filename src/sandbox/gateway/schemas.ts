// The fake gateway's copies of the gateway's OpenAPI schemas (gateway-openapi.yaml), in zod.
// test/sandbox/gateway-simulator-openapi.test.ts checks them, and the fake's answers, against the yaml.
import { z } from "zod";

/** ReactionInputBody: every field optional, no other field allowed (additionalProperties: false). */
export const ReactionInputBodySchema = z.strictObject({
  chat: z.string().optional(),
  emoji: z.string().optional(),
  sender: z.string().optional(),
});

/** VoteInputBody: `options` is `array | null` in the schema. */
export const VoteInputBodySchema = z.strictObject({
  chat: z.string().optional(),
  options: z.array(z.string()).nullable().optional(),
  sender: z.string().optional(),
});

export const ERROR_CODES = [
  "rate_limited",
  "not_found",
  "unauthorized",
  "forbidden",
  "validation_error",
  "conflict",
  "not_implemented",
  "gateway_unavailable",
  "internal",
] as const;
export type FakeErrorCode = (typeof ERROR_CODES)[number];

export const ApiErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

export const SendResultBodySchema = z.strictObject({
  mode: z.string(),
  outboxId: z.string().optional(),
  replayed: z.boolean().optional(),
  status: z.string().optional(),
  timestamp: z.int().optional(),
  waMessageId: z.string().optional(),
});
export type SendResultBody = z.infer<typeof SendResultBodySchema>;

export const SESSION_STATUSES = [
  "starting",
  "scan_qr_code",
  "working",
  "failed",
  "stopped",
  "logged_out",
] as const;
export type FakeSessionStatus = (typeof SESSION_STATUSES)[number];

export const WASessionSchema = z.strictObject({
  autoRead: z.boolean(),
  createdAt: z.int(),
  createdByUserId: z.string().optional(),
  gatewayId: z.string(),
  id: z.string(),
  isAdminSession: z.boolean(),
  label: z.string().optional(),
  lastConnectedAt: z.int().optional(),
  organizationId: z.string(),
  phoneNumber: z.string().optional(),
  presenceTyping: z.boolean(),
  ratePerHour: z.int(),
  ratePerMin: z.int(),
  status: z.enum(SESSION_STATUSES),
  updatedAt: z.int(),
  waJid: z.string().optional(),
  waLid: z.string().optional(),
});
export type WASessionBody = z.infer<typeof WASessionSchema>;

/** RetryPolicy: how the gateway retries a failed webhook delivery. */
export const RetryPolicySchema = z.strictObject({
  attempts: z.int(),
  delaySeconds: z.int(),
  policy: z.string(),
});
export type RetryPolicyBody = z.infer<typeof RetryPolicySchema>;

/** WebhookBody, the create (and update) request: nothing required by the schema, nothing else allowed. */
export const WebhookBodySchema = z.strictObject({
  active: z.boolean().optional(),
  customHeaders: z.record(z.string(), z.string()).optional(),
  events: z.array(z.string()).nullable().optional(),
  retryPolicy: RetryPolicySchema.optional(),
  secret: z.string().optional(),
  sessionId: z.string().optional(),
  url: z.string().optional(),
});

/** Webhook, as answered: never with its secret. */
export const WebhookSchema = z.strictObject({
  active: z.boolean(),
  createdAt: z.int(),
  customHeaders: z.record(z.string(), z.string()).optional(),
  events: z.array(z.string()).nullable(),
  id: z.string(),
  organizationId: z.string(),
  retryPolicy: RetryPolicySchema,
  sessionId: z.string().optional(),
  updatedAt: z.int(),
  url: z.string(),
});
export type WebhookResponseBody = z.infer<typeof WebhookSchema>;

export const CHAT_TYPES = ["dm", "group", "newsletter", "broadcast", "status"] as const;

export const ChatSchema = z.strictObject({
  aliases: z.array(z.string()).nullable().optional(),
  archived: z.boolean(),
  id: z.int(),
  jid: z.string(),
  lastMessageAt: z.int().optional(),
  mutedUntil: z.int().optional(),
  name: z.string().optional(),
  pinned: z.boolean(),
  sessionId: z.string(),
  type: z.enum(CHAT_TYPES),
  unreadCount: z.int(),
});
export type ChatBody = z.infer<typeof ChatSchema>;

/** `POST /api/v1/realtime/ticket` (not in the OpenAPI document; read from the gateway's code). */
export const RealtimeTicketInputSchema = z.strictObject({
  scope: z.enum(["session", "organization"]),
  session: z.string().optional(),
  events: z.array(z.string()).optional(),
  since: z.string().optional(),
});
