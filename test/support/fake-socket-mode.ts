// A fake Slack Socket Mode endpoint on loopback, attached to the fake Slack Web API: apps.connections.open
// hands out a one-use ticket URL to it; on connect it greets with hello, then delivers envelopes as Slack
// does and records the acknowledgements that come back. It pings like Slack, answers pings (ws does),
// and can ask for a refresh (a disconnect frame) or drop the TCP connection without a close frame.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import type { SlackStandIn } from "../../src/sandbox/slack/web-api.js";

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

export interface SocketAck {
  envelopeId: string;
  /** What the app answered with (a modal's response_action, a command's reply), when it sent anything. */
  payload: Record<string, unknown> | undefined;
  at: number;
}

export interface FakeSocketMode {
  /** Sockets opened so far (a reconnect opens one more), whether or not they got their hello. */
  readonly opened: number;
  /** Sockets that got their hello: the app counts as connected on each. */
  readonly greeted: number;
  readonly acks: readonly SocketAck[];
  /** How each closed socket ended: 1000 when the app closed it, 1006 when the connection just went. */
  readonly closeCodes: readonly number[];
  /** Withholds hello from the sockets that open from now on, until releaseHello(). */
  holdHello(): void;
  /** Greets every socket that waits for its hello, and the later ones at once. */
  releaseHello(): void;
  /**
   * Sends an envelope on the newest greeted socket, as Slack frames it, and resolves with the app's
   * acknowledgement of it.
   */
  deliver(type: EnvelopeType, payload: Record<string, unknown>, timeoutMs?: number): Promise<SocketAck>;
  /** Slack's routine refresh: a disconnect frame; the client is expected to close and reconnect. */
  requestRefresh(): void;
  /** Drops the TCP connection of every open socket, without a close frame. */
  drop(): void;
  waitForOpened(count: number, timeoutMs?: number): Promise<void>;
  waitForGreeted(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const APP_ID = "A0000000001";
/** Slack pings every few seconds; the client drops a socket it has not been pinged on for 30 s. */
const PING_INTERVAL_MS = 5000;

export async function startFakeSocketMode(slack: SlackStandIn): Promise<FakeSocketMode> {
  const tickets = new Set<string>();
  const live = new Set<WebSocket>();
  const waitingForHello: WebSocket[] = [];
  const greetedSockets: WebSocket[] = [];
  const acks: SocketAck[] = [];
  const closeCodes: number[] = [];
  const waiters = new Set<() => void>();
  let opened = 0;
  let holding = false;
  let envelopes = 0;

  const notify = () => {
    for (const w of waiters) w();
  };

  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" });
    res.end("upgrade required");
  });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const ticket = url.searchParams.get("ticket") ?? "";
    // A ticket works once, like the URL Slack hands out.
    if (url.pathname !== "/link/" || !tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket) {
    opened += 1;
    live.add(ws);
    const ping = setInterval(() => ws.ping(), PING_INTERVAL_MS);
    ws.on("message", (data: RawData) => recordAck(data));
    ws.on("close", (code: number) => {
      closeCodes.push(code);
      clearInterval(ping);
      live.delete(ws);
      notify();
    });
    ws.on("error", () => undefined);
    if (holding) waitingForHello.push(ws);
    else greet(ws);
    notify();
  }

  function greet(ws: WebSocket) {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: live.size,
        debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: APP_ID },
      }),
    );
    greetedSockets.push(ws);
    notify();
  }

  function recordAck(data: RawData) {
    const frame = JSON.parse(data.toString()) as { envelope_id?: unknown; payload?: unknown };
    if (typeof frame.envelope_id !== "string") return;
    const payload =
      frame.payload && typeof frame.payload === "object"
        ? (frame.payload as Record<string, unknown>)
        : undefined;
    acks.push({ envelopeId: frame.envelope_id, payload, at: Date.now() });
    notify();
  }

  function waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = find();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Socket Mode: timed out waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
    });
  }

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  slack.serveSocketMode(() => {
    const ticket = randomUUID();
    tickets.add(ticket);
    return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${APP_ID}`;
  });

  return {
    get opened() {
      return opened;
    },
    get greeted() {
      return greetedSockets.length;
    },
    acks,
    closeCodes,
    holdHello() {
      holding = true;
    },
    releaseHello() {
      holding = false;
      for (const ws of waitingForHello.splice(0)) greet(ws);
    },
    async deliver(type, payload, timeoutMs = 5000) {
      const ws = greetedSockets.findLast((s) => live.has(s) && s.readyState === s.OPEN);
      if (!ws) throw new Error("fake Socket Mode: no connected socket to deliver on");
      envelopes += 1;
      const envelopeId = `env-${envelopes}-${randomUUID()}`;
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        type,
        payload,
        // Slack takes a reply in the ack for commands and interactivity, not for events.
        accepts_response_payload: type !== "events_api",
      };
      if (type === "events_api") Object.assign(envelope, { retry_attempt: 0, retry_reason: "" });
      ws.send(JSON.stringify(envelope));
      return waitFor(
        () => acks.find((a) => a.envelopeId === envelopeId),
        `the ack of a ${type} envelope`,
        timeoutMs,
      );
    },
    requestRefresh() {
      for (const ws of live) {
        ws.send(
          JSON.stringify({
            type: "disconnect",
            reason: "refresh_requested",
            debug_info: { host: "applink-fake" },
          }),
        );
      }
    },
    drop() {
      for (const ws of live) ws.terminate();
    },
    waitForOpened: (count, timeoutMs = 15_000) =>
      waitFor(() => (opened >= count ? true : undefined), `socket #${count} to open`, timeoutMs).then(
        () => undefined,
      ),
    waitForGreeted: (count, timeoutMs = 15_000) =>
      waitFor(
        () => (greetedSockets.length >= count ? true : undefined),
        `socket #${count} to get its hello`,
        timeoutMs,
      ).then(() => undefined),
    async close() {
      for (const ws of live) ws.terminate();
      wss.close();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
