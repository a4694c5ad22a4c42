import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import type { ChatQueue } from "../../../src/mirror/queue/chat-queue.js";
import { createChatQueue } from "../../../src/mirror/queue/create-chat-queue.js";
import {
  createGraphileQueue,
  type GraphileQueueOptions,
  graphileTarget,
  MIRROR_CHAT_TASK,
} from "../../../src/mirror/queue/graphile-queue.js";
import { createStore } from "../../../src/store/create-store.js";
import type { Store } from "../../../src/store/port.js";
import {
  type ChatProbe,
  chatKey,
  chatProbe,
  inboxEvent,
  until,
  WORKSPACE,
} from "../../support/chat-queue-probe.js";
import { capturingLogger, silentLogger } from "../../support/store-fixtures.js";
import {
  dropSchemas,
  freshSchemaName,
  rawQuery,
  skipWithoutPostgres,
  urlWithSchema,
} from "../../support/store-postgres.js";

describe("graphileTarget", () => {
  it("when the URL names a schema, then pg gets the URL without it and the jobs live in <schema>_worker", () => {
    const target = graphileTarget("postgres://wa:s3cret@db.example:5433/wa?schema=mirror&sslmode=require");
    expect(target.workerSchema).toBe("mirror_worker");
    const url = new URL(target.connectionString);
    expect(url.searchParams.has("schema")).toBe(false);
    expect(url.searchParams.has("options")).toBe(false);
    expect(url.searchParams.get("sslmode")).toBe("require");
    expect(url.password).toBe("s3cret");
    expect(target.display).not.toContain("s3cret");
  });

  it("when the URL names no schema, then the jobs live in graphile_worker", () => {
    expect(graphileTarget("postgresql://db/wa").workerSchema).toBe("graphile_worker");
  });

  it("when the schema name is unusable or too long for the worker schema, then it is a configuration error", () => {
    expect(() => graphileTarget('postgres://db/wa?schema=x";drop')).toThrow(ConfigError);
    expect(() => graphileTarget(`postgres://db/wa?schema=${"s".repeat(57)}`)).toThrow(/at most 56/);
    expect(graphileTarget(`postgres://db/wa?schema=${"s".repeat(56)}`).workerSchema).toHaveLength(63);
  });
});

const skip = await skipWithoutPostgres("graphile-queue.test.ts");

