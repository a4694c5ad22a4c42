// A fake WhatsApp gateway on a real loopback HTTP server. It answers like the gateway's code does
// (gateway-notes.md), including where the code departs from the gateway's own docs, and can be told
// to misbehave per session (latency, proxy errors, resets, broken bodies). Its event side (webhooks,
// the realtime WebSocket, chats) is in events.ts, served by the same server.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import {
  createFakeEventsEngine,
  type EventRoute,
  type FakeGatewayEvents,
  matchEventRoute,
} from "./events.js";
import {
  apiError,
  bearerOrApiKey,
  type Exchange,
  parseOrRaw,
  parseStrictBody,
  type RecordedRequest,
  readAll,
  sendError,
  sendJson,
  sendRaw,
} from "./http.js";
import {
  type FakeSessionStatus,
  ReactionInputBodySchema,
  type SendResultBody,
  VoteInputBodySchema,
  type WASessionBody,
} from "./schemas.js";

export type { RecordedRequest } from "./http.js";

export type Permission = "read" | "send" | "manage" | "events";

export interface FakeKeySpec {
  org: string;
  permissions: readonly Permission[];
}

export interface FakeSessionSpec {
  org: string;
  waJid?: string;
  /** Defaults to "working"; any other status makes sends fail with 501 like a session without a live client. */
  status?: FakeSessionStatus;
}

export type FakeFaultKind =
  /** 429 JSON with details.retryAfterSeconds, and no Retry-After header (as the gateway does). */
  | { kind: "rate_limited"; retryAfterSeconds: number }
  /** 503 gateway_unavailable JSON: the owning gateway is draining or unreachable. */
  | { kind: "unavailable" }
  /** A proxy's HTML error page. */
  | { kind: "html502" }
  /** A proxy's gateway timeout with an empty body. */
  | { kind: "empty504" }
  /** Headers and part of the body are sent, then the socket is destroyed. */
  | { kind: "reset" }
  /** 200 with a body that is not valid JSON. */
  | { kind: "malformed_json" }
  /** 200 whose body is `bytes` long, streamed chunked unless `withContentLength`. */
  | { kind: "huge_body"; bytes: number; withContentLength?: boolean }
  /** Any gateway error envelope. */
  | { kind: "status"; status: number; code: string; message: string; details?: Record<string, unknown> }
  /** Any status with any body, for answers that are not the gateway's protocol. */
  | { kind: "raw"; status: number; body: string; contentType?: string };

export type FakeFault = (FakeFaultKind | { kind?: undefined }) & {
  /** Delay before anything is answered (combinable with a kind). */
  latencyMs?: number;
  /** Fault only the first N requests to the session, then behave normally. */
  times?: number;
};

export interface GatewaySimulatorOptions {
  keys?: Record<string, FakeKeySpec>;
  sessions?: Record<string, FakeSessionSpec>;
  /** Latency added to every request (a per-session fault's latency adds to it). */
  latencyMs?: number;
}

export interface GatewaySimulator extends FakeGatewayEvents {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Requests being handled right now. */
  readonly inFlight: number;
  /** Highest `inFlight` seen since start or the last `reset()`. */
  readonly maxInFlight: number;
  addKey(key: string, spec: FakeKeySpec): void;
  addSession(id: string, spec: FakeSessionSpec): void;
  /** Faults the routes of a session, or a route without one named in ORG_ROUTE_FAULT_KEYS. */
  setFault(sessionId: string, fault: FakeFault): void;
  /** Ticket requests answer 503 gateway_unavailable or 401 unauthorized until called with undefined. */
  refuseRealtimeTickets(status: 401 | 503 | undefined): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** Forgets recorded requests and the max-in-flight figure; keys, sessions and faults stay. */
  reset(): void;
  /**
   * Calls `listener` with every reaction and vote the simulator accepted (answered with a SendResult):
   * what the account did on WhatsApp. The gateway sends no event for these, so whoever shows WhatsApp's
   * side (the sandbox's page) learns of them here. Returns a function that stops the calls.
   */
  onSent(listener: (sent: SentAction) => void): () => void;
  /** Calls `listener` after every request the simulator recorded. Returns a function that stops the calls. */
  onRequest(listener: (request: RecordedRequest) => void): () => void;
  close(): Promise<void>;
}

/** A reaction or vote the account made on WhatsApp through the simulator. */
export type SentAction =
  | { kind: "reaction"; sessionId: string; messageId: string; chat: string; sender?: string; emoji: string }
  | { kind: "unreaction"; sessionId: string; messageId: string; chat: string; sender?: string }
  | { kind: "vote"; sessionId: string; messageId: string; chat: string; sender?: string; options: string[] };

