// The fake gateway's event side (gateway-events.md): an event log of envelopes with sortable ids,
// webhooks that receive signed deliveries one after another with retries, realtime tickets and the
// WebSocket that replays after `since` and then streams, the chat list, and the faults of each.
import { createHmac, randomBytes } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { createUlidFactory } from "../../mirror/ulid.js";
import { type Exchange, parseStrictBody, sendError, sendJson, sendNoContent } from "./http.js";
import {
  type ChatBody,
  RealtimeTicketInputSchema,
  type RetryPolicyBody,
  WebhookBodySchema,
  type WebhookResponseBody,
} from "./schemas.js";
import type { FakeKeySpec } from "./simulator.js";

export interface EventEnvelope {
  schema: "v1";
  id: string;
  event: string;
  session: string;
  organization: string;
  /** When the gateway built the event (ms); the WhatsApp time is in the payload. */
  timestamp: number;
  payload: unknown;
}

export interface FakeEvent {
  envelope: EventEnvelope;
  /** The JSON text sent as a WebSocket frame and as a webhook body. */
  text: string;
}

export interface FakeWebhook {
  id: string;
  organizationId: string;
  url: string;
  events: string[] | null;
  sessionId?: string;
  /** Kept for tests to verify signatures; the fake never answers it, like the gateway. */
  secret?: string;
  customHeaders?: Record<string, string>;
  retryPolicy: RetryPolicyBody;
  /** Whether the create request chose `retryPolicy`; otherwise the fake's delivery policy applies. */
  retryPolicyChosen: boolean;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface DeliveryAttempt {
  webhookId: string;
  eventId: string;
  /** 1-based. */
  attempt: number;
  at: number;
  headers: Record<string, string>;
  body: string;
  /** The receiver's status, when it answered. */
  status?: number;
  /** Why there was no answer (refused, timed out). */
  error?: string;
  ok: boolean;
  /** When the receiver's answer was read in full (unset when there was none). */
  answeredAt?: number;
}

export interface DeliveryPolicy {
  /** First retry delay; doubled each attempt (the gateway's is 2 s). */
  baseDelayMs: number;
  /** Attempts in all, the first included (the gateway's is 15). */
  maxAttempts: number;
  /** How long a receiver may take to answer (the gateway's is 30 s). */
  timeoutMs: number;
  /** Which due delivery goes next; the gateway promises no order across deliveries. */
  order: "oldest_first" | "newest_first";
}

export interface RealtimeConnection {
  org: string;
  since: string | undefined;
  /** Events sent as the replay after `since`. */
  replayed: number;
  openedAt: number;
  /** Data frames the client sent; each closes the socket with 1008. */
  clientFrames: number;
  closeCode?: number;
  closedAt?: number;
}

export interface FakeChat {
  jid: string;
  type: ChatBody["type"];
  name?: string;
  /** Left out: the gateway sends `null`. */
  aliases?: string[];
}

/** What tests can do with the fake's events, mixed into `GatewaySimulator`. */
export interface FakeGatewayEvents {
  /** WhatsApp happens: the event is logged, streamed to open sockets and queued for matching webhooks. */
  emit(org: string, event: string, session: string, payload: unknown): FakeEvent;
  /** The same event again under a new id, as the gateway does after a reconnect to WhatsApp. */
  redeliver(eventId: string): FakeEvent;
  /** Events kept, oldest first (what replay can reach). */
  readonly eventLog: readonly FakeEvent[];
  /** Forgets all but the newest `keep` events, as the gateway's retention does. */
  pruneEvents(keep: number): void;

  /** Webhooks registered and not deleted, secrets included. */
  readonly webhooks: readonly FakeWebhook[];
  readonly deliveries: readonly DeliveryAttempt[];
  /** Deliveries queued or waiting for a retry. */
  readonly pendingDeliveries: number;
  setDeliveryPolicy(policy: Partial<DeliveryPolicy>): void;
  pauseDeliveries(): void;
  resumeDeliveries(): void;
  /** Resolves once no delivery is queued, waiting for a retry, or on its way. */
  deliveriesSettled(): Promise<void>;

