// The realtime client against the fake gateway's WebSocket: order, replay after reconnects, the
// watchdog, backoff on refused tickets, a clean stop, and never a data frame from our side.
import { createHook } from "node:async_hooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GatewayClient } from "../../src/gateway/types.js";
import {
  createRealtimeConnection,
  type RealtimeConnection,
  type RealtimeConnectionOptions,
  reconnectDelayMs,
  socketUrl,
} from "../../src/mirror/realtime/realtime-client.js";
import type { GatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import {
  captureLogs,
  KEYS,
  ORG,
  SESSIONS,
  startSeededFakeGateway,
  testClient,
} from "../support/gateway-fixtures.js";

const TIMING = {
  baseDelayMs: 20,
  maxDelayMs: 200,
  keyRefusedDelayMs: 150,
  connectTimeoutMs: 2_000,
  closeGraceMs: 500,
};

let fake: GatewaySimulator;
let gateway: GatewayClient;

beforeAll(async () => {
  fake = await startSeededFakeGateway();
  // 100 ms heartbeats: the watchdog gives up on a socket after 250 ms without a frame.
  fake.setHeartbeatMs(100);
  ({ client: gateway } = testClient(fake));
});

afterEach(() => {
  fake.reset();
  fake.clearFaults();
});

afterAll(async () => {
  await gateway.close();
  await fake.close();
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

interface Harness {
  connection: RealtimeConnection;
  /** Ids of the events handed to onEvent, in the order they were handed. */
  received: string[];
  lines: string[];
  logs(): Record<string, unknown>[];
  /** Stops, then checks what every test must hold: no data frame ever reached the gateway. */
  stop(): Promise<void>;
  key: { value: string | undefined };
}

function start(
  overrides: Partial<RealtimeConnectionOptions> = {},
  apiKey: string = KEYS.eventsOnly,
): Harness {
  const received: string[] = [];
  const key: { value: string | undefined } = { value: apiKey };
  const { logger, lines } = captureLogs();
  const firstConnection = fake.realtimeConnections.length;
  const connection = createRealtimeConnection({
    gatewayUrl: fake.url,
    getApiKey: () => key.value,
    gateway,
    // The last id stored, as the mirror's inbox would keep it.
    since: () => received.at(-1),
    onEvent: async (raw) => {
      received.push((JSON.parse(raw) as { id: string }).id);
    },
    logger,
    random: () => 0.5,
    timing: TIMING,
    ...overrides,
  });
  connection.start();
  return {
    connection,
    received,
    lines,
    key,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async stop() {
      await connection.stop();
      await waitFor(() => fake.openSockets === 0);
      const ours = fake.realtimeConnections.slice(firstConnection);
      expect(ours.map((c) => c.clientFrames)).toEqual(ours.map(() => 0));
      expect(ours.filter((c) => c.closeCode === 1008)).toEqual([]);
    },
  };
}

const emit = (n: number) => fake.emit(ORG, "message", SESSIONS.main, { n }).envelope.id;
const ticketRequests = () => fake.requests.filter((r) => r.path === "/api/v1/realtime/ticket");

describe("realtime client", () => {
  it("when events are emitted, then each is handed on once, in order, the next only after the last is done", async () => {
    let busy = 0;
    let maxBusy = 0;
    const h = start({
      onEvent: async (raw) => {
        busy += 1;
        maxBusy = Math.max(maxBusy, busy);
        // The first events take longer than the later ones: order must not depend on speed.
        await new Promise((resolve) => setTimeout(resolve, h.received.length < 3 ? 15 : 1));
        h.received.push((JSON.parse(raw) as { id: string }).id);
        busy -= 1;
      },
    });
    try {
      await waitFor(() => h.connection.state === "connected");
      const ids = Array.from({ length: 20 }, (_, n) => emit(n));
      await waitFor(() => h.received.length >= 20);
      // A few heartbeats more: pings keep coming, and none of them may be handed on.
      await new Promise((resolve) => setTimeout(resolve, 250));

      expect(h.received).toEqual(ids);
      expect(maxBusy).toBe(1);
      expect(ticketRequests().map((r) => r.body)).toEqual([{ scope: "organization" }]);
    } finally {
      await h.stop();
    }
  });

  it("when the socket drops, then a fresh ticket with since replays what was missed, each once", async () => {
    const h = start();
    try {
      await waitFor(() => h.connection.state === "connected");
      const before = [emit(1), emit(2)];
      await waitFor(() => h.received.length === 2);
      const connections = fake.realtimeConnections.length;

      fake.dropSockets();
      // Emitted while no socket is open: only the replay can bring them.
      const missed = [emit(3), emit(4)];
      await waitFor(() => h.received.length >= 4);

      expect(h.received).toEqual([...before, ...missed]);
      expect(ticketRequests().map((r) => r.body)).toEqual([
        { scope: "organization" },
        { scope: "organization", since: before[1] },
      ]);
      expect(fake.realtimeConnections[connections]).toMatchObject({ since: before[1], replayed: 2 });
    } finally {
      await h.stop();
    }
  });

  it("when the socket goes silent, then the watchdog closes it and the client reconnects and catches up", async () => {
    const h = start();
    try {
      await waitFor(() => h.connection.state === "connected");
      const first = emit(1);
      await waitFor(() => h.received.length === 1);
      const connections = fake.realtimeConnections.length;

      fake.silenceSockets();
      const duringSilence = emit(2);
      await waitFor(() => h.received.length >= 2);

      expect(h.received).toEqual([first, duringSilence]);
      expect(fake.realtimeConnections[connections]).toMatchObject({ since: first, replayed: 1 });
      expect(h.logs().find((l) => l.state === "backing_off")).toMatchObject({
        msg: "realtime backing off",
        reason: "no frame for 250 ms",
      });
    } finally {
      await h.stop();
    }
  });

  it("when tickets are refused (503), then attempts back off exponentially with jitter up to the cap, then recover", async () => {
    fake.refuseRealtimeTickets(503);
    const h = start();
    try {
      await waitFor(() => ticketRequests().length >= 6);
      const delays = h
        .logs()
        .filter((l) => l.state === "backing_off")
        .map((l) => l.delayMs);

      // random() = 0.5: three quarters of min(200, 20·2^(n-1)).
      expect(delays.slice(0, 5)).toEqual([15, 30, 60, 120, 150]);
      expect(h.connection.state).not.toBe("connected");

      fake.refuseRealtimeTickets(undefined);
      await waitFor(() => h.connection.state === "connected");
      const id = emit(1);
      await waitFor(() => h.received.length === 1);
      expect(h.received).toEqual([id]);
    } finally {
      await h.stop();
    }
  });

  it("when the stored key lacks events (403), then it says so once, retries slowly, and connects once the key is fixed", async () => {
    const h = start({}, KEYS.sendRead);
    try {
      await waitFor(() => ticketRequests().length >= 3);
      const refusals = h.logs().filter((l) => l.level === 40);
      const waits = h.logs().filter((l) => l.state === "backing_off");

      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({
        msg: "realtime ticket refused: the stored key lacks `events`; retrying slowly until the key is fixed",
        detail: "the gateway answered 403 forbidden",
      });
      expect(waits.every((l) => l.delayMs === 150 && l.reason === "the stored key lacks `events`")).toBe(
        true,
      );

      h.key.value = KEYS.eventsOnly;
      await waitFor(() => h.connection.state === "connected");
    } finally {
      await h.stop();
    }
  });

  it("when no key is stored, then it says so and waits slowly for one", async () => {
    const h = start({}, "");
    try {
      await waitFor(() => h.logs().some((l) => l.state === "backing_off"));

      expect(h.logs().find((l) => l.level === 40)?.msg).toBe(
        "realtime ticket refused: no API key is stored; retrying slowly until the key is fixed",
      );
      expect(h.logs().find((l) => l.state === "backing_off")).toMatchObject({
        delayMs: 150,
        reason: "no API key is stored",
      });
      expect(ticketRequests()).toHaveLength(0);

      h.key.value = KEYS.eventsOnly;
      await waitFor(() => h.connection.state === "connected");
    } finally {
      await h.stop();
    }
  });

  it("when the gateway says 401 to the ticket, then it is the slow retry too", async () => {
    fake.refuseRealtimeTickets(401);
    const h = start();
    try {
      await waitFor(() => h.logs().some((l) => l.state === "backing_off"));

      expect(h.logs().find((l) => l.state === "backing_off")).toMatchObject({
        delayMs: 150,
        reason: "the stored key lacks `events`",
      });
    } finally {
      await h.stop();
    }
  });

  it("when handling a frame fails (the store is down), then the socket reconnects with since and the gateway replays it and what followed, in order", async () => {
    const stored: string[] = [];
    let failuresLeft = 1;
    const h = start({
      since: () => stored.at(-1),
      onEvent: async (raw) => {
        const { id, payload } = JSON.parse(raw) as { id: string; payload: { n: number } };
        if (payload.n === 2 && failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error("store is down");
        }
        stored.push(id);
      },
    });
    try {
      await waitFor(() => h.connection.state === "connected");
      const connections = fake.realtimeConnections.length;
      const ids = [emit(1), emit(2), emit(3)];
      await waitFor(() => stored.length === 3);

      // Nothing lost, nothing twice, nothing out of order.
      expect(stored).toEqual(ids);
      expect(fake.realtimeConnections.length).toBeGreaterThan(connections);
      expect(h.logs().find((l) => l.level === 50)).toMatchObject({
        msg: "a realtime event could not be handled; reconnecting so the gateway replays it",
        err: { message: "store is down" },
      });
    } finally {
      await h.stop();
    }
  });

  it("when each state is entered, then it is logged once, and neither the key nor a ticket is ever written", async () => {
    const h = start();
    await waitFor(() => h.connection.state === "connected");
    const connections = fake.realtimeConnections.length;
    fake.dropSockets();
    await waitFor(() => fake.realtimeConnections.length > connections && h.connection.state === "connected");
    await h.stop();

    const states = h.logs().flatMap((l) => (typeof l.state === "string" ? [l.state] : []));
    expect(states).toEqual(["connecting", "connected", "backing_off", "connecting", "connected", "stopped"]);
    const text = h.lines.join("");
    expect(text).not.toContain(KEYS.eventsOnly);
    expect(text).not.toMatch(/rt_[A-Za-z0-9_-]{8}/);
  });

  it("when stopped while connected, then the socket is closed normally, nothing more is handed on, and no timer is left", async () => {
    const timers = trackClientTimers();
    const h = start();
    try {
      await waitFor(() => h.connection.state === "connected");
      const id = emit(1);
      await waitFor(() => h.received.length === 1);

      await h.stop();
      emit(2);

      expect(h.connection.state).toBe("stopped");
      expect(h.received).toEqual([id]);
      expect(fake.realtimeConnections.at(-1)?.closeCode).toBe(1000);
      expect(timers.created).toBeGreaterThan(0);
      expect(await timers.pending()).toBe(0);
    } finally {
      timers.disable();
    }
  });

  it("when stopped while backing off, then the wait ends at once and no timer is left", async () => {
    const timers = trackClientTimers();
    fake.refuseRealtimeTickets(401);
    const h = start();
    try {
      await waitFor(() => h.connection.state === "backing_off");
      expect(await timers.pending()).toBe(1);

      await h.stop();

      expect(h.connection.state).toBe("stopped");
      expect(await timers.pending()).toBe(0);
    } finally {
      timers.disable();
    }
  });

  it("when stopped while an event is being handled, then stop waits for it and hands on nothing after", async () => {
    const order: string[] = [];
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const h = start({
      onEvent: async (raw) => {
        const { payload } = JSON.parse(raw) as { payload: { n: number } };
        if (payload.n === 1) {
          entered();
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        order.push(`handled ${payload.n}`);
      },
    });
    await waitFor(() => h.connection.state === "connected");
    emit(1);
    emit(2);
    await inHandler;

    await h.stop().then(() => order.push("stopped"));

    // Event 2 is left for the replay after `since` on the next start.
    expect(order).toEqual(["handled 1", "stopped"]);
    expect(h.connection.state).toBe("stopped");
  });

  it("when started twice, then one connection is made", async () => {
    const h = start();
    h.connection.start();
    try {
      await waitFor(() => h.connection.state === "connected");

      expect(ticketRequests()).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });
});

describe("socketUrl", () => {
  it("when the ticket url is relative, then it is joined to the gateway URL's path, as ws", () => {
    expect(socketUrl("http://127.0.0.1:8080", "/api/v1/realtime?ticket=rt_x").href).toBe(
      "ws://127.0.0.1:8080/api/v1/realtime?ticket=rt_x",
    );
    expect(socketUrl("https://gw.example.com/wa/", "/api/v1/realtime?ticket=rt_x").href).toBe(
      "wss://gw.example.com/wa/api/v1/realtime?ticket=rt_x",
    );
  });

  it("when the ticket url is absolute, then it is used as is, http(s) turned into ws(s)", () => {
    expect(
      socketUrl("https://gw.example.com", "wss://router.example.com/api/v1/realtime?ticket=rt_x").href,
    ).toBe("wss://router.example.com/api/v1/realtime?ticket=rt_x");
    expect(
      socketUrl("https://gw.example.com", "https://router.example.com/api/v1/realtime?ticket=rt_x").href,
    ).toBe("wss://router.example.com/api/v1/realtime?ticket=rt_x");
  });

  it("when the ticket url has another scheme, then it is refused", () => {
    expect(() => socketUrl("https://gw.example.com", "ftp://router.example.com/x")).toThrow(
      "realtime url must be http(s) or ws(s), not ftp:",
    );
  });
});

describe("reconnectDelayMs", () => {
  it("when failures pile up, then the delay lies between half and all of the capped doubling ceiling", () => {
    const timing = { baseDelayMs: 1_000, maxDelayMs: 30_000 };
    const low = [1, 2, 3, 4, 5, 6, 7].map((n) => reconnectDelayMs(n, timing, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7].map((n) => reconnectDelayMs(n, timing, () => 0.999_999));

    expect(low).toEqual([500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
    expect(high).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it("when the jitter source misbehaves, then the delay stays within bounds", () => {
    const timing = { baseDelayMs: 1_000, maxDelayMs: 30_000 };

    expect(reconnectDelayMs(1, timing, () => Number.NaN)).toBe(500);
    expect(reconnectDelayMs(1, timing, () => 7)).toBe(1_000);
    expect(reconnectDelayMs(10_000, timing, () => 0.5)).toBe(22_500);
  });
});

/**
 * Counts the timers the realtime client itself creates (told apart by the stack that creates them) and
 * how many of them are still pending: neither fired nor cleared.
 */
function trackClientTimers() {
  const pending = new Set<number>();
  let created = 0;
  const hook = createHook({
    init(asyncId, type) {
      if (type !== "Timeout") return;
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 50;
      const stack = new Error().stack ?? "";
      Error.stackTraceLimit = limit;
      // The first frame outside Node and this hook is the code that asked for the timer; undici's own
      // timers (made while the client asks for a ticket) are undici's, not the client's.
      const caller = stack
        .split("\n")
        .slice(1)
        .find(
          (frame) =>
            !frame.includes("node:") &&
            !frame.includes("<anonymous>") &&
            !frame.includes("realtime-client.test.ts"),
        );
      if (!caller?.includes("realtime-client.ts")) return;
      created += 1;
      pending.add(asyncId);
    },
    destroy(asyncId) {
      pending.delete(asyncId);
    },
  }).enable();
  return {
    get created() {
      return created;
    },
    /** Pending timers, once Node has run the destroy hooks it queues when a timer is cleared. */
    async pending() {
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      return pending.size;
    },
    disable: () => hook.disable(),
  };
}
