// kill -9 of the built app (`node dist/main.js`, SQLite) in the middle of mirroring, three times in a
// row: while WhatsApp keeps producing messages (the gateway delivers them by webhook and retries what got
// no 2xx) and while a backlog is being posted to a slowed Slack. Each time the app is started again on
// the same database and port. Nothing may be lost, each chat keeps its order, and the only second posts
// are the documented ones: a post Slack accepted just before the process died and before the message
// map recorded it, which the next process makes again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { newMessageId, textMessage } from "../../src/sandbox/gateway/event-payloads.js";
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

const CHATS = [
  { chat: "120363000000000911@g.us", channel: "CKILL00001" },
  { chat: "120363000000000912@g.us", channel: "CKILL00002" },
  { chat: "6281200000913@s.whatsapp.net", channel: "CKILL00003" },
];
const PER_CHAT = 12;
const KILLS = 3;

let dir: string;
let world: MirrorWorld;
const instances: { app: ChildApp; spawnedAt: number; killedAt?: number }[] = [];

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "wa-slack-kill-"));
  world = await startMirrorWorld({ databaseUrl: `sqlite:${join(dir, "wa-slack.db")}`, cwd: dir });
  await configureWorkspace(world);
  await linkChats(world, CHATS);
}, 60_000);

afterAll(async () => {
  for (const { app } of instances) if (app.child.exitCode === null) app.child.kill("SIGKILL");
  await world.close();
  rmSync(dir, { recursive: true, force: true });
});

function postsInFlight(since: number): number {
  return world.slack.callsTo("chat.postMessage").filter((c) => c.at >= since && c.answeredAt === undefined)
    .length;
}

function postsMadeSince(since: number): number {
  return world.slack.callsTo("chat.postMessage").filter((c) => c.at >= since).length;
}

async function spawn(port: number): Promise<number> {
  const spawnedAt = Date.now();
  const started = await startApp(world, { port });
  instances.push({ app: started.app, spawnedAt });
  return started.port;
}

