// The mirror end to end when things go wrong: Slack failing or hanging, one message Slack refuses, an
// inbox row nobody can read, ids and times that are not well-formed, events the mirror must leave alone,
// a text longer than Slack takes, and a restart in the middle of a backlog (SQLite, the in-process
// queue). The gateway delivers by webhook.
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EXAMPLE_GROUP_JID,
  EXAMPLE_NEWSLETTER_JID,
  newMessageId,
  newsletterUpdateEvent,
  reactionEvent,
  STATUS_BROADCAST_JID,
  textMessage,
} from "../../src/sandbox/gateway/event-payloads.js";
import { signWebhookBody } from "../../src/sandbox/gateway/events.js";
import { type Harness, OTHER_SESSION, SESSION, startHarness, TEAM } from "../support/app-harness.js";
import {
  linkChat,
  MANAGE_KEY,
  MIRROR_CHANNEL,
  ORG,
  useWebhook,
  whatsapp,
} from "../support/mirror-helpers.js";
import {
  expectMirroredOnceInOrder,
  mirrored,
  mirroredIn,
  postsOf,
  readableOf,
} from "../support/mirror-observe.js";
import { eventually } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";

const GROUP = EXAMPLE_GROUP_JID;
const UNLINKED_GROUP = "120363000000000077@g.us";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ tuning: { mirror: { pace: { intervalMs: 5, burst: 20 } } } });
  await h.configure(TEAM);
  h.slack.addChannel(MIRROR_CHANNEL);
  await useWebhook(h);
  await linkChat(h, GROUP);
});
afterAll(async () => {
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [MANAGE_KEY] }));
  await h.close();
});
beforeEach(() => {
  h.slack.clearFaults();
});

function say(body: string, chatJid = GROUP): string {
  const waId = newMessageId();
  whatsapp(h, textMessage({ waMessageId: waId, chatJid, body }));
  return waId;
}

function postAttemptsFor(waId: string): number {
  return h.slack
    .callsTo("chat.postMessage")
    .filter(
      (c) =>
        (c.args.metadata as { event_payload?: { message_id?: string } } | undefined)?.event_payload
          ?.message_id === waId,
    ).length;
}

async function inboxDrained(): Promise<void> {
  await eventually(
    async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
    "the inbox is drained",
  );
}

/**
 * One signed delivery straight to the app, as the gateway makes it, for an event the fake gateway should
 * not keep retrying (it retries a 400 for minutes). Returns the app's status.
 */
