// The fake gateway's copies of the gateway's OpenAPI schemas (gateway-openapi.yaml), in zod.
// test/gateway/fake-gateway-openapi.test.ts checks them, and the fake's answers, against the yaml.
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