export const FAKE_GATEWAY_ID = "gw-fake-1";

/** Fault keys of the routes that belong to no session, for `setFault`. */
export const ORG_ROUTE_FAULT_KEYS = {
  webhooks: "route:webhooks",
  realtimeTicket: "route:realtime-ticket",
} as const;

type SessionRoute =
  | { kind: "session" | "chats"; sessionId: string }
  | { kind: "reaction" | "vote"; sessionId: string; messageId: string };

type Route = SessionRoute | EventRoute;

interface ActiveFault {
  fault: FakeFault;
  remaining: number;
}

const JID_PATTERNS = [
  /^[0-9]+(?:[.:][0-9]+)*@s\.whatsapp\.net$/,
  /^[0-9]+(?:-[0-9]+)?@g\.us$/,
  /^[0-9]+(?:[.:][0-9]+)*@lid$/,
  /^[0-9]+@newsletter$/,
  /^[A-Za-z0-9]+@broadcast$/,
];

export function isWellFormedJid(jid: string): boolean {
  return JID_PATTERNS.some((pattern) => pattern.test(jid));
}

export async function startGatewaySimulator(
  options: GatewaySimulatorOptions = {},
): Promise<GatewaySimulator> {
  const keys = new Map<string, FakeKeySpec>(Object.entries(options.keys ?? {}));
  const sessions = new Map<string, FakeSessionSpec & { createdAt: number }>();
  const faults = new Map<string, ActiveFault>();
  const requests: RecordedRequest[] = [];
  const lifetime = new AbortController();
  let latencyMs = options.latencyMs ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const sentListeners = new Set<(sent: SentAction) => void>();
  const requestListeners = new Set<(request: RecordedRequest) => void>();

  const addSession = (id: string, spec: FakeSessionSpec) =>
    sessions.set(id, { ...spec, createdAt: Date.now() });
  for (const [id, spec] of Object.entries(options.sessions ?? {})) addSession(id, spec);
  const events = createFakeEventsEngine({ sessionOrg: (id) => sessions.get(id)?.org });

  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const clientGone = new AbortController();
    res.on("close", () => {
      inFlight -= 1;
      if (!res.writableFinished) clientGone.abort();
    });
    const signal = AbortSignal.any([clientGone.signal, lifetime.signal]);
    handle(req, res, signal).catch(() => {
      // A bug in the fake must still answer, or the test would only see a timeout.
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify(apiError("internal", "fake gateway failure")));
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const rawBody = await readAll(req);
    const record: RecordedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      body: parseOrRaw(rawBody),
      at: Date.now(),
    };
    requests.push(record);
    for (const listener of requestListeners) listener(record);
    const ex: Exchange = { req, res, record, rawBody, signal };

    const pathname = record.path.split("?")[0] ?? "";
    const route = matchRoute(record.method, pathname) ?? matchEventRoute(record.method, pathname);
    const fault = route ? takeFault(faultKeyOf(route)) : undefined;
    const wait = latencyMs + (fault?.latencyMs ?? 0);
    if (wait > 0) {
      try {
        await delay(wait, undefined, { signal });
      } catch {
        return; // the client gave up or the fake is closing: nobody is listening
      }
    }
    if (signal.aborted) return;

    // Faults of whatever stands in front of the gateway: they come before any check of the request.
    switch (fault?.kind) {
      case "unavailable":
        return sendError(ex, 503, "gateway_unavailable", "owning gateway is unavailable, retry later");
      case "html502":
        return sendRaw(
          ex,
          502,
          "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
          "text/html",
        );
      case "empty504":
        return sendRaw(ex, 504, "", undefined);
      case "reset":
        return resetMidResponse(ex);
      default:
        break;
    }

    if (!route) return sendError(ex, 404, "not_found", "route not found");

    const token = bearerOrApiKey(req.headers);
    const key = token === undefined ? undefined : keys.get(token);
    if (!key) return sendError(ex, 401, "unauthorized", "authentication required");
    const capability = capabilityOf(route);
    if (!key.permissions.includes(capability)) {
      return sendError(ex, 403, "forbidden", `missing required capability: ${capability}`);
    }
    if (!("sessionId" in route)) {
      if (answeredByFault(ex, fault)) return;
      return events.handle(ex, route, key);
    }
    const session = sessions.get(route.sessionId);
    // Another organization's session is indistinguishable from a missing one.
    if (!session || session.org !== key.org) return sendError(ex, 404, "not_found", "session not found");
    if (answeredByFault(ex, fault)) return;

    if (route.kind === "session") return sendJson(ex, 200, sessionBody(route.sessionId, session));
    if (route.kind === "chats") return events.listChats(ex, route.sessionId);

    const input =
      route.kind === "vote"
        ? parseStrictBody(ex, VoteInputBodySchema)
        : parseStrictBody(ex, ReactionInputBodySchema);
    if (!input) return;
    const { chat, sender } = input;
    if (chat === undefined || chat === "") return sendError(ex, 400, "validation_error", "chat is required");
    if (route.kind === "vote") {
      const options = "options" in input ? input.options : undefined;
      // The docs say an empty list clears the vote; the code refuses it.
      if (!options || options.length === 0) {
        return sendError(ex, 400, "validation_error", "at least one option is required for vote");
      }
    }
    // The gateway parses JIDs deep in its send path, so a malformed one surfaces as a 500.
    if (!isWellFormedJid(chat)) return sendError(ex, 500, "internal", `invalid chat JID "${chat}"`);
    if (sender !== undefined && sender !== "" && !isWellFormedJid(sender)) {
      return sendError(ex, 500, "internal", `invalid sender JID "${sender}"`);
    }
    if ((session.status ?? "working") !== "working") {
      return sendError(ex, 501, "not_implemented", "live WhatsApp client is not available for this session");
    }

    switch (fault?.kind) {
      case "malformed_json":
        return sendRaw(ex, 200, '{"mode":"sync","status":"sent","timestamp":17', "application/json");
      case "huge_body":
        return sendHuge(ex, fault.bytes, fault.withContentLength === true);
      default:
        sendJson(ex, 200, sendResult());
        if ("messageId" in route) announceSent(route, record.method, chat, sender, input);
    }
  }

  function announceSent(
    route: { kind: "reaction" | "vote"; sessionId: string; messageId: string },
    method: string,
    chat: string,
    sender: string | undefined,
    input: { emoji?: string | undefined; options?: string[] | null | undefined },
  ): void {
    const base = {
      sessionId: route.sessionId,
      messageId: route.messageId,
      chat,
      ...(sender ? { sender } : {}),
    };
    const sent: SentAction =
      route.kind === "vote"
        ? { ...base, kind: "vote", options: input.options ?? [] }
        : method === "DELETE" || !input.emoji
          ? { ...base, kind: "unreaction" }
          : { ...base, kind: "reaction", emoji: input.emoji };
    for (const listener of sentListeners) listener(sent);
  }

  /** Faults that stand for the gateway's own answers: they come after the request passed auth. */
  function answeredByFault(ex: Exchange, fault: FakeFault | undefined): boolean {
    switch (fault?.kind) {
      case "rate_limited":
        sendError(ex, 429, "rate_limited", "rate limit exceeded", {
          retryAfterSeconds: fault.retryAfterSeconds,
        });
        return true;
      case "status":
        sendJson(ex, fault.status, {
          error: {
            code: fault.code,
            message: fault.message,
            ...(fault.details ? { details: fault.details } : {}),
          },
        });
        return true;
      case "raw":
        sendRaw(ex, fault.status, fault.body, fault.contentType);
        return true;
      default:
        return false;
    }
  }

  function takeFault(faultKey: string): FakeFault | undefined {
    const active = faults.get(faultKey);
    if (!active || active.remaining <= 0) return undefined;
    active.remaining -= 1;
    return active.fault;
  }

  function sessionBody(id: string, session: FakeSessionSpec & { createdAt: number }): WASessionBody {
    return {
      id,
      organizationId: session.org,
      gatewayId: FAKE_GATEWAY_ID,
      status: session.status ?? "working",
      isAdminSession: false,
      autoRead: false,
      presenceTyping: true,
      ratePerMin: 20,
      ratePerHour: 200,
      createdAt: session.createdAt,
      updatedAt: session.createdAt,
      ...(session.waJid ? { waJid: session.waJid, phoneNumber: session.waJid.split("@")[0] ?? "" } : {}),
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  events.attach(server);
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  const gateway: Omit<GatewaySimulator, keyof FakeGatewayEvents> = {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    addKey(key, spec) {
      keys.set(key, spec);
    },
    addSession,
    setFault(sessionId, fault) {
      faults.set(sessionId, { fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    refuseRealtimeTickets(status) {
      if (status === undefined) faults.delete(ORG_ROUTE_FAULT_KEYS.realtimeTicket);
      else if (status === 503)
        faults.set(ORG_ROUTE_FAULT_KEYS.realtimeTicket, unending({ kind: "unavailable" }));
      else {
        faults.set(
          ORG_ROUTE_FAULT_KEYS.realtimeTicket,
          unending({ kind: "status", status: 401, code: "unauthorized", message: "authentication required" }),
        );
      }
    },
    clearFaults() {
      faults.clear();
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    reset() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    onSent(listener) {
      sentListeners.add(listener);
      return () => sentListeners.delete(listener);
    },
    onRequest(listener) {
      requestListeners.add(listener);
      return () => requestListeners.delete(listener);
    },
    close() {
      closed ??= events.close().then(
        () =>
          new Promise<void>((resolve) => {
            lifetime.abort();
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      );
      return closed;
    },
  };
  // Copied as property descriptors, so the event API's getters stay getters (a spread would freeze them).
  return Object.defineProperties(gateway, Object.getOwnPropertyDescriptors(events.api)) as GatewaySimulator;
}

function unending(fault: FakeFault): ActiveFault {
  return { fault, remaining: Number.POSITIVE_INFINITY };
}

function faultKeyOf(route: Route): string {
  if ("sessionId" in route) return route.sessionId;
  return route.kind === "realtime_ticket"
    ? ORG_ROUTE_FAULT_KEYS.realtimeTicket
    : ORG_ROUTE_FAULT_KEYS.webhooks;
}

function capabilityOf(route: Route): Permission {
  switch (route.kind) {
    case "session":
    case "chats":
      return "read";
    case "reaction":
    case "vote":
      return "send";
    case "realtime_ticket":
      return "events";
    default:
      return "manage";
  }
}

function matchRoute(method: string, pathname: string): SessionRoute | undefined {
  const parts = pathname.split("/");
  if (parts[0] !== "" || parts[1] !== "api" || parts[2] !== "v1" || parts[3] !== "sessions") return undefined;
  const decoded: string[] = [];
  for (const part of parts.slice(4)) {
    try {
      decoded.push(decodeURIComponent(part));
    } catch {
      return undefined;
    }
  }
  const [sessionId, messages, messageId, action, ...rest] = decoded;
  if (!sessionId || rest.length > 0) return undefined;
  if (messages === undefined) return method === "GET" ? { kind: "session", sessionId } : undefined;
  if (messages === "chats" && messageId === undefined) {
    return method === "GET" ? { kind: "chats", sessionId } : undefined;
  }
  if (messages !== "messages" || !messageId) return undefined;
  if (action === "reaction" && (method === "POST" || method === "DELETE")) {
    return { kind: "reaction", sessionId, messageId };
  }
  if (action === "vote" && method === "POST") return { kind: "vote", sessionId, messageId };
  return undefined;
}

function sendResult(): SendResultBody {
  return {
    mode: "sync",
    status: "sent",
    timestamp: Date.now(),
    waMessageId: `3EB0${randomBytes(8).toString("hex").toUpperCase()}`,
  };
}

function resetMidResponse(ex: Exchange): void {
  ex.res.writeHead(200, { "content-type": "application/json", "content-length": 200 });
  ex.res.write('{"mode":"sync","sta', () => {
    // After the first bytes are on the wire, so the client has seen headers and part of the body.
    ex.res.socket?.destroy();
  });
}

async function sendHuge(ex: Exchange, bytes: number, withContentLength: boolean): Promise<void> {
  const head = '{"mode":"sync","status":"sent","padding":"';
  const tail = '"}';
  const padding = Math.max(0, bytes - head.length - tail.length);
  const headers: Record<string, string | number> = { "content-type": "application/json" };
  if (withContentLength) headers["content-length"] = head.length + padding + tail.length;
  ex.record.response = { status: 200, body: `<${bytes} bytes>` };
  ex.res.writeHead(200, headers);
  ex.res.write(head);
  const chunk = "x".repeat(16 * 1024);
  let left = padding;
  while (left > 0 && !ex.signal.aborted && !ex.res.destroyed) {
    const piece = left >= chunk.length ? chunk : chunk.slice(0, left);
    left -= piece.length;
    if (!ex.res.write(piece)) {
      // Respect backpressure: a client that stops reading must not make the fake buffer everything.
      await new Promise<void>((resolve) => {
        const done = () => {
          ex.res.off("drain", done);
          ex.res.off("close", done);
          resolve();
        };
        ex.res.once("drain", done);
        ex.res.once("close", done);
      });
    }
  }
  if (!ex.res.destroyed) ex.res.end(tail);
}
