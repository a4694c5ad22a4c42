// Keeps one realtime WebSocket to the gateway open for the whole organization: a fresh single-use ticket
// (resuming after the last stored event id) for every connection, frames handed on one at a time in
// order, a watchdog for a socket that went quiet, and jittered backoff between attempts. It only ever
// listens: the gateway closes a socket that sends it any data frame.
import { setTimeout as sleep } from "node:timers/promises";
import { WebSocket } from "undici";
import { GatewayApiError } from "../../gateway/errors.js";
import type { GatewayClient } from "../../gateway/types.js";
import type { Logger } from "../../logger.js";

export type RealtimeState = "connecting" | "connected" | "backing_off" | "stopped";

export interface RealtimeTiming {
  /** Ceiling of the first reconnect delay; it doubles with each failure in a row. */
  baseDelayMs: number;
  /** Largest reconnect delay. */
  maxDelayMs: number;
  /** Delay after the gateway refuses the key a ticket: the operator has to fix the key first. */
  keyRefusedDelayMs: number;
  /** A socket with no frame for this many heartbeats is taken for dead. */
  watchdogHeartbeats: number;
  /** Longest wait for the `connected` frame, which tells the heartbeat. */
  connectTimeoutMs: number;
  /** Longest wait for a close handshake we started; past it the socket is left behind. */
  closeGraceMs: number;
}

export interface RealtimeConnectionOptions {
  /** GATEWAY_URL: a relative ticket url is resolved against it, as the API paths are. */
  gatewayUrl: string;
  /** The key to ask tickets with, read afresh for each connection (the operator may replace it). */
  getApiKey: () => string | undefined | Promise<string | undefined>;
  gateway: GatewayClient;
  /** The id of the last event stored, so the gateway replays what came after it. */
  since: () => string | undefined | Promise<string | undefined>;
  /** Receives each event frame's text, one at a time, in the order the gateway sent them. */
  onEvent: (rawText: string) => Promise<void>;
  logger: Logger;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  timing?: Partial<RealtimeTiming>;
}

export interface RealtimeConnection {
  /** Starts connecting; a no-op while already running. */
  start(): void;
  /** Closes the socket, lets the event in hand finish, and resolves once nothing is left running. */
  stop(): Promise<void>;
  readonly state: RealtimeState;
}

const DEFAULT_TIMING: RealtimeTiming = {
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  keyRefusedDelayMs: 60_000,
  watchdogHeartbeats: 2.5,
  connectTimeoutMs: 10_000,
  closeGraceMs: 2_000,
};

/** What the gateway's own heartbeat is when the `connected` frame does not say. */
const DEFAULT_HEARTBEAT_SECONDS = 20;

type AttemptEnd =
  | { kind: "stopped" }
  | { kind: "key_refused"; reason: string }
  /** No socket, or one that never said `connected`. */
  | { kind: "failed"; reason: string }
  /** A socket that was connected, then ended. */
  | { kind: "ended"; reason: string };

