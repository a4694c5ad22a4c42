// Two instances of the built app on one PostgreSQL database behind a round-robin load balancer, as the
// README's "several app instances" deployment runs: the gateway's webhooks for the same chats reach one
// instance, then the other; graphile-worker's named queues share the chats' runs between them. Every
// message must be posted once and in order. Then one instance is SIGKILLed in the middle of a chat's run,
// and the other must finish everything.
//
// A chat whose run the dead instance held stays locked: graphile-worker 0.16 frees a dead worker's lock
// after 4 hours (fixed in its SQL; no setting shortens it) and the app does not detect dead instances.
// The test does what an operator does for an instance known to be dead, graphile-worker's own
// `forceUnlockWorkers` with that instance's worker ids (it logs them at LOG_LEVEL=trace), and checks
// that the other instance then finishes those chats too, with nothing lost.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { makeWorkerUtils } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { chatQueueName } from "../../src/mirror/queue/chat-queue.js";
import { newMessageId, textMessage } from "../../src/sandbox/gateway/event-payloads.js";
import type { FakeEvent } from "../../src/sandbox/gateway/events.js";
import { createStore } from "../../src/store/create-store.js";
import { SESSION, TEAM } from "../support/app-harness.js";
import {
  configureWorkspace,
  killHard,
  linkChats,
  type MirrorWorld,
  outputOf,
  registerWebhook,
  startApp,
  startMirrorWorld,
} from "../support/mirror-child.js";
import { MANAGE_KEY, ORG } from "../support/mirror-helpers.js";
import { ledgerOf, type SentChat, waIdOfCall } from "../support/mirror-ledger.js";
import { waIdOf } from "../support/mirror-observe.js";
import { eventually } from "../support/reliability-app.js";
import { type ChildApp, ensureBuilt } from "../support/reliability-child.js";
import { harnessSecrets, leaksIn } from "../support/reliability-secrets.js";
import { type RoundRobinProxy, startRoundRobinProxy } from "../support/round-robin-proxy.js";
import {
  dropSchemas,
  freshSchemaName,
  rawQuery,
  skipWithoutPostgres,
  TEST_DATABASE_URL,
  urlWithSchema,
} from "../support/store-postgres.js";

const skipPostgres = await skipWithoutPostgres("reliability/mirror-two-instances.test.ts");

const CHATS = [
  { chat: "120363000000000921@g.us", channel: "CTWO000001" },
  { chat: "120363000000000922@g.us", channel: "CTWO000002" },
  { chat: "120363000000000923@g.us", channel: "CTWO000003" },
  { chat: "6281200000924@s.whatsapp.net", channel: "CTWO000004" },
];

interface Instance {
  name: string;
  app: ChildApp;
  url: string;
}

