import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import type { ChatQueue } from "../../../src/mirror/queue/chat-queue.js";
import { createChatQueue } from "../../../src/mirror/queue/create-chat-queue.js";
import {
  createInProcessQueue,
  type InProcessQueueOptions,
} from "../../../src/mirror/queue/in-process-queue.js";
import type { Store } from "../../../src/store/port.js";
import { createSqliteStore } from "../../../src/store/sqlite.js";
import {
  type ChatProbe,
  chatKey,
  chatProbe,
  inboxEvent,
  until,
  WORKSPACE,
} from "../../support/chat-queue-probe.js";
import { capturingLogger, silentLogger } from "../../support/store-fixtures.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sqliteStore(): Promise<Store> {
  const store = await createSqliteStore({ path: ":memory:" }, silentLogger());
  cleanups.push(() => store.close());
  return store;
}

const noPendingChats = { chatsWithPendingEvents: async () => [] };

function queueFor(probe: ChatProbe, options: Partial<InProcessQueueOptions> = {}): ChatQueue {
  const queue = createInProcessQueue({
    processChat: probe.processChat,
    store: noPendingChats,
    logger: silentLogger(),
    retry: { baseMs: 5, maxMs: 20 },
    ...options,
  });
  cleanups.push(() => queue.stop(1_000));
  return queue;
}

const idle = (queue: ChatQueue) => queue.stats.running === 0 && queue.stats.waiting === 0;