describe("kill -9 while mirroring (SQLite, the built app)", () => {
  it("when the app is SIGKILLed three times while webhooks arrive and a backlog is being posted, then every message is in its channel once, in order per chat, but for at most one second post per kill and chat, each the post in flight when it died", async () => {
    // Retries come quickly, and keep coming through a restart (20 attempts reach minutes).
    world.gateway.setDeliveryPolicy({ baseDelayMs: 25, maxAttempts: 20, timeoutMs: 10_000 });
    // Slow enough that a post is in flight most of the time, with Slack's own pace of one a second.
    world.slack.setFault("chat.postMessage", { kind: "latency", ms: 250 });
    const port = await spawn(0);
    await registerWebhook(world, `http://127.0.0.1:${port}`);

    const sent: SentChat[] = CHATS.map(({ channel }) => ({ channel, messages: [] }));
    let emitted = 0;
    const base = Date.now();
    let killed = 0;
    const whatsappGoesOn = (async () => {
      // At least PER_CHAT messages a chat, and on until the last kill: every kill comes while WhatsApp
      // is still producing messages and the gateway delivering them.
      for (let i = 0; i < PER_CHAT || (killed < KILLS && i < 4 * PER_CHAT); i++) {
        for (const [k, { chat }] of CHATS.entries()) {
          const waId = newMessageId();
          // WhatsApp times a millisecond apart: within a minute, so nothing is marked as arrived late.
          const built = textMessage({
            waMessageId: waId,
            chatJid: chat,
            body: `${chat} #${i}`,
            timestamp: base + emitted,
          });
          const event = world.gateway.emit(ORG, built.event, SESSION, built.payload);
          sent[k]?.messages.push({ waId, event, copies: [] });
          emitted += 1;
          await sleep(110);
        }
      }
    })();

    const kills: { postsInFlight: number; deliveriesPending: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      const current = instances.at(-1) as (typeof instances)[number];
      // Once this process has posted a few, at a moment when one of its posts is at Slack, unanswered.
      await eventually(
        () => postsMadeSince(current.spawnedAt) >= 3 && postsInFlight(current.spawnedAt) > 0,
        `instance ${k + 1} has posted and has a post in flight`,
        20_000,
      );
      kills.push({
        postsInFlight: postsInFlight(current.spawnedAt),
        deliveriesPending: world.gateway.pendingDeliveries,
      });
      current.killedAt = await killHard(current.app);
      killed += 1;
      expect(current.app.child.signalCode).toBe("SIGKILL");
      await spawn(port);
    }
    await whatsappGoesOn;

    const everyId = sent.flatMap((c) => c.messages.map((m) => m.waId));
    await eventually(
      () => {
        const shown = new Set(CHATS.flatMap(({ channel }) => world.slack.messagesIn(channel).map(waIdOf)));
        return everyId.every((id) => shown.has(id));
      },
      "every message is in its channel",
      60_000,
    );
    await world.gateway.deliveriesSettled();
    await eventually(
      async () => JSON.parse(await world.operator(["events", "show", TEAM, "--json"])).inbox?.pending === 0,
      "the inbox is drained",
    );
    const last = instances.at(-1) as (typeof instances)[number];
    last.app.child.kill("SIGTERM");
    expect(await last.app.exited).toMatchObject({ code: 0, signal: null });

    // Every event the gateway made was taken in the end (2xx), whatever was refused on the way.
    const deliveries = world.gateway.deliveries;
    for (const chat of sent) {
      for (const m of chat.messages) {
        expect(deliveries.some((d) => d.eventId === m.event.envelope.id && d.ok)).toBe(true);
      }
    }
    // Deliveries came while the app was dead, and were retried until it took them.
    const refused = deliveries.filter((d) => !d.ok).length;
    expect(refused).toBeGreaterThan(0);

    // The message map says which Slack message stands for each WhatsApp message; any other is a second post.
    const store = await createStore(world.databaseUrl, createLogger({ level: "silent" }));
    let duplicates = 0;
    let pairsChecked = 0;
    let excusedLate = 0;
    try {
      for (const [k, chat] of sent.entries()) {
        const ledger = ledgerOf(world.slack, chat, deliveries);
        expect(ledger.missing).toEqual([]);
        expect(ledger.outOfOrder).toEqual([]);
        pairsChecked += ledger.pairsChecked;
        excusedLate += ledger.excusedLate.length;
        for (const { waId, posts } of ledger.duplicates) {
          const key = { workspaceId: TEAM, sessionId: SESSION, chatJid: CHATS[k]?.chat as string };
          const mapped = await store.findMirroredByWhatsApp(key, waId);
          expect(posts.filter((p) => p.ts === mapped?.slackTs)).toHaveLength(1);
          for (const orphan of posts.filter((p) => p.ts !== mapped?.slackTs)) {
            duplicates += 1;
            expectPostOfADyingProcess(orphan.requestedAt as number, chat.channel, waId);
          }
        }
      }
    } finally {
      await store.close();
    }

    // At most one post in flight per chat when a process dies: one second post per kill and chat, at most.
    expect(duplicates).toBeLessThanOrEqual(KILLS * CHATS.length);
    console.info(
      `[mirror-kill] ${KILLS} kills (posts in flight at each: ${kills.map((k) => k.postsInFlight).join(", ")}; ` +
        `deliveries pending: ${kills.map((k) => k.deliveriesPending).join(", ")}): ` +
        `${everyId.length} messages all shown, ${duplicates} second posts, ${refused} deliveries refused and retried, ` +
        `${pairsChecked} ordered pairs checked, ${excusedLate} pairs posted late because the gateway delivered them late`,
    );

    for (const { app } of instances)
      expect(leaksIn(outputOf(app), harnessSecrets({ extra: [MANAGE_KEY] }))).toEqual([]);
  }, 120_000);
});

/**
 * A second post is the documented one when the process that made it was killed, and it was that
 * process's last post in the channel: it died after Slack took the post and before the map recorded it.
 * Had the map recorded it, the message would not have been posted again; had the process gone on to
 * post the chat's next message, it would have recorded this one first.
 */
function expectPostOfADyingProcess(requestedAt: number, channel: string, waId: string): void {
  const index = instances.findIndex(
    (p, i) =>
      p.spawnedAt <= requestedAt && requestedAt < (instances[i + 1]?.spawnedAt ?? Number.POSITIVE_INFINITY),
  );
  const maker = instances[index];
  expect(maker?.killedAt, `the second post of ${waId} was made by a process that was killed`).toBeDefined();
  const until = instances[index + 1]?.spawnedAt ?? Number.POSITIVE_INFINITY;
  const itsPosts = world.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === channel && c.at >= (maker?.spawnedAt ?? 0) && c.at < until);
  expect(waIdOfCall(itsPosts.at(-1))).toBe(waId);
}
