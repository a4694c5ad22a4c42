// The WhatsApp gateway client: the shape of each operation. Deadlines, retries and the meaning of the
// answers live in run-operation.ts and interpret-response.ts.
import type { MessageRef } from "../domain/types.js";
import { GatewayProtocolError } from "./errors.js";
import { jsonBody, type Method } from "./operation.js";
import { checkOptions, type GatewayClientOptions } from "./options.js";
import { checkApiKey, segment } from "./request-parts.js";
import { sleepWithSignal } from "./retry.js";
import { createOperationRunner } from "./run-operation.js";
import {
  ChatPageSchema,
  CreatedWebhookSchema,
  type GatewayChat,
  type GatewayClient,
  RealtimeTicketSchema,
  type SendResult,
  SendResultSchema,
  type SessionProbe,
  SessionSummarySchema,
} from "./types.js";

export type { GatewayClientOptions, GatewayTimeouts } from "./options.js";

/** The gateway's largest page; fewer round trips for an account with many chats. */
const CHAT_PAGE_SIZE = 200;
/** 40,000 chats: past this a gateway that keeps handing out cursors is not ending its list. */
const MAX_CHAT_PAGES = 200;

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const settings = checkOptions(options);
  const { run, close } = createOperationRunner(settings, {
    logger: options.logger.child({ component: "gateway" }),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? sleepWithSignal,
  });

  // async, so that a bad argument rejects the returned promise instead of throwing synchronously.
  async function sendOperation(
    method: Method,
    apiKey: string,
    target: MessageRef,
    action: "reaction" | "vote",
    body: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<SendResult> {
    checkApiKey(apiKey);
    const path =
      `/api/v1/sessions/${segment(target.sessionId, "sessionId")}` +
      `/messages/${segment(target.messageId, "messageId")}/${action}`;
    return run({
      method,
      path,
      apiKey,
      body,
      signal,
      // Both replace the previous reaction or vote, so a repeat is harmless (gateway-notes.md).
      idempotent: true,
      success: jsonBody(SendResultSchema, "does not match SendResult", (result) => result),
    });
  }

  return {
    addReaction(apiKey, target, emoji, signal) {
      return sendOperation(
        "POST",
        apiKey,
        target,
        "reaction",
        { chat: target.chat, emoji, sender: target.sender ?? "" },
        signal,
      );
    },

    removeReaction(apiKey, target, signal) {
      // The gateway requires a body on DELETE; `emoji` would be ignored, so it is not sent.
      return sendOperation(
        "DELETE",
        apiKey,
        target,
        "reaction",
        { chat: target.chat, sender: target.sender ?? "" },
        signal,
      );
    },

    vote(apiKey, target, options, signal) {
      return sendOperation(
        "POST",
        apiKey,
        target,
        "vote",
        { chat: target.chat, sender: target.sender ?? "", options: [...options] },
        signal,
      );
    },

    async probeSession(apiKey, sessionId, signal) {
      checkApiKey(apiKey);
      return run<SessionProbe>({
        method: "GET",
        path: `/api/v1/sessions/${segment(sessionId, "sessionId")}`,
        apiKey,
        signal,
        idempotent: true,
        success: jsonBody(SessionSummarySchema, "is not a session", (session) => ({
          kind: "ok",
          status: session.status || undefined,
          waJid: session.waJid || undefined,
        })),
        acceptApiError: (error) =>
          error.status === 403 && error.code === "forbidden"
            ? { value: { kind: "key_valid_no_read" } }
            : undefined,
      });
    },

    async createWebhook(apiKey, webhook, signal) {
      checkApiKey(apiKey);
      return run({
        method: "POST",
        path: "/api/v1/webhooks",
        apiKey,
        // Exactly these fields: the gateway refuses unknown ones, and leaves out none it needs.
        body: { url: webhook.url, events: [...webhook.events], secret: webhook.secret },
        signal,
        // A second webhook would deliver every event twice.
        idempotent: false,
        success: jsonBody(CreatedWebhookSchema, "is not a webhook", (created) => created),
      });
    },

    async deleteWebhook(apiKey, webhookId, signal) {
      checkApiKey(apiKey);
      return run<void>({
        method: "DELETE",
        path: `/api/v1/webhooks/${segment(webhookId, "webhookId")}`,
        apiKey,
        signal,
        idempotent: true,
        success: { kind: "none", value: undefined },
        // Already gone (an earlier attempt, or the operator) is what deleting wants.
        acceptApiError: (error) =>
          error.status === 404 && error.code === "not_found" ? { value: undefined } : undefined,
      });
    },

    async createRealtimeTicket(apiKey, request, signal) {
      checkApiKey(apiKey);
      return run({
        method: "POST",
        path: "/api/v1/realtime/ticket",
        apiKey,
        body: { scope: "organization", ...(request.since ? { since: request.since } : {}) },
        signal,
        // A ticket is single-use and short-lived; the caller asks for a fresh one on its next connect.
        idempotent: false,
        success: jsonBody(RealtimeTicketSchema, "is not a realtime ticket", (ticket) => ticket),
      });
    },

    async listChats(apiKey, sessionId, signal) {
      checkApiKey(apiKey);
      const base = `/api/v1/sessions/${segment(sessionId, "sessionId")}/chats?limit=${CHAT_PAGE_SIZE}`;
      const chats: GatewayChat[] = [];
      const seen = new Set<string>();
      let cursor: string | undefined;
      for (let page = 1; ; page++) {
        const path = cursor === undefined ? base : `${base}&cursor=${encodeURIComponent(cursor)}`;
        const result = await run({
          method: "GET",
          path,
          apiKey,
          signal,
          idempotent: true,
          success: jsonBody(ChatPageSchema, "is not a list of chats", (list) => list),
        });
        chats.push(...(result.data ?? []));
        const next = result.nextCursor || undefined;
        if (next === undefined) return chats;
        if (seen.has(next) || page >= MAX_CHAT_PAGES) {
          throw new GatewayProtocolError(
            "GET",
            `${settings.displayBase}${path}`,
            `200 response hands out cursors without end (${page} pages)`,
            { status: 200 },
          );
        }
        seen.add(next);
        cursor = next;
      }
    },

    close,
  };
}