describe("in-process chat queue", () => {
  it("when one chat is scheduled over and over while it runs, then its runs never overlap", async () => {
    const probe = chatProbe({ workMs: 3 });
    const queue = queueFor(probe);
    await queue.start();
    for (let i = 0; i < 60; i++) {
      await Promise.all([queue.schedule(chatKey(1)), queue.schedule(chatKey(1))]);
      await sleep(1);
    }
    await until(() => idle(queue), "the queue is idle");
    expect(probe.of(chatKey(1)).succeeded).toBeGreaterThan(1);
    expect(probe.of(chatKey(1)).succeeded).toBeLessThanOrEqual(120);
    expect(probe.maxOverlap).toBe(1);
  });

  it("when a chat is scheduled several times during its run, then it runs exactly once more afterwards", async () => {
    const probe = chatProbe();
    const queue = queueFor(probe);
    await queue.start();
    const release = probe.hold(chatKey(1));
    await queue.schedule(chatKey(1));
    await until(() => probe.active === 1, "the first run is under way");
    for (let i = 0; i < 5; i++) await queue.schedule(chatKey(1));
    expect(queue.stats).toEqual({ running: 1, waiting: 1 });
    release();
    await until(() => idle(queue), "the queue is idle");
    expect(probe.of(chatKey(1))).toMatchObject({ started: 2, succeeded: 2 });
  });

  it("when a chat is scheduled once with nothing running, then it runs once", async () => {
    const probe = chatProbe();
    const queue = queueFor(probe);
    await queue.start();
    await queue.schedule(chatKey(1));
    await until(() => idle(queue), "the queue is idle");
    expect(probe.of(chatKey(1)).started).toBe(1);
  });

  it("when different chats are scheduled, then they run at the same time, up to the concurrency bound", async () => {
    const probe = chatProbe();
    const queue = queueFor(probe, { concurrency: 3 });
    await queue.start();
    const releases = Array.from({ length: 5 }, (_, n) => probe.hold(chatKey(n)));
    for (let n = 0; n < 5; n++) await queue.schedule(chatKey(n));
    await until(() => probe.active === 3, "three chats run");
    expect(queue.stats).toEqual({ running: 3, waiting: 2 });
    for (const release of releases) release();
    await until(() => idle(queue), "the queue is idle");
    expect(probe.maxConcurrent).toBe(3);
    for (let n = 0; n < 5; n++) expect(probe.of(chatKey(n)).succeeded).toBe(1);
  });

  it("when a run throws, then the chat is retried until a run succeeds, and other chats carry on meanwhile", async () => {
    const probe = chatProbe();
    const queue = queueFor(probe);
    await queue.start();
    probe.failNext(chatKey(1), 4);
    await queue.schedule(chatKey(1));
    await queue.schedule(chatKey(2));
    await until(() => probe.of(chatKey(1)).succeeded === 1, "the failing chat succeeds");
    await until(() => idle(queue), "the queue is idle");
    expect(probe.of(chatKey(1))).toMatchObject({ started: 5, failed: 4, succeeded: 1 });
    expect(probe.of(chatKey(2))).toMatchObject({ started: 1, succeeded: 1 });
  });

  it("when runs keep failing, then the retry delay doubles from baseMs up to maxMs, jittered within its upper half", async () => {
    const lines: string[] = [];
    const probe = chatProbe();
    const highest = queueFor(probe, {
      logger: capturingLogger(lines, "warn"),
      retry: { baseMs: 2, maxMs: 16 },
      random: () => 1,
    });
    await highest.start();
    probe.failNext(chatKey(1), 6);
    await highest.schedule(chatKey(1));
    await until(() => probe.of(chatKey(1)).succeeded === 1, "the chat succeeds");
    const logged = lines.map(
      (line) => JSON.parse(line) as { retryInMs: number; failures: number; msg: string },
    );
    expect(logged.map((l) => l.retryInMs)).toEqual([2, 4, 8, 16, 16, 16]);
    expect(logged.map((l) => l.failures)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines.join("\n")).toContain("SlackDownForTest");

    lines.length = 0;
    const lowest = queueFor(probe, {
      logger: capturingLogger(lines, "warn"),
      retry: { baseMs: 2, maxMs: 16 },
      random: () => 0,
    });
    await lowest.start();
    probe.failNext(chatKey(2), 5);
    await lowest.schedule(chatKey(2));
    await until(() => probe.of(chatKey(2)).succeeded === 1, "the chat succeeds");
    expect(lines.map((line) => (JSON.parse(line) as { retryInMs: number }).retryInMs)).toEqual([
      1, 2, 4, 8, 8,
    ]);
  });

  it("when a chat is scheduled while it waits for a retry, then it keeps its backoff and runs once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const probe = chatProbe();
    const queue = queueFor(probe, { retry: { baseMs: 60_000, maxMs: 60_000 } });
    await queue.start();
    probe.failNext(chatKey(1), 1);
    await queue.schedule(chatKey(1));
    await vi.waitUntil(() => probe.of(chatKey(1)).failed === 1 && queue.stats.running === 0);
    for (let i = 0; i < 3; i++) await queue.schedule(chatKey(1));
    expect(queue.stats).toEqual({ running: 0, waiting: 1 });
    expect(probe.of(chatKey(1)).started).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitUntil(() => idle(queue));
    expect(probe.of(chatKey(1))).toMatchObject({ started: 2, succeeded: 1 });
  });

  it("when a run rests until its channel is free, then its slot goes to another chat at once, schedules meanwhile wait, and it runs again after the rest", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const probe = chatProbe();
    const queue = queueFor(probe, { concurrency: 1 });
    await queue.start();
    probe.restNext(chatKey(1), 800);
    await queue.schedule(chatKey(1));
    await queue.schedule(chatKey(2));
    await vi.waitUntil(() => probe.of(chatKey(2)).succeeded === 1);
    expect(probe.of(chatKey(1))).toMatchObject({ started: 1, rested: 1, succeeded: 0 });
    for (let i = 0; i < 3; i++) await queue.schedule(chatKey(1));
    expect(queue.stats).toEqual({ running: 0, waiting: 1 });
    const [firstRun = 0] = probe.of(chatKey(1)).startedAt;
    await vi.advanceTimersByTimeAsync(firstRun + 790 - Date.now());
    expect(probe.of(chatKey(1)).started).toBe(1);
    await vi.advanceTimersByTimeAsync(20);
    await vi.waitUntil(() => idle(queue));
    expect(probe.of(chatKey(1))).toMatchObject({ started: 2, rested: 1, succeeded: 1, failed: 0 });
    expect((probe.of(chatKey(1)).startedAt[1] ?? 0) - firstRun).toBeGreaterThanOrEqual(800);
  });

  it("when chats were scheduled before start(), then they run once it is called", async () => {
    const probe = chatProbe();
    const queue = queueFor(probe);
    await queue.schedule(chatKey(1));
    await queue.schedule(chatKey(1));
    await sleep(5);
    expect(probe.of(chatKey(1)).started).toBe(0);
    expect(queue.stats).toEqual({ running: 0, waiting: 1 });
    await queue.start();
    await until(() => idle(queue), "the queue is idle");
    expect(probe.of(chatKey(1)).started).toBe(1);
  });

  it("when start() is called, then every chat with pending inbox events is worked through, in event order", async () => {
    const store = await sqliteStore();
    for (let n = 1; n <= 3; n++) {
      for (let i = 3; i >= 1; i--) await store.acceptEvent(inboxEvent(chatKey(n), n * 100 + i));
    }
    const probe = chatProbe({ store });
    const queue = queueFor(probe, { store });
    await queue.start();
    await until(
      async () => (await store.inboxCounts(WORKSPACE)).pending === 0,
      "the inbox is worked through",
    );
    await until(() => idle(queue), "the queue is idle");
    for (let n = 1; n <= 3; n++) {
      expect(probe.of(chatKey(n)).finished).toEqual(
        [1, 2, 3].map((i) => inboxEvent(chatKey(n), n * 100 + i).eventId),
      );
    }
  });

  it("when stop() is called during a run, then it waits for the run to finish", async () => {
    const probe = chatProbe();
    const queue = queueFor(probe);
    await queue.start();
    const release = probe.hold(chatKey(1));
    await queue.schedule(chatKey(1));
    await until(() => probe.active === 1, "the run is under way");
    let stopped = false;
    const stopping = queue.stop(10_000).then(() => {
      stopped = true;
    });
    await sleep(20);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(probe.of(chatKey(1)).succeeded).toBe(1);
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });

  it("when a run outlasts the drain, then stop() still returns, and says so", async () => {
    const lines: string[] = [];
    const probe = chatProbe();
    const queue = queueFor(probe, { logger: capturingLogger(lines, "warn") });
    await queue.start();
    const release = probe.hold(chatKey(1));
    cleanups.push(async () => release());
    await queue.schedule(chatKey(1));
    await until(() => probe.active === 1, "the run is under way");
    await queue.stop(20);
    expect(lines.join("\n")).toContain("stopped before every chat run finished");
  });

  it("when stopped with a chat waiting for a retry, then no timer is left and nothing runs any more", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const probe = chatProbe();
    const queue = queueFor(probe, { retry: { baseMs: 1_000, maxMs: 1_000 } });
    await queue.start();
    probe.failNext(chatKey(1), 1);
    await queue.schedule(chatKey(1));
    await vi.waitUntil(() => probe.of(chatKey(1)).failed === 1 && queue.stats.running === 0);
    expect(vi.getTimerCount()).toBe(1);
    await queue.stop();
    expect(vi.getTimerCount()).toBe(0);
    await queue.schedule(chatKey(2));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(probe.of(chatKey(1)).started).toBe(1);
    expect(probe.of(chatKey(2)).started).toBe(0);
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
    await expect(queue.start()).rejects.toThrow(/stopped/);
  });

  it("when processChat rejects with a non-Error, then the chat is still retried", async () => {
    let calls = 0;
    const queue = createInProcessQueue({
      processChat: async () => {
        calls += 1;
        if (calls === 1) return Promise.reject(undefined);
      },
      store: noPendingChats,
      logger: silentLogger(),
      retry: { baseMs: 1, maxMs: 1 },
    });
    cleanups.push(() => queue.stop());
    await queue.start();
    await queue.schedule(chatKey(1));
    await until(() => calls === 2 && idle(queue), "the retry ran");
  });

  it("when the options are unusable, then the factory says which", () => {
    const base = { processChat: async () => {}, store: noPendingChats, logger: silentLogger() };
    expect(() => createInProcessQueue({ ...base, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createInProcessQueue({ ...base, retry: { baseMs: 10, maxMs: 5 } })).toThrow(/baseMs/);
    expect(() => createInProcessQueue({ ...base, retry: { baseMs: 0, maxMs: 5 } })).toThrow(/baseMs/);
  });
});

describe("createChatQueue", () => {
  it("when DATABASE_URL is sqlite:, then the queue runs chats in this process", async () => {
    const store = await sqliteStore();
    await store.acceptEvent(inboxEvent(chatKey(1), 1));
    const probe = chatProbe({ store });
    const queue = await createChatQueue({
      databaseUrl: "sqlite::memory:",
      processChat: probe.processChat,
      store,
      logger: silentLogger(),
    });
    cleanups.push(() => queue.stop());
    await queue.start();
    await until(() => probe.of(chatKey(1)).succeeded === 1, "the chat ran");
    expect(probe.of(chatKey(1)).finished).toEqual([inboxEvent(chatKey(1), 1).eventId]);
  });

  it("when DATABASE_URL is neither, then it is a configuration error", async () => {
    await expect(
      createChatQueue({
        databaseUrl: "mysql://db/wa",
        processChat: async () => {},
        store: noPendingChats,
        logger: silentLogger(),
      }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
