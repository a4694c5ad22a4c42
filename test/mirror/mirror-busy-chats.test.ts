// More chats behind Slack's pace than the queue runs at once: a chat whose channel's next slot is far
// off gives its slot back (RunRest) instead of sleeping in it, so every busy chat posts at its channel's
// pace instead of eight at a time while the others wait for one of them to run dry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONCURRENCY } from "../../src/mirror/queue/chat-queue.js";
import { textMessage } from "../../src/sandbox/gateway/event-payloads.js";
import { type Harness, startHarness, TEAM } from "../support/app-harness.js";
import { linkChat, MANAGE_KEY, useWebhook, whatsapp } from "../support/mirror-helpers.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";

/** Slack's one post a second per channel, without its burst: every second post waits. */
const PACE = { intervalMs: 1_000, burst: 1 };
const CHATS = DEFAULT_CONCURRENCY + 4;
const MESSAGES_PER_CHAT = 3;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ tuning: { mirror: { pace: PACE } } });
  await h.configure(TEAM);
  await useWebhook(h);
  for (let n = 0; n < CHATS; n++) {
    h.slack.addChannel(channelOf(n));
    await linkChat(h, chatOf(n), { channel: channelOf(n) });
  }
});

afterAll(async () => {
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [MANAGE_KEY] }));
  await h?.close();
});

function chatOf(n: number): string {
  return `1203630400000${String(n).padStart(5, "0")}@g.us`;
}

function channelOf(n: number): string {
  return `CBUSY${String(n).padStart(6, "0")}`;
}

describe("many busy chats", () => {
  it(`when ${CHATS} chats each get a backlog at once, then every chat's first message is posted before any chat's third, all in order`, async () => {
    // Every backlog is in place before the first run: the gateway delivers them back to back.
    h.gateway.pauseDeliveries();
    for (let n = 0; n < CHATS; n++) {
      for (let i = 0; i < MESSAGES_PER_CHAT; i++) {
        whatsapp(h, textMessage({ chatJid: chatOf(n), body: `chat ${n} message ${i}` }));
      }
    }
    h.gateway.resumeDeliveries();
    const posted = await Promise.all(
      Array.from({ length: CHATS }, (_, n) =>
        h.slack.waitForMessages(channelOf(n), MESSAGES_PER_CHAT, 15_000),
      ),
    );
    const mirrored = posted;
    for (const [n, messages] of mirrored.entries()) {
      expect(messages.map((m) => m.text)).toEqual(
        Array.from({ length: MESSAGES_PER_CHAT }, (_, i) =>
          expect.stringContaining(`chat ${n} message ${i}`),
        ),
      );
    }
    const firsts = mirrored.map((messages) => messages[0]?.requestedAt ?? Number.POSITIVE_INFINITY);
    const thirds = mirrored.map((messages) => messages[2]?.requestedAt ?? 0);
    expect(Math.max(...firsts)).toBeLessThan(Math.min(...thirds));
  });
});