export function createRealtimeConnection(options: RealtimeConnectionOptions): RealtimeConnection {
  const timing: RealtimeTiming = { ...DEFAULT_TIMING, ...options.timing };
  const random = options.random ?? Math.random;
  const logger = options.logger.child({ component: "realtime" });
  let state: RealtimeState = "stopped";
  let running: { stopper: AbortController; done: Promise<void> } | undefined;
  // The refusal last logged: an operator needs one line about it, not one a minute.
  let refusalLogged: string | undefined;

  function enter(next: RealtimeState, fields: Record<string, unknown> = {}): void {
    if (next === state) return;
    state = next;
    logger.info({ state: next, ...fields }, `realtime ${next.replace("_", " ")}`);
  }

  async function loop(stop: AbortSignal): Promise<void> {
    let failures = 0;
    while (!stop.aborted) {
      enter("connecting");
      const end = await attempt(stop);
      if (end.kind === "stopped" || stop.aborted) break;
      // A connection the gateway accepted starts a new incident when it drops: reconnect quickly.
      failures = end.kind === "ended" ? 1 : failures + 1;
      const delayMs =
        end.kind === "key_refused" ? timing.keyRefusedDelayMs : reconnectDelayMs(failures, timing, random);
      enter("backing_off", { delayMs, reason: end.reason });
      try {
        await sleep(delayMs, undefined, { signal: stop });
      } catch {
        // Only stop() interrupts the wait; the loop condition sees it.
      }
    }
    enter("stopped");
  }

  async function attempt(stop: AbortSignal): Promise<AttemptEnd> {
    let ticketUrl: string;
    try {
      const apiKey = await options.getApiKey();
      if (!apiKey) return refused("no API key is stored");
      const since = await options.since();
      const ticket = await options.gateway.createRealtimeTicket(apiKey, { since }, stop);
      ticketUrl = ticket.url;
    } catch (err) {
      if (stop.aborted) return { kind: "stopped" };
      if (err instanceof GatewayApiError && (err.status === 401 || err.status === 403)) {
        return refused("the stored key lacks `events`", `the gateway answered ${err.status} ${err.code}`);
      }
      return { kind: "failed", reason: describe(err) };
    }
    refusalLogged = undefined;
    let url: URL;
    try {
      url = socketUrl(options.gatewayUrl, ticketUrl);
    } catch (err) {
      return { kind: "failed", reason: describe(err) };
    }
    return listen(url, stop);
  }

  function refused(reason: string, detail?: string): AttemptEnd {
    if (refusalLogged !== reason) {
      refusalLogged = reason;
      logger.warn(
        { detail, retryInMs: timing.keyRefusedDelayMs },
        `realtime ticket refused: ${reason}; retrying slowly until the key is fixed`,
      );
    }
    return { kind: "key_refused", reason };
  }

  /** One socket, from connecting to closed, and until every frame it delivered has been handled. */
  function listen(url: URL, stop: AbortSignal): Promise<AttemptEnd> {
    return new Promise<AttemptEnd>((resolve) => {
      // An abort that came before the listener is added would never be heard.
      if (stop.aborted) {
        resolve({ kind: "stopped" });
        return;
      }
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch {
        // Not the error's text: it may quote the URL, and the URL carries the ticket.
        resolve({ kind: "failed", reason: "the WebSocket could not be opened" });
        return;
      }
      let connected = false;
      let ended: string | undefined;
      let finished = false;
      let watchdogMs = timing.connectTimeoutMs;
      let watchdog: NodeJS.Timeout | undefined;
      let grace: NodeJS.Timeout | undefined;
      let handling: Promise<void> = Promise.resolve();

      const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => close(`no frame for ${watchdogMs} ms`), watchdogMs);
      };

      // Our side ends it. The close handshake of a dead connection may never finish, so it is not awaited.
      const close = (reason: string) => {
        if (ended !== undefined) return;
        ended = reason;
        clearTimeout(watchdog);
        ws.close(1000);
        grace = setTimeout(finish, timing.closeGraceMs);
      };

      const onStop = () => close("stopped");

      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(watchdog);
        clearTimeout(grace);
        stop.removeEventListener("abort", onStop);
        ws.removeEventListener("message", onMessage);
        ws.removeEventListener("close", onClose);
        void handling.then(() => {
          const reason = ended ?? "closed";
          if (stop.aborted) resolve({ kind: "stopped" });
          else resolve(connected ? { kind: "ended", reason } : { kind: "failed", reason });
        });
      };

      const onClose = (event: { code: number }) => {
        ended ??= `closed by the gateway (code ${event.code})`;
        finish();
      };

      const onMessage = (event: { data: unknown }) => {
        if (ended !== undefined) return;
        arm();
        if (typeof event.data !== "string") {
          logger.debug("realtime binary frame ignored");
          return;
        }
        const text = event.data;
        const control = controlFrameOf(text);
        if (control?.event === "connected") {
          connected = true;
          watchdogMs = Math.round(control.heartbeatSeconds * 1000 * timing.watchdogHeartbeats);
          arm();
          enter("connected");
        } else if (control === undefined) {
          handling = handling.then(() => hand(text, stop, { isEnded: () => ended !== undefined, close }));
        }
      };

      stop.addEventListener("abort", onStop, { once: true });
      ws.addEventListener("message", onMessage);
      ws.addEventListener("close", onClose);
      // A failed connection fires `error` and then `close`, which is where it is handled.
      ws.addEventListener("error", () => undefined);
      arm();
    });
  }

  async function hand(
    text: string,
    stop: AbortSignal,
    socket: { isEnded: () => boolean; close: (reason: string) => void },
  ): Promise<void> {
    // Frames still queued when the socket ended are left for the replay after `since` on the next connection.
    if (stop.aborted || socket.isEnded()) return;
    try {
      await options.onEvent(text);
    } catch (err) {
      // Not stored, so not acknowledged anywhere: reconnecting with `since` (the last event handled) has
      // the gateway send it again, and everything after it, in order.
      logger.error({ err }, "a realtime event could not be handled; reconnecting so the gateway replays it");
      socket.close("an event could not be handled");
    }
  }

  return {
    start() {
      if (running) return;
      const stopper = new AbortController();
      const done = loop(stopper.signal).finally(() => {
        if (running?.stopper === stopper) running = undefined;
      });
      running = { stopper, done };
    },
    async stop() {
      if (!running) return;
      running.stopper.abort();
      await running.done;
    },
    get state() {
      return state;
    },
  };
}

/** The ticket's url as a WebSocket URL: a relative one is joined to the gateway's base URL path. */
export function socketUrl(gatewayUrl: string, ticketUrl: string): URL {
  const url = /^[a-z][a-z0-9+.-]*:/i.test(ticketUrl)
    ? new URL(ticketUrl)
    : new URL(`${gatewayUrl.replace(/\/+$/, "")}/${ticketUrl.replace(/^\/+/, "")}`);
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new TypeError(`realtime url must be http(s) or ws(s), not ${url.protocol}`);
  }
  return url;
}

/**
 * "Equal jitter": between half and all of min(max, base·2^(n-1)) after the n-th failure in a row. Half
 * the ceiling is always waited, so a gateway that refuses at once is not hit in a tight loop.
 */
export function reconnectDelayMs(
  failures: number,
  timing: Pick<RealtimeTiming, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
): number {
  const exponent = Math.min(Math.max(0, failures - 1), 30);
  const ceiling = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** exponent);
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.round(ceiling / 2 + (unit * ceiling) / 2);
}

type ControlFrame = { event: "connected"; heartbeatSeconds: number } | { event: "ping" };

function controlFrameOf(text: string): ControlFrame | undefined {
  let frame: { event?: unknown; heartbeatSeconds?: unknown };
  try {
    frame = JSON.parse(text) as typeof frame;
  } catch {
    return undefined;
  }
  if (frame?.event === "ping") return { event: "ping" };
  if (frame?.event !== "connected") return undefined;
  const seconds = frame.heartbeatSeconds;
  return {
    event: "connected",
    heartbeatSeconds:
      typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0
        ? seconds
        : DEFAULT_HEARTBEAT_SECONDS,
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return "code" in err ? `${String(err.code)}: ${err.message}` : err.message;
  return String(err);
}