describe.skipIf(skip)("graphile-worker chat queue", () => {
  const schemas: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await dropSchemas(schemas);
  });

  interface Fixture {
    url: string;
    /** The URL with an application_name of its own, which pg prefers to the queue's, to find its connections. */
    queueUrl: string;
    applicationName: string;
    workerSchema: string;
    store: Store;
  }

  async function fixture(): Promise<Fixture> {
    const schema = freshSchemaName();
    schemas.push(schema, `${schema}_worker`);
    const url = urlWithSchema(schema);
    const store = await createStore(url, silentLogger());
    cleanups.push(() => store.close());
    const applicationName = `queue-test-${schema}`;
    const queueUrl = new URL(url);
    queueUrl.searchParams.set("application_name", applicationName);
    return { url, queueUrl: queueUrl.href, applicationName, workerSchema: `${schema}_worker`, store };
  }

  function queueOn(f: Fixture, probe: ChatProbe, options: Partial<GraphileQueueOptions> = {}): ChatQueue {
    const queue = createGraphileQueue({
      databaseUrl: f.queueUrl,
      processChat: probe.processChat,
      store: f.store,
      logger: silentLogger(),
      concurrency: 4,
      ...options,
    });
    cleanups.push(() => queue.stop(5_000));
    return queue;
  }

  /** Jobs of the chat task that will still run (a job that ran out of attempts will not). */
  async function jobsLeft(f: Fixture): Promise<number> {
    const rows = await rawQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${f.workerSchema}".jobs WHERE task_identifier = $1 AND attempts < max_attempts`,
      [MIRROR_CHAT_TASK],
    );
    return rows[0]?.n ?? 0;
  }

  async function settled(f: Fixture, probe: ChatProbe): Promise<void> {
    await until(async () => probe.active === 0 && (await jobsLeft(f)) === 0, "every job has run");
  }

  it("when one chat is scheduled over and over while it runs, then its runs never overlap", async () => {
    const f = await fixture();
    const probe = chatProbe({ workMs: 5 });
    const queue = queueOn(f, probe);
    await queue.start();
    for (let i = 0; i < 30; i++) {
      await Promise.all([queue.schedule(chatKey(1)), queue.schedule(chatKey(1)), queue.schedule(chatKey(1))]);
      await sleep(2);
    }
    await settled(f, probe);
    expect(probe.of(chatKey(1)).succeeded).toBeGreaterThanOrEqual(1);
    expect(probe.of(chatKey(1)).succeeded).toBeLessThanOrEqual(90);
    expect(probe.maxOverlap).toBe(1);
  });

  it("when a chat is scheduled several times during its run, then it runs exactly once more afterwards", async () => {
    const f = await fixture();
    const probe = chatProbe();
    const queue = queueOn(f, probe);
    await queue.start();
    const release = probe.hold(chatKey(1));
    await queue.schedule(chatKey(1));
    await until(() => probe.active === 1, "the first run is under way");
    await Promise.all(Array.from({ length: 5 }, () => queue.schedule(chatKey(1))));
    expect(await jobsLeft(f)).toBe(1);
    release();
    await settled(f, probe);
    expect(probe.of(chatKey(1))).toMatchObject({ started: 2, succeeded: 2 });
    expect(probe.maxOverlap).toBe(1);
  });

  it("when different chats are scheduled, then they run at the same time", async () => {
    const f = await fixture();
    const probe = chatProbe();
    const queue = queueOn(f, probe);
    await queue.start();
    const releases = [1, 2, 3].map((n) => probe.hold(chatKey(n)));
    for (const n of [1, 2, 3]) await queue.schedule(chatKey(n));
    await until(() => probe.active === 3, "three chats run together");
    expect(queue.stats.running).toBe(3);
    for (const release of releases) release();
    await settled(f, probe);
    for (const n of [1, 2, 3]) expect(probe.of(chatKey(n)).succeeded).toBe(1);
  });

  it("when a run rests until its channel is free, then another chat takes its slot, a schedule meanwhile does not bring it forward, and it runs again after the rest", async () => {
    const f = await fixture();
    const probe = chatProbe();
    const queue = queueOn(f, probe, { concurrency: 1 });
    await queue.start();
    probe.restNext(chatKey(1), 1_500);
    await queue.schedule(chatKey(1));
    await until(() => probe.of(chatKey(1)).rested === 1, "the first run rests");
    await queue.schedule(chatKey(2));
    await until(() => probe.of(chatKey(2)).succeeded === 1, "the other chat runs in the freed slot");
    await queue.schedule(chatKey(1));
    // Brought forward, the job would run within milliseconds (graphile-worker hears of it at once).
    await sleep(300);
    expect(probe.of(chatKey(1)).started).toBe(1);
    await until(() => probe.of(chatKey(1)).succeeded === 1, "the rested chat runs again", 10_000);
    await settled(f, probe);
    const [first = 0, second = 0] = probe.of(chatKey(1)).startedAt;
    expect(probe.of(chatKey(1))).toMatchObject({ started: 2, rested: 1, succeeded: 1, failed: 0 });
    // graphile-worker's clock is the database's; a few ms either way of the app's.
    expect(second - first).toBeGreaterThanOrEqual(1_400);
    expect(probe.maxOverlap).toBe(1);
  });

  it("when a run throws, then graphile-worker retries the chat until a run succeeds", async () => {
    const f = await fixture();
    const lines: string[] = [];
    const probe = chatProbe();
    const queue = queueOn(f, probe, { logger: capturingLogger(lines, "warn") });
    await queue.start();
    probe.failNext(chatKey(1), 1);
    await queue.schedule(chatKey(1));
    await until(() => probe.of(chatKey(1)).succeeded === 1, "the retry succeeds");
    await settled(f, probe);
    expect(probe.of(chatKey(1))).toMatchObject({ started: 2, failed: 1, succeeded: 1 });
    const warned = lines.map((line) => JSON.parse(line) as { msg: string; attempt?: number; level: number });
    expect(warned).toContainEqual(
      expect.objectContaining({ msg: "mirroring the chat failed; it is retried later", attempt: 1 }),
    );
    // graphile-worker's own line for the failed job is not repeated as an error.
    expect(warned.filter((l) => l.level >= 50)).toEqual([]);
  });

  it("when a chat's job ran out of attempts, then the next schedule runs the chat again", async () => {
    const f = await fixture();
    const probe = chatProbe();
    const queue = queueOn(f, probe, { maxAttempts: 1 });
    await queue.start();
    probe.failNext(chatKey(1), 1);
    await queue.schedule(chatKey(1));
    await until(async () => {
      const rows = await rawQuery<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${f.workerSchema}".jobs WHERE attempts >= max_attempts AND locked_at IS NULL`,
      );
      return rows[0]?.n === 1;
    }, "the job has run out of attempts");
    expect(await jobsLeft(f)).toBe(0);
    await queue.schedule(chatKey(1));
    await until(() => probe.of(chatKey(1)).succeeded === 1, "the chat runs again");
    expect(probe.of(chatKey(1))).toMatchObject({ started: 2, failed: 1 });
  });

  it("when start() is called, then every chat with pending inbox events is worked through, in event order", async () => {
    const f = await fixture();
    for (let n = 1; n <= 3; n++) {
      for (let i = 3; i >= 1; i--) await f.store.acceptEvent(inboxEvent(chatKey(n), n * 100 + i));
    }
    const probe = chatProbe({ store: f.store });
    const queue = queueOn(f, probe);
    await queue.start();
    await until(
      async () => (await f.store.inboxCounts(WORKSPACE)).pending === 0,
      "the inbox is worked through",
    );
    await settled(f, probe);
    for (let n = 1; n <= 3; n++) {
      expect(probe.of(chatKey(n)).finished).toEqual(
        [1, 2, 3].map((i) => inboxEvent(chatKey(n), n * 100 + i).eventId),
      );
    }
  });

  it("when a chat is scheduled before start(), then the job waits in the database and runs once started", async () => {
    const f = await fixture();
    const probe = chatProbe();
    const queue = queueOn(f, probe);
    await queue.schedule(chatKey(1));
    expect(await jobsLeft(f)).toBe(1);
    expect(probe.of(chatKey(1)).started).toBe(0);
    await queue.start();
    await settled(f, probe);
    expect(probe.of(chatKey(1)).succeeded).toBe(1);
  });

  it("when stop() is called during a run, then it waits for the run, and leaves no connection open", async () => {
    const f = await fixture();
    const probe = chatProbe();
    const queue = queueOn(f, probe);
    await queue.start();
    const release = probe.hold(chatKey(1));
    await queue.schedule(chatKey(1));
    await until(() => probe.active === 1, "the run is under way");
    expect(await queueConnections(f)).toBeGreaterThan(0);
    let stopped = false;
    const stopping = queue.stop(10_000).then(() => {
      stopped = true;
    });
    await sleep(50);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(probe.of(chatKey(1)).succeeded).toBe(1);
    expect(await jobsLeft(f)).toBe(0);
    await until(async () => (await queueConnections(f)) === 0, "the queue's connections are closed");
    await queue.schedule(chatKey(2));
    expect(await jobsLeft(f)).toBe(0);
  });

  it("when a run outlasts the drain, then stop() returns and the chat's job is unlocked for a retry", async () => {
    const f = await fixture();
    const lines: string[] = [];
    const probe = chatProbe();
    const queue = queueOn(f, probe, { logger: capturingLogger(lines, "warn") });
    await queue.start();
    const release = probe.hold(chatKey(1));
    await queue.schedule(chatKey(1));
    await until(() => probe.active === 1, "the run is under way");
    await queue.stop(100);
    expect(lines.join("\n")).toContain("did not finish in time");
    const rows = await rawQuery<{ locked_at: Date | null; last_error: string | null }>(
      `SELECT locked_at, last_error FROM "${f.workerSchema}".jobs`,
    );
    expect(rows).toEqual([{ locked_at: null, last_error: "the app is stopping" }]);
    release();
    await until(() => probe.active === 0, "the abandoned run ends");
    await until(async () => (await queueConnections(f)) === 0, "the queue's connections are closed");
  });

  it("when graphile-worker stops the worker by itself, as another schema's migration makes it do, then a new worker takes over at once", async () => {
    const f = await fixture();
    const lines: string[] = [];
    const probe = chatProbe();
    const queue = queueOn(f, probe, { logger: capturingLogger(lines, "warn") });
    await queue.start();
    const release = probe.hold(chatKey(1));
    await queue.schedule(chatKey(1));
    await until(() => probe.active === 1, "a run is under way");
    const exitCode = process.exitCode;
    // What graphile-worker announces to the whole database when it installs itself in any schema.
    await rawQuery("SELECT pg_notify('worker:migrate', $1)", [
      JSON.stringify({ migrationNumber: 1, breaking: true }),
    ]);
    await until(
      () => lines.some((line) => line.includes("stopped the chat queue's worker by itself")),
      "it stops",
    );
    // graphile-worker also sets the exit code to 57 for this; the app exits with its own code, the test must too.
    process.exitCode = exitCode;
    await queue.schedule(chatKey(2));
    await queue.schedule(chatKey(1));
    await until(() => probe.of(chatKey(2)).succeeded === 1, "another chat runs on the new worker meanwhile");
    expect(probe.of(chatKey(1)).started).toBe(1);
    release();
    await settled(f, probe);
    expect(probe.of(chatKey(1))).toMatchObject({ started: 2, succeeded: 2 });
    expect(probe.maxOverlap).toBe(1);
    expect(lines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });

  it("when two instances share the database, then no chat runs on both at once and every scheduled chat runs", async () => {
    const f = await fixture();
    const probe = chatProbe({ store: f.store, workMs: 20 });
    const perInstance = [0, 0];
    const queues = [0, 1].map((i) =>
      queueOn(f, probe, {
        concurrency: 3,
        processChat: async (key) => {
          perInstance[i] = (perInstance[i] ?? 0) + 1;
          await probe.processChat(key);
        },
      }),
    );
    await Promise.all(queues.map((q) => q.start()));
    // Fewer chats than workers: a worker is always free to take a chat that is already running elsewhere.
    const chats = Array.from({ length: 4 }, (_, n) => chatKey(n));
    let id = 0;
    for (let round = 0; round < 8; round++) {
      // Both instances hear of every event, while the chat's previous run may still be under way.
      await Promise.all(
        chats.map(async (key) => {
          id += 1;
          await f.store.acceptEvent(inboxEvent(key, id));
          await Promise.all(queues.map((q) => q.schedule(key)));
        }),
      );
      await sleep(10);
    }
    await until(async () => (await f.store.inboxCounts(WORKSPACE)).pending === 0, "every event is processed");
    await settled(f, probe);
    expect(probe.maxOverlap).toBe(1);
    for (const key of chats) {
      const record = probe.of(key);
      expect(record.succeeded).toBeGreaterThanOrEqual(1);
      expect(record.finished).toHaveLength(8);
      expect([...record.finished].sort()).toEqual(record.finished);
    }
    expect((perInstance[0] ?? 0) + (perInstance[1] ?? 0)).toBeGreaterThanOrEqual(chats.length);
  });

  it("when DATABASE_URL is postgres://, then createChatQueue keeps the jobs in <schema>_worker, not in the app's schema", async () => {
    const f = await fixture();
    const probe = chatProbe();
    const queue = await createChatQueue({
      databaseUrl: f.url,
      processChat: probe.processChat,
      store: f.store,
      logger: silentLogger(),
    });
    cleanups.push(() => queue.stop());
    await queue.start();
    await queue.schedule(chatKey(1));
    await settled(f, probe);
    const appSchema = new URL(f.url).searchParams.get("schema");
    const tables = await rawQuery<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_schema = ANY($1) AND table_name LIKE '%jobs'`,
      [[appSchema, f.workerSchema]],
    );
    expect(tables.map((t) => t.table_schema)).toEqual(expect.arrayContaining([f.workerSchema]));
    expect(tables.filter((t) => t.table_schema === appSchema)).toEqual([]);
  });
});

async function queueConnections(f: { applicationName: string }): Promise<number> {
  const rows = await rawQuery<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1",
    [f.applicationName],
  );
  return rows[0]?.n ?? 0;
}