  addChat(sessionId: string, chat: FakeChat): void;

  /** Ping interval of sockets opened from now on (the gateway's is 20 s). */
  setHeartbeatMs(ms: number): void;
  readonly realtimeConnections: readonly RealtimeConnection[];
  readonly openSockets: number;
  /** Upgrades refused with 401 (bad, used or expired ticket). */
  readonly refusedUpgrades: number;
  /** Ends every open socket at once, as a network drop would (no close frame). */
  dropSockets(): void;
  /** The sockets open now stay open but send nothing more: no pings, no events. */
  silenceSockets(): void;
  /** Calls `listener` once each delivery attempt has its outcome. Returns a function that stops the calls. */
  onDelivery(listener: (attempt: DeliveryAttempt) => void): () => void;
}

export type EventRoute =
  | { kind: "webhook_list" }
  | { kind: "webhook_create" }
  | { kind: "webhook_get" | "webhook_delete"; webhookId: string }
  | { kind: "realtime_ticket" };

export interface FakeEventsContext {
  /** The organization owning a session, undefined when there is no such session. */
  sessionOrg(sessionId: string): string | undefined;
}

export interface FakeEventsEngine {
  api: FakeGatewayEvents;
  handle(ex: Exchange, route: EventRoute, key: FakeKeySpec): Promise<void>;
  listChats(ex: Exchange, sessionId: string): void;
  attach(server: Server): void;
  close(): Promise<void>;
}

const REPLAY_CAP = 1_000;
const TICKET_TTL_SECONDS = 30;
const DEFAULT_RETRY_POLICY: RetryPolicyBody = { policy: "exponential", delaySeconds: 2, attempts: 15 };
const DEFAULT_CHAT_PAGE = 50;
const MAX_CHAT_PAGE = 200;

export function matchEventRoute(method: string, pathname: string): EventRoute | undefined {
  if (pathname === "/api/v1/realtime/ticket")
    return method === "POST" ? { kind: "realtime_ticket" } : undefined;
  if (pathname === "/api/v1/webhooks") {
    if (method === "GET") return { kind: "webhook_list" };
    if (method === "POST") return { kind: "webhook_create" };
    return undefined;
  }
  const match = /^\/api\/v1\/webhooks\/([^/]+)$/.exec(pathname);
  if (!match?.[1]) return undefined;
  let webhookId: string;
  try {
    webhookId = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  if (method === "GET") return { kind: "webhook_get", webhookId };
  if (method === "DELETE") return { kind: "webhook_delete", webhookId };
  return undefined;
}

interface PendingDelivery {
  webhookId: string;
  event: FakeEvent;
  /** Attempts already made. */
  attempts: number;
  dueAt: number;
  seq: number;
}

interface Ticket {
  org: string;
  session: string | undefined;
  events: string[] | undefined;
  since: string | undefined;
  expiresAt: number;
  used: boolean;
}

interface LiveSocket {
  ws: WebSocket;
  ticket: Ticket;
  record: RealtimeConnection;
  silent: boolean;
  pings: NodeJS.Timeout | undefined;
}

export function createFakeEventsEngine(context: FakeEventsContext): FakeEventsEngine {
  const newId = createUlidFactory();
  const lifetime = new AbortController();
  const log: FakeEvent[] = [];
  const webhooks = new Map<string, FakeWebhook>();
  const deliveries: DeliveryAttempt[] = [];
  const queue: PendingDelivery[] = [];
  const chats = new Map<string, FakeChat[]>();
  const tickets = new Map<string, Ticket>();
  const sockets = new Set<LiveSocket>();
  const connections: RealtimeConnection[] = [];
  const settledWaiters: (() => void)[] = [];
  const wss = new WebSocketServer({ noServer: true });
  let policy: DeliveryPolicy = {
    baseDelayMs: 2_000,
    maxAttempts: 15,
    timeoutMs: 30_000,
    order: "oldest_first",
  };
  let paused = false;
  let sending = false;
  let wakeTimer: NodeJS.Timeout | undefined;
  let seq = 0;
  let heartbeatMs = 20_000;
  let refusedUpgrades = 0;
  const deliveryListeners = new Set<(attempt: DeliveryAttempt) => void>();

  function emit(org: string, event: string, session: string, payload: unknown) {
    const envelope: EventEnvelope = {
      schema: "v1",
      id: `evt_${newId()}`,
      event,
      session,
      organization: org,
      timestamp: Date.now(),
      payload,
    };
    const emitted: FakeEvent = { envelope, text: JSON.stringify(envelope) };
    log.push(emitted);
    for (const live of sockets) {
      if (!live.silent && wants(live.ticket, envelope)) live.ws.send(emitted.text);
    }
    for (const webhook of webhooks.values()) {
      if (webhookWants(webhook, envelope)) {
        queue.push({ webhookId: webhook.id, event: emitted, attempts: 0, dueAt: Date.now(), seq: seq++ });
      }
    }
    void pump();
    return emitted;
  }

  // ---- webhook deliveries: one sender, one delivery at a time ----

  async function pump(): Promise<void> {
    if (sending || paused || lifetime.signal.aborted) return;
    sending = true;
    try {
      for (;;) {
        if (paused || lifetime.signal.aborted) break;
        const next = takeDue(Date.now());
        if (!next) break;
        await deliver(next);
      }
    } finally {
      sending = false;
    }
    scheduleWake();
    notifySettled();
  }

  function takeDue(now: number): PendingDelivery | undefined {
    let chosen: PendingDelivery | undefined;
    for (const pending of queue) {
      if (pending.dueAt > now) continue;
      const better =
        !chosen || (policy.order === "oldest_first" ? pending.seq < chosen.seq : pending.seq > chosen.seq);
      if (better) chosen = pending;
    }
    if (chosen) queue.splice(queue.indexOf(chosen), 1);
    return chosen;
  }

  function scheduleWake(): void {
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = undefined;
    if (paused || lifetime.signal.aborted || queue.length === 0) return;
    const earliest = Math.min(...queue.map((p) => p.dueAt));
    wakeTimer = setTimeout(() => void pump(), Math.max(0, earliest - Date.now()));
    wakeTimer.unref();
  }

  async function deliver(pending: PendingDelivery): Promise<void> {
    const webhook = webhooks.get(pending.webhookId);
    if (!webhook) return; // deleted while the delivery waited: the gateway stops its retries too
    const attempt = pending.attempts + 1;
    const body = pending.event.text;
    const headers: Record<string, string> = {
      ...webhook.customHeaders,
      "Content-Type": "application/json",
      "X-Webhook-Request-Id": pending.event.envelope.id,
      "X-Webhook-Timestamp": String(Date.now()),
    };
    if (webhook.secret) {
      headers["X-Webhook-Hmac"] = signWebhookBody(webhook.secret, body);
      headers["X-Webhook-Hmac-Algorithm"] = "sha512";
    }
    const record: DeliveryAttempt = {
      webhookId: webhook.id,
      eventId: pending.event.envelope.id,
      attempt,
      at: Date.now(),
      headers,
      body,
      ok: false,
    };
    deliveries.push(record);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), policy.timeoutMs);
    try {
      const response = await fetch(webhook.url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.any([timeout.signal, lifetime.signal]),
      });
      await response.arrayBuffer();
      record.answeredAt = Date.now();
      record.status = response.status;
      record.ok = response.status >= 200 && response.status < 300;
    } catch (err) {
      record.error = timeout.signal.aborted ? "timeout" : describeFetchError(err);
    } finally {
      clearTimeout(timer);
    }
    for (const listener of deliveryListeners) listener(record);
    if (record.ok || lifetime.signal.aborted) return;
    const retry = webhook.retryPolicyChosen ? webhook.retryPolicy : undefined;
    const maxAttempts = retry?.attempts ?? policy.maxAttempts;
    if (attempt >= maxAttempts) return; // dropped for good, as the gateway does
    const exponential = (retry?.policy ?? "exponential") === "exponential";
    const delay = exponential ? policy.baseDelayMs * 2 ** (attempt - 1) : policy.baseDelayMs;
    queue.push({ ...pending, attempts: attempt, dueAt: Date.now() + delay, seq: pending.seq });
  }

  function notifySettled(): void {
    if (sending || queue.length > 0) return;
    for (const resolve of settledWaiters.splice(0)) resolve();
  }

  // ---- realtime ----

  function wants(ticket: Ticket, envelope: EventEnvelope): boolean {
    if (envelope.organization !== ticket.org) return false;
    if (ticket.session !== undefined && envelope.session !== ticket.session) return false;
    return !ticket.events || ticket.events.includes("*") || ticket.events.includes(envelope.event);
  }

  function replayAfter(ticket: Ticket): FakeEvent[] {
    if (ticket.since === undefined) return [];
    const at = log.findIndex((e) => e.envelope.id === ticket.since);
    // An unknown or pruned cursor replays from the oldest event kept.
    const after = at === -1 ? log : log.slice(at + 1);
    return after.filter((e) => wants(ticket, e.envelope)).slice(0, REPLAY_CAP);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    if (url.pathname !== "/api/v1/realtime") {
      refuseUpgrade(socket, 404, "not_found", "route not found");
      return;
    }
    const ticketId = url.searchParams.get("ticket") ?? "";
    const ticket = tickets.get(ticketId);
    if (!ticket || ticket.used || ticket.expiresAt < Date.now()) {
      refusedUpgrades += 1;
      refuseUpgrade(socket, 401, "unauthorized", "invalid or expired ticket");
      return;
    }
    ticket.used = true;
    wss.handleUpgrade(req, socket, head, (ws) => open(ws, ticket));
  }

  function open(ws: WebSocket, ticket: Ticket): void {
    const replay = replayAfter(ticket);
    const record: RealtimeConnection = {
      org: ticket.org,
      since: ticket.since,
      replayed: replay.length,
      openedAt: Date.now(),
      clientFrames: 0,
    };
    connections.push(record);
    const live: LiveSocket = { ws, ticket, record, silent: false, pings: undefined };
    ws.send(
      JSON.stringify({ event: "connected", timestamp: Date.now(), heartbeatSeconds: heartbeatMs / 1000 }),
    );
    for (const event of replay) ws.send(event.text);
    // Added after the replay is queued, in the same turn: no live event can overtake the replay.
    sockets.add(live);
    live.pings = setInterval(() => {
      if (!live.silent) ws.send(JSON.stringify({ event: "ping", timestamp: Date.now() }));
    }, heartbeatMs);
    ws.on("message", () => {
      record.clientFrames += 1;
      ws.close(1008, "client frames are not accepted");
    });
    ws.on("close", (code) => {
      clearInterval(live.pings);
      sockets.delete(live);
      record.closeCode = code;
      record.closedAt = Date.now();
    });
  }

  // ---- HTTP routes ----

  async function handle(ex: Exchange, route: EventRoute, key: FakeKeySpec): Promise<void> {
    switch (route.kind) {
      case "webhook_list":
        return sendJson(ex, 200, {
          data: [...webhooks.values()].filter((w) => w.organizationId === key.org).map(webhookBody),
          nextCursor: "",
        });
      case "webhook_get": {
        const webhook = webhooks.get(route.webhookId);
        if (!webhook || webhook.organizationId !== key.org) {
          return sendError(ex, 404, "not_found", "webhook not found");
        }
        return sendJson(ex, 200, webhookBody(webhook));
      }
      case "webhook_delete": {
        const webhook = webhooks.get(route.webhookId);
        if (!webhook || webhook.organizationId !== key.org) {
          return sendError(ex, 404, "not_found", "webhook not found");
        }
        webhooks.delete(route.webhookId);
        for (let i = queue.length - 1; i >= 0; i--) {
          if (queue[i]?.webhookId === route.webhookId) queue.splice(i, 1);
        }
        notifySettled();
        return sendNoContent(ex);
      }
      case "webhook_create":
        return createWebhook(ex, key);
      case "realtime_ticket":
        return createTicket(ex, key);
    }
  }

  function createWebhook(ex: Exchange, key: FakeKeySpec) {
    const body = parseStrictBody(ex, WebhookBodySchema);
    if (!body) return;
    if (!body.url || !isHttpUrl(body.url)) {
      // The OpenAPI document names 422 for a missing or malformed url.
      return sendError(ex, 422, "validation_error", "url must be a valid http(s) URL", {
        errors: ["body.url: must be a valid URL"],
      });
    }
    if (body.sessionId !== undefined && context.sessionOrg(body.sessionId) !== key.org) {
      return sendError(ex, 404, "not_found", "session not found");
    }
    const now = Date.now();
    const webhook: FakeWebhook = {
      id: newId(),
      organizationId: key.org,
      url: body.url,
      events: body.events ?? null,
      ...(body.sessionId ? { sessionId: body.sessionId } : {}),
      ...(body.secret ? { secret: body.secret } : {}),
      ...(body.customHeaders ? { customHeaders: body.customHeaders } : {}),
      retryPolicy: body.retryPolicy ?? DEFAULT_RETRY_POLICY,
      retryPolicyChosen: body.retryPolicy !== undefined,
      active: body.active ?? true,
      createdAt: now,
      updatedAt: now,
    };
    webhooks.set(webhook.id, webhook);
    sendJson(ex, 201, webhookBody(webhook));
  }

  function createTicket(ex: Exchange, key: FakeKeySpec) {
    const body = parseStrictBody(ex, RealtimeTicketInputSchema);
    if (!body) return;
    let session: string | undefined;
    if (body.scope === "session") {
      if (!body.session)
        return sendError(ex, 400, "validation_error", "session is required for scope session");
      if (context.sessionOrg(body.session) !== key.org) {
        return sendError(ex, 404, "not_found", "session not found");
      }
      session = body.session;
    }
    const ticket = `rt_${randomBytes(24).toString("base64url")}`;
    tickets.set(ticket, {
      org: key.org,
      session,
      events: body.events,
      since: body.since,
      expiresAt: Date.now() + TICKET_TTL_SECONDS * 1000,
      used: false,
    });
    sendJson(ex, 201, {
      ticket,
      expiresInSeconds: TICKET_TTL_SECONDS,
      url: `/api/v1/realtime?ticket=${encodeURIComponent(ticket)}`,
    });
  }

  function listChats(ex: Exchange, sessionId: string) {
    const url = new URL(ex.record.path, "http://fake.invalid");
    const limitParam = Number(url.searchParams.get("limit") ?? "0");
    const limit = Math.min(MAX_CHAT_PAGE, Math.max(1, limitParam || DEFAULT_CHAT_PAGE));
    const cursor = url.searchParams.get("cursor") ?? "";
    const offset = cursor === "" ? 0 : decodeCursor(cursor);
    if (offset === undefined) return sendError(ex, 400, "validation_error", "invalid cursor");
    const all = chats.get(sessionId) ?? [];
    const page = all
      .slice(offset, offset + limit)
      .map((chat, i) => chatBody(sessionId, chat, offset + i + 1));
    const more = offset + limit < all.length;
    sendJson(ex, 200, {
      // A Go nil slice: a session without chats answers null, not [].
      data: page.length > 0 ? page : null,
      ...(more ? { nextCursor: encodeCursor(offset + limit) } : {}),
    });
  }

  const api: FakeGatewayEvents = {
    emit,
    redeliver(eventId) {
      const original = log.find((e) => e.envelope.id === eventId);
      if (!original) throw new Error(`no event ${eventId} in the fake's log`);
      const { organization, event, session, payload } = original.envelope;
      return emit(organization, event, session, payload);
    },
    get eventLog() {
      return log;
    },
    pruneEvents(keep) {
      log.splice(0, Math.max(0, log.length - keep));
    },
    get webhooks() {
      return [...webhooks.values()];
    },
    get deliveries() {
      return deliveries;
    },
    get pendingDeliveries() {
      return queue.length + (sending ? 1 : 0);
    },
    setDeliveryPolicy(changes) {
      policy = { ...policy, ...changes };
    },
    pauseDeliveries() {
      paused = true;
      scheduleWake();
    },
    resumeDeliveries() {
      paused = false;
      void pump();
    },
    deliveriesSettled() {
      return new Promise<void>((resolve) => {
        settledWaiters.push(resolve);
        notifySettled();
      });
    },
    addChat(sessionId, chat) {
      chats.set(sessionId, [...(chats.get(sessionId) ?? []), chat]);
    },
    setHeartbeatMs(ms) {
      heartbeatMs = ms;
    },
    get realtimeConnections() {
      return connections;
    },
    get openSockets() {
      return sockets.size;
    },
    get refusedUpgrades() {
      return refusedUpgrades;
    },
    dropSockets() {
      for (const live of sockets) live.ws.terminate();
    },
    onDelivery(listener) {
      deliveryListeners.add(listener);
      return () => deliveryListeners.delete(listener);
    },
    silenceSockets() {
      for (const live of sockets) live.silent = true;
    },
  };

  return {
    api,
    handle,
    listChats,
    attach(server) {
      server.on("upgrade", onUpgrade);
    },
    async close() {
      lifetime.abort();
      if (wakeTimer) clearTimeout(wakeTimer);
      for (const live of sockets) live.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const resolve of settledWaiters.splice(0)) resolve();
    },
  };
}