describe.skipIf(skipPostgres)("two app instances on one PostgreSQL database", () => {
  const schema = freshSchemaName();
  const workerSchema = `${schema}_worker`;
  let dir: string;
  let world: MirrorWorld;
  let balancer: RoundRobinProxy;
  let a: Instance;
  let b: Instance;
  const sent: SentChat[] = CHATS.map(({ channel }) => ({ channel, messages: [] }));
  let emitted = 0;
  const base = Date.now();

  async function instance(name: string): Promise<Instance> {
    const { app, port } = await startApp(world, { logLevel: "trace" });
    return { name, app, url: `http://127.0.0.1:${port}` };
  }

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "wa-slack-two-"));
    world = await startMirrorWorld({ databaseUrl: urlWithSchema(schema), cwd: dir });
    await configureWorkspace(world);
    await linkChats(world, CHATS);
    balancer = await startRoundRobinProxy();
    await registerWebhook(world, balancer.url);
    [a, b] = await Promise.all([instance("A"), instance("B")]);
    balancer.setBackends([a.url, b.url]);
    world.gateway.setDeliveryPolicy({ baseDelayMs: 25, maxAttempts: 20, timeoutMs: 10_000 });
    world.slack.setFault("chat.postMessage", { kind: "latency", ms: 100 });
  }, 60_000);

  afterAll(async () => {
    for (const i of [a, b]) if (i && i.app.child.exitCode === null) i.app.child.kill("SIGKILL");
    await balancer?.close();
    await world?.close();
    await dropSchemas([schema, workerSchema]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** One message in chat `k`; every fifth is made again by the gateway under a new event id. */
  function say(k: number, text: string): string {
    const { chat } = CHATS[k] as (typeof CHATS)[number];
    const waId = newMessageId();
    // WhatsApp times a millisecond apart, within a minute: nothing is marked as arrived late.
    const built = textMessage({ waMessageId: waId, chatJid: chat, body: text, timestamp: base + emitted });
    const event = world.gateway.emit(ORG, built.event, SESSION, built.payload);
    const copies: FakeEvent[] = [];
    emitted += 1;
    if (emitted % 5 === 0) copies.push(world.gateway.redeliver(event.envelope.id));
    sent[k]?.messages.push({ waId, event, copies });
    return waId;
  }

  async function burst(perChat: number, label: string, pauseMs: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < perChat; i++) {
      for (const k of CHATS.keys()) {
        ids.push(say(k, `${label} ${k}.${i}`));
        await sleep(pauseMs);
      }
    }
    return ids;
  }

  async function allShown(ids: readonly string[], timeoutMs = 30_000): Promise<void> {
    await eventually(
      () => {
        const shown = new Set(CHATS.flatMap(({ channel }) => world.slack.messagesIn(channel).map(waIdOf)));
        return ids.every((id) => shown.has(id));
      },
      `all ${ids.length} messages are shown`,
      timeoutMs,
    );
  }

  async function pendingInInbox(): Promise<number> {
    return JSON.parse(await world.operator(["events", "show", TEAM, "--json"])).inbox.pending as number;
  }

  /** Chat runs each instance finished, from graphile-worker's own log line for a finished job. */
  function runsBy(i: Instance): number {
    return i.app.lines.filter((l) => /^Completed task \d+ \(mirror_chat/.test(String(l.json?.msg ?? "")))
      .length;
  }

  /** The ids of the instance's graphile-worker workers, as each logged its start (LOG_LEVEL=trace). */
  function workersOf(i: Instance): Set<string> {
    const ids = i.app.lines
      .filter((l) => l.json?.msg === "Spawned")
      .map((l) => (l.json?.worker as { workerId?: string } | undefined)?.workerId)
      .filter((id): id is string => typeof id === "string");
    return new Set(ids);
  }

  /** The chat queues locked now, and by which worker. */
  async function locks(): Promise<{ queue: string; worker: string }[]> {
    const rows = await rawQuery<{ queue_name: string; locked_by: string }>(
      `SELECT queue_name, locked_by FROM "${workerSchema}".jobs WHERE locked_by IS NOT NULL AND queue_name IS NOT NULL`,
    );
    return rows.map((r) => ({ queue: r.queue_name, worker: r.locked_by }));
  }

  function postsOfIn(channel: string | undefined, waId: string): number {
    return world.slack.messagesIn(channel ?? "").filter((m) => waIdOf(m) === waId).length;
  }

  const queueOf = (k: number) =>
    chatQueueName({
      workspaceId: TEAM,
      sessionId: SESSION,
      chatJid: (CHATS[k] as (typeof CHATS)[number]).chat,
    });

  it("when webhooks for the same chats reach one instance then the other, then every message is posted once and in order", async () => {
    const ids = await burst(6, "both up", 30);
    await allShown(ids);
    await world.gateway.deliveriesSettled();
    await eventually(async () => (await pendingInInbox()) === 0, "the inbox is drained");

    let pairs = 0;
    for (const chat of sent) {
      const ledger = ledgerOf(world.slack, chat, world.gateway.deliveries);
      expect(ledger.missing).toEqual([]);
      // Redeliveries under new ids reached either instance: the WhatsApp id kept each to one post.
      expect(ledger.duplicates).toEqual([]);
      expect(ledger.outOfOrder).toEqual([]);
      expect(ledger.excusedLate).toEqual([]);
      pairs += ledger.pairsChecked;
    }
    expect(balancer.answered.get(a.url)).toBeGreaterThan(0);
    expect(balancer.answered.get(b.url)).toBeGreaterThan(0);
    // graphile-worker gives a chat's run to whichever instance asks first: the split is told, not asserted.
    expect(runsBy(a) + runsBy(b)).toBeGreaterThan(0);
    console.info(
      `[mirror-two-instances] ${ids.length} messages (${sent.flatMap((c) => c.messages).filter((m) => m.copies.length > 0).length} redelivered under new ids): ` +
        `webhooks answered A ${balancer.answered.get(a.url)}, B ${balancer.answered.get(b.url)}; chat runs A ${runsBy(a)}, B ${runsBy(b)}; ` +
        `${pairs} ordered pairs checked, 0 second posts`,
    );
  }, 60_000);

  it("when one instance is SIGKILLed in the middle of a chat's run, then the other finishes every chat, the dead one's once its lock is released, and nothing is lost", async () => {
    const before = new Set(sent.flatMap((c) => c.messages.map((m) => m.waId)));
    const whatsappGoesOn = burst(8, "one down", 60);

    // The instance to kill is the one in the middle of a run: it holds a chat's lock and that chat has a
    // post at Slack, unanswered. (Whichever it is: a run goes on while its chat has events, so one
    // instance may hold every chat for the whole burst.)
    let victim: Instance | undefined;
    await eventually(
      async () => {
        const locked = await locks();
        victim = [a, b].find((i) => {
          // Read each time: a worker graphile-worker stopped by itself is replaced by one with a new id.
          const workers = workersOf(i);
          const held = locked.filter((l) => workers.has(l.worker)).map((l) => l.queue);
          return [...CHATS.keys()].some(
            (k) =>
              held.includes(queueOf(k)) &&
              world.slack
                .callsTo("chat.postMessage")
                .some((c) => c.args.channel === CHATS[k]?.channel && c.answeredAt === undefined),
          );
        });
        return victim !== undefined;
      },
      "an instance is posting a chat's message",
      20_000,
    );
    const dead = victim as Instance;
    const survivor = dead === a ? b : a;
    const killedAt = await killHard(dead.app);
    expect(dead.app.child.signalCode).toBe("SIGKILL");
    const deadWorkers = workersOf(dead);
    // Dead, it still holds those chats: they wait for the lock, the others go on at once.
    const stillHeld = (await locks()).filter((l) => deadWorkers.has(l.worker)).map((l) => l.queue);
    const stuckChats = [...CHATS.keys()].filter((k) => stillHeld.includes(queueOf(k)));
    expect(stuckChats.length).toBeGreaterThan(0);
    await whatsappGoesOn;
    // WhatsApp goes on after the kill in every chat. (A delivery the dead instance stored but did not
    // answer is retried to the survivor as a repeat, which schedules nothing: without a later event its
    // chat would wait for the once-a-minute resume of chats with events waiting.)
    await burst(1, "after the kill", 20);

    // Every chat the dead instance did not hold is finished by the survivor, with the events it had taken.
    const others = sent.filter((_, k) => !stuckChats.includes(k));
    await allShown(others.flatMap((c) => c.messages.map((m) => m.waId)));
    await world.gateway.deliveriesSettled();
    expect(balancer.answered.get(survivor.url)).toBeGreaterThan(0);

    // Not asserted, only told: how much of the dead instance's chats was still waiting for its lock.
    const waiting = JSON.stringify(
      stuckChats.map(
        (k) => sent[k]?.messages.filter((m) => postsOfIn(CHATS[k]?.channel, m.waId) === 0).length,
      ),
    );

    // The operator's recovery for an instance known to be dead: its workers' locks are released.
    const utils = await makeWorkerUtils({ connectionString: TEST_DATABASE_URL, schema: workerSchema });
    try {
      await utils.forceUnlockWorkers([...deadWorkers]);
    } finally {
      await utils.release();
    }
    await allShown(sent.flatMap((c) => c.messages.map((m) => m.waId)));
    await eventually(async () => (await pendingInInbox()) === 0, "the inbox is drained", 20_000);

    let duplicates = 0;
    let pairs = 0;
    let late = 0;
    const store = await createStore(world.databaseUrl, createLogger({ level: "silent" }));
    try {
      for (const [k, chat] of sent.entries()) {
        const ledger = ledgerOf(world.slack, chat, world.gateway.deliveries);
        expect(ledger.missing).toEqual([]);
        expect(ledger.outOfOrder).toEqual([]);
        pairs += ledger.pairsChecked;
        late += ledger.excusedLate.length;
        for (const { waId, posts } of ledger.duplicates) {
          // The documented window only: the dead one's post in the chat it held, in flight when it died,
          // made again by the survivor.
          expect(stuckChats).toContain(k);
          expect(before.has(waId)).toBe(false);
          expect(posts).toHaveLength(2);
          const [first, second] = posts;
          const key = { workspaceId: TEAM, sessionId: SESSION, chatJid: CHATS[k]?.chat as string };
          expect((await store.findMirroredByWhatsApp(key, waId))?.slackTs).toBe(second?.ts);
          expect(first?.requestedAt).toBeLessThan(killedAt);
          const lastBeforeKill = world.slack
            .callsTo("chat.postMessage")
            .filter((c) => c.args.channel === chat.channel && c.at < killedAt)
            .at(-1);
          expect(waIdOfCall(lastBeforeKill)).toBe(waId);
          duplicates += 1;
        }
      }
    } finally {
      await store.close();
    }
    expect(duplicates).toBeLessThanOrEqual(stuckChats.length);
    console.info(
      `[mirror-two-instances] ${dead.name} killed while holding ${stuckChats.length} chat(s) (messages of each still unshown before the unlock: ${waiting}): ${sent.flatMap((c) => c.messages).length} messages all shown, ` +
        `${duplicates} second post(s), ${pairs} ordered pairs checked, ${late} pairs posted late because the gateway delivered them late`,
    );

    survivor.app.child.kill("SIGTERM");
    expect(await survivor.app.exited).toMatchObject({ code: 0, signal: null });
    for (const i of [a, b])
      expect(leaksIn(outputOf(i.app), harnessSecrets({ extra: [MANAGE_KEY] }))).toEqual([]);
  }, 90_000);
});