async function deliverOnce(built: { event: string; payload: unknown }, id: string): Promise<number> {
  const webhook = h.gateway.webhooks.find((w) => w.url.endsWith(`/gateway/events/${TEAM}`));
  if (!webhook?.secret) throw new Error("no webhook registered");
  const body = JSON.stringify({
    schema: "v1",
    id,
    event: built.event,
    session: SESSION,
    organization: ORG,
    timestamp: Date.now(),
    payload: built.payload,
  });
  const res = await request(`${h.appUrl}/gateway/events/${TEAM}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-webhook-hmac": signWebhookBody(webhook.secret, body),
      "x-webhook-hmac-algorithm": "sha512",
    },
    body,
  });
  await res.body.dump();
  return res.statusCode;
}

/** The app's log lines at error level or above that mention `text`. */
function errorsAbout(text: string): string[] {
  return h.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50 && line.includes(text));
}

describe("Slack failing", () => {
  it("when chat.postMessage answers 503 for a while, then the chat is retried later and each message is posted once, in order, when Slack is back", async () => {
    const retriesLogged = h.logs.filter((l) =>
      l.includes("mirroring the chat failed; it is retried later"),
    ).length;
    // Three calls fail the first try (the Web API client retries twice itself); the fourth the queue's retry.
    h.slack.setFault("chat.postMessage", { kind: "http", status: 503, times: 4 });
    const ids = [say("through the outage"), say("right behind it")];
    await expectMirroredOnceInOrder(h, ids);
    expect(postAttemptsFor(ids[0] as string)).toBe(5);
    expect(
      h.logs.filter((l) => l.includes("mirroring the chat failed; it is retried later")).length,
    ).toBeGreaterThan(retriesLogged);
    await inboxDrained();
    for (const id of ids) expect(postsOf(h, id)).toHaveLength(1);
  });

  it("when chat.postMessage times out without Slack handling it, then the post is made again and the message appears once", async () => {
    h.slack.setFault("chat.postMessage", { kind: "timeout", times: 1 });
    const waId = say("after a timeout");
    await mirrored(h, waId, { timeoutMs: 25_000 });
    expect(postAttemptsFor(waId)).toBe(2);
    await inboxDrained();
    expect(postsOf(h, waId)).toHaveLength(1);
  }, 30_000);
});

describe("events that cannot be mirrored", () => {
  it("when Slack refuses one message (invalid_blocks), then that event is parked and logged, and the chat's next messages still arrive", async () => {
    const { parked } = await h.services.store.inboxCounts(TEAM);
    h.slack.setFault("chat.postMessage", { kind: "error", error: "invalid_blocks", times: 1 });
    const refusedId = newMessageId();
    const refused = whatsapp(
      h,
      textMessage({ waMessageId: refusedId, chatJid: GROUP, body: "refused by Slack" }),
    );
    const next = [say("after the refused one"), say("and another")];

    await expectMirroredOnceInOrder(h, next);
    await inboxDrained();
    expect(postsOf(h, refusedId)).toHaveLength(0);
    expect((await h.services.store.inboxCounts(TEAM)).parked).toBe(parked + 1);
    expect(errorsAbout(refused.envelope.id)).not.toHaveLength(0);
  });

  it("when an inbox row holds an envelope the processor cannot read, then it is parked and logged, and the chat's next message still arrives", async () => {
    const { parked } = await h.services.store.inboxCounts(TEAM);
    // Older than anything the gateway sends, so it is the first the chat's run meets.
    const badId = "evt_00000000000000000000000000";
    const { accepted } = await h.services.store.acceptEvent({
      workspaceId: TEAM,
      sessionId: SESSION,
      chatJid: GROUP,
      eventId: badId,
      eventType: "message",
      waMessageId: null,
      envelope: '{"schema":"v1","id":"evt_00000000000000000000000000","event":"message","payload":',
      receivedAt: new Date(),
    });
    expect(accepted).toBe(true);
    const next = say("after the unreadable one");

    await mirrored(h, next);
    await inboxDrained();
    expect((await h.services.store.inboxCounts(TEAM)).parked).toBe(parked + 1);
    expect(errorsAbout(badId)).not.toHaveLength(0);
  });

  it("when a reaction's WhatsApp time lies past any date, then the delivery is refused with 400, nothing is set aside, and the chat goes on", async () => {
    const target = say("react to me");
    await mirrored(h, target);
    const { parked } = await h.services.store.inboxCounts(TEAM);
    // A Date holds 8.64e15 ms at most: this one was stored as no time at all, failing every try.
    const reaction = reactionEvent({
      chatJid: GROUP,
      targetId: target,
      emoji: "👍",
      timestamp: 8_640_000_000_000_001,
    });
    expect(await deliverOnce(reaction, "evt_01ZZZZZZZZZZZZZZZZZZZZZZZZ")).toBe(400);

    await mirrored(h, say("after the timeless reaction"));
    await inboxDrained();
    expect((await h.services.store.inboxCounts(TEAM)).parked).toBe(parked);
    expect(h.logs.some((line) => line.includes("payload.timestamp is not a time"))).toBe(true);
  });

  it("when a nameless sender's id holds half an emoji, then the message is posted under a readable name and the chat goes on", async () => {
    const waId = newMessageId();
    // JSON carries a lone surrogate as "\ud83d": the gateway's text is not always well-formed.
    whatsapp(
      h,
      textMessage({
        waMessageId: waId,
        chatJid: GROUP,
        body: "from a strange id",
        senderJid: "12\ud83d@lid",
        senderLid: undefined,
        pushName: undefined,
      }),
    );
    const next = say("right behind it");
    await expectMirroredOnceInOrder(h, [waId, next]);
    expect(postsOf(h, waId)[0]?.username).toBe("WhatsApp user 12\ufffd");
  });

  it("when events come for an unknown session, an unlinked chat, status, a newsletter, unknown event types or a message without chatJid, then each is answered 2xx and nothing is posted", async () => {
    const before = mirroredIn(h).length;
    const deliveriesBefore = h.gateway.deliveries.length;
    const groupPayload = (body: string) => textMessage({ chatJid: GROUP, body }).payload;
    const { chatJid: _dropped, ...noChat } = groupPayload("no chat named");
    const emitted = [
      h.gateway.emit(ORG, "message", "01JZZZZZZZZZZZZZZZZZZZZZZZ", groupPayload("unknown session")),
      h.gateway.emit(ORG, "message", OTHER_SESSION, groupPayload("another session")),
      whatsapp(h, textMessage({ chatJid: UNLINKED_GROUP, body: "unlinked chat" })),
      whatsapp(h, textMessage({ chatJid: STATUS_BROADCAST_JID, body: "a status" })),
      whatsapp(h, textMessage({ chatJid: EXAMPLE_NEWSLETTER_JID, body: "a newsletter post" })),
      whatsapp(h, newsletterUpdateEvent({ action: "join" })),
      h.gateway.emit(ORG, "message.received", SESSION, groupPayload("a name from the OpenAPI")),
      h.gateway.emit(ORG, "group.super_update", SESSION, { groupJid: GROUP, what: "a type from the future" }),
      h.gateway.emit(ORG, "presence.update", SESSION, { chatJid: GROUP, presence: "composing" }),
      h.gateway.emit(ORG, "message", SESSION, noChat),
      h.gateway.emit(ORG, "message.edited", SESSION, { ...noChat, targetId: newMessageId() }),
    ];
    await h.gateway.deliveriesSettled();

    const ids = new Set(emitted.map((e) => e.envelope.id));
    const answers = h.gateway.deliveries.slice(deliveriesBefore).filter((d) => ids.has(d.eventId));
    expect(answers).toHaveLength(emitted.length);
    expect(answers.map((d) => d.status)).toEqual(emitted.map(() => 200));
    // A message right behind them is posted: by then any of them would have been too.
    await mirrored(h, say("the next real one"));
    await inboxDrained();
    expect(mirroredIn(h).length).toBe(before + 1);
  });

  it("when a message's text is 50,000 characters, then it is posted within Slack's limits and says how much was left out", async () => {
    const words = "WhatsApp can hold very long messages; Slack cannot. ";
    const body = words.repeat(Math.ceil(50_000 / words.length)).slice(0, 50_000);
    expect(body).toHaveLength(50_000);
    const waId = say(body);
    const message = await mirrored(h, waId);

    expect((message.text ?? "").length).toBeLessThanOrEqual(40_000);
    expect((message.blocks ?? []).length).toBeLessThanOrEqual(50);
    const sections = (message.blocks ?? []) as { type: string; text?: { text: string } }[];
    const shown = sections
      .filter((b) => b.type === "section")
      .reduce((sum, b) => sum + (b.text?.text.length ?? 0), 0);
    const note = /([\d,]+) more characters not shown/.exec(readableOf(message));
    expect(note).not.toBeNull();
    const leftOut = Number((note?.[1] ?? "").replace(/,/g, ""));
    // What is shown and what is said to be missing add up to the text, give or take the line and word
    // ends the pieces were cut at.
    expect(shown + leftOut).toBeLessThanOrEqual(50_000);
    expect(shown + leftOut).toBeGreaterThan(50_000 - 50);
    expect(body.startsWith(sections.find((b) => b.type === "section")?.text?.text ?? "-")).toBe(true);
  });
});

describe("a restart in the middle of a backlog (SQLite)", () => {
  it("when the app restarts while Slack is slow and messages are still pending, then each is posted exactly once, in order", async () => {
    h.slack.setFault("chat.postMessage", { kind: "latency", ms: 150 });
    const ids = Array.from({ length: 20 }, (_, i) => say(`backlog ${i}`));
    await eventually(() => postsOf(h, ids[2] as string).length > 0, "the first few are posted");
    expect(postsOf(h, ids[19] as string)).toHaveLength(0);

    await h.restart();
    await expectMirroredOnceInOrder(h, ids, { timeoutMs: 30_000 });
    await inboxDrained();
    for (const id of ids) expect(postsOf(h, id)).toHaveLength(1);
  }, 45_000);
});