/** Lowercase hex HMAC-SHA512 of the exact body bytes, as the gateway signs deliveries. */
export function signWebhookBody(secret: string, body: string | Buffer): string {
  return createHmac("sha512", secret).update(body).digest("hex");
}

function webhookWants(webhook: FakeWebhook, envelope: EventEnvelope): boolean {
  if (!webhook.active || webhook.organizationId !== envelope.organization) return false;
  if (webhook.sessionId !== undefined && webhook.sessionId !== envelope.session) return false;
  // Names the gateway never emits (the OpenAPI's "message.received") match nothing: only "*" is a wildcard.
  return (webhook.events ?? []).some((name) => name === "*" || name === envelope.event);
}

function webhookBody(webhook: FakeWebhook): WebhookResponseBody {
  return {
    id: webhook.id,
    organizationId: webhook.organizationId,
    ...(webhook.sessionId ? { sessionId: webhook.sessionId } : {}),
    url: webhook.url,
    events: webhook.events,
    ...(webhook.customHeaders ? { customHeaders: webhook.customHeaders } : {}),
    retryPolicy: webhook.retryPolicy,
    active: webhook.active,
    createdAt: webhook.createdAt,
    updatedAt: webhook.updatedAt,
  };
}

function chatBody(sessionId: string, chat: FakeChat, id: number): ChatBody {
  return {
    id,
    sessionId,
    jid: chat.jid,
    type: chat.type,
    ...(chat.name ? { name: chat.name } : {}),
    aliases: chat.aliases ?? null,
    unreadCount: 0,
    archived: false,
    pinned: false,
  };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === "string" ? cause.code : String(err);
}

function refuseUpgrade(socket: Duplex, status: 401 | 404, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = status === 401 ? "Unauthorized" : "Not Found";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
