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
  close(): Promise<void>;
}
