// The mirror end to end through the real app: WhatsApp happens at the fake gateway, which delivers signed
// webhooks to the app; the app posts into the fake Slack. Every case checks what a channel member sees.
import { createHmac } from "node:crypto";
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EXAMPLE_GROUP_JID,
  editedEvent,
  newMessageId,
  replyMessage,
  revokedEvent,
  STATUS_BROADCAST_JID,
  textMessage,
} from "../../src/sandbox/gateway/event-payloads.js";
import type { FakeMessage } from "../../src/sandbox/slack/web-api.js";
import { type Harness, MEMBER, OTHER_SESSION, SESSION, startHarness, TEAM } from "../support/app-harness.js";
import { linkChat, MIRROR_CHANNEL, useWebhook, whatsapp } from "../support/mirror-helpers.js";
import { mirrored as mirroredMessage, postsOf, waIdOf } from "../support/mirror-observe.js";
import { eventually } from "../support/reliability-app.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";
import { messageShortcut } from "../support/slack-payloads.js";

const GROUP = EXAMPLE_GROUP_JID;
const UNLINKED_GROUP = "120363000000000099@g.us";
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.configure(TEAM);
  h.slack.addChannel(MIRROR_CHANNEL);
  await useWebhook(h);
  await linkChat(h, GROUP);
});
afterAll(async () => {
  expectNoSecretsLeaked(h);
  await h.close();
});
beforeEach(() => {
  h.slack.limitPostsPerChannel(undefined);
});

const posted = () => h.slack.messagesIn(MIRROR_CHANNEL);
const textOfMessage = (m: FakeMessage | undefined) => JSON.stringify(m?.blocks ?? []);
const byWaId = (waId: string) => postsOf(h, waId)[0];
const mirrored = (waId: string) => mirroredMessage(h, waId);

describe("mirroring by webhook", () => {
  it("when a linked group gets a text message, then it appears once in the channel, under the sender's name, acting as that WhatsApp message", async () => {
    const waId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body: "Hello *team*, lunch at _noon_?" }));
    const message = await mirrored(waId);
    expect(message.username).toBe("Alice");
    expect(message.metadata).toEqual({
      event_type: "whatsapp_message",
      event_payload: {
        session_id: SESSION,
        chat: GROUP,
        message_id: waId,
        sender: "6281234567890@s.whatsapp.net",
      },
    });
    expect(textOfMessage(message)).toContain("Hello *team*, lunch at _noon_?");
    await h.gateway.deliveriesSettled();
    expect(posted().filter((m) => m.ts === message.ts)).toHaveLength(1);
  });

  it("when the text tries to ping @channel or forge a link, then Slack gets it escaped", async () => {
    const waId = newMessageId();
    whatsapp(
      h,
      textMessage({
        waMessageId: waId,
        chatJid: GROUP,
        body: "<!channel> pay here <https://evil.example|bank.com> & <@U0ADMIN>",
      }),
    );
    const shown = textOfMessage(await mirrored(waId));
    expect(shown).not.toContain("<!channel>");
    expect(shown).not.toContain("<https://evil.example|bank.com>");
    expect(shown).not.toContain("<@U0ADMIN>");
    expect(shown).toContain("&lt;!channel&gt;");
  });

  it("when a message quotes a mirrored one, then it goes into that message's thread", async () => {
    const parentId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: parentId, chatJid: GROUP, body: "Who brings the cake?" }));
    const parent = await mirrored(parentId);
    const replyId = newMessageId();
    whatsapp(
      h,
      replyMessage({
        waMessageId: replyId,
        chatJid: GROUP,
        body: "Me!",
        quotedMessageId: parentId,
        quotedBody: "Who brings the cake?",
      }),
    );
    const reply = await mirrored(replyId);
    expect(reply.threadTs).toBe(parent.ts);
    const nestedId = newMessageId();
    whatsapp(
      h,
      replyMessage({
        waMessageId: nestedId,
        chatJid: GROUP,
        body: "Thanks",
        quotedMessageId: replyId,
        quotedBody: "Me!",
      }),
    );
    // Slack threads are one level deep: a reply to a reply goes to the same thread.
    expect((await mirrored(nestedId)).threadTs).toBe(parent.ts);
  });

  it("when the message is edited and then deleted on WhatsApp, then its Slack message changes in place", async () => {
    const waId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body: "Meet at 5", fromMe: true }));
    const original = await mirrored(waId);
    whatsapp(h, editedEvent({ chatJid: GROUP, targetId: waId, body: "Meet at 6", fromMe: true }));
    await eventually(() => textOfMessage(byWaId(waId)).includes("Meet at 6"), "the edit shows");
    expect(byWaId(waId)?.ts).toBe(original.ts);
    expect(textOfMessage(byWaId(waId))).toContain("edited");
    whatsapp(h, revokedEvent({ chatJid: GROUP, targetId: waId, fromMe: true }));
    await eventually(() => textOfMessage(byWaId(waId)).includes("deleted"), "the deletion shows");
    expect(textOfMessage(byWaId(waId))).not.toContain("Meet at 6");
    expect(posted().filter((m) => m.ts === original.ts)).toHaveLength(1);
  });

  it("when the gateway redelivers a WhatsApp message under a new event id, then it is not posted twice", async () => {
    const waId = newMessageId();
    const first = whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body: "Only once" }));
    await mirrored(waId);
    h.gateway.redeliver(first.envelope.id);
    await h.gateway.deliveriesSettled();
    await eventually(
      async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
      "the inbox is drained",
    );
    expect(posted().filter((m) => textOfMessage(m).includes("Only once"))).toHaveLength(1);
  });

  it("when the same delivery arrives twice, then it is answered 2xx both times and posted once", async () => {
    const waId = newMessageId();
    const event = whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body: "Twice delivered" }));
    await mirrored(waId);
    const again = await deliver(event.text);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: "duplicate" });
    expect(posted().filter((m) => textOfMessage(m).includes("Twice delivered"))).toHaveLength(1);
  });

  it("when events come for an unlinked chat, status updates or another session, then nothing is posted and the gateway still gets 2xx", async () => {
    const before = posted().length;
    whatsapp(h, textMessage({ chatJid: UNLINKED_GROUP, body: "not linked" }));
    whatsapp(h, textMessage({ chatJid: STATUS_BROADCAST_JID, body: "my status" }));
    whatsapp(h, textMessage({ chatJid: GROUP, body: "other session" }), OTHER_SESSION);
    await h.gateway.deliveriesSettled();
    const ours = h.gateway.deliveries.slice(-3);
    expect(ours.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(posted().length).toBe(before);
  });

  it("when Slack allows 2 posts a second in the channel, then 8 messages still arrive each once, in order", async () => {
    h.slack.limitPostsPerChannel(2);
    const limitedBefore = h.slack.rateLimitedPosts;
    const ids = Array.from({ length: 8 }, () => newMessageId());
    for (const [i, waId] of ids.entries()) {
      whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body: `burst ${i}` }));
    }
    await eventually(() => ids.every((id) => byWaId(id) !== undefined), "all 8 are posted", 20_000);
    const order = posted()
      .map(waIdOf)
      .filter((id) => id !== undefined && ids.includes(id));
    expect(order).toEqual(ids);
    // Paced to the channel: Slack rarely has to refuse (a 429 is waited out, never a lost message).
    expect(h.slack.rateLimitedPosts - limitedBefore).toBeLessThanOrEqual(3);
  });

  it("when the app restarts, then the map survives: an edit still finds its message, and a shortcut on it needs no Slack history call", async () => {
    const waId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body: "Before the restart" }));
    const message = await mirrored(waId);
    await h.restart();
    whatsapp(h, editedEvent({ chatJid: GROUP, targetId: waId, body: "After the restart", fromMe: true }));
    await eventually(
      () => textOfMessage(byWaId(waId)).includes("After the restart"),
      "the edit after a restart",
    );

    const historyBefore = h.slack.callsTo("conversations.history").length;
    const responseUrl = h.slack.responseUrl("mirror-unreact");
    const res = await h.send.interaction(
      messageShortcut({
        callbackId: "wa_unreact",
        userId: MEMBER,
        channelId: MIRROR_CHANNEL,
        responseUrl,
        ts: message.ts,
      }),
    );
    expect(res.status).toBe(200);
    await h.slack.waitForResponse((p) => p.id === "mirror-unreact");
    const removal = h.gateway.requests.findLast((r) => r.method === "DELETE");
    expect(removal?.path).toBe(`/api/v1/sessions/${SESSION}/messages/${waId}/reaction`);
    expect(removal?.body).toEqual({ chat: GROUP, sender: "6281234567890@s.whatsapp.net" });
    expect(h.slack.callsTo("conversations.history").length).toBe(historyBefore);
  });
});

describe("the webhook route refuses what is not the gateway's", () => {
  const body = JSON.stringify({
    schema: "v1",
    id: "evt_01JZZZZZZZZZZZZZZZZZZZZZZZ",
    event: "message",
    session: SESSION,
    organization: "org_one",
    timestamp: 1_767_000_000_000,
    payload: { waMessageId: newMessageId(), chatJid: GROUP, type: "text", body: "forged" },
  });

  it("when the signature is missing or wrong, then 401 and nothing is stored", async () => {
    expect((await post(`/gateway/events/${TEAM}`, body, {})).status).toBe(401);
    expect((await post(`/gateway/events/${TEAM}`, body, { "x-webhook-hmac": "ab".repeat(64) })).status).toBe(
      401,
    );
    expect(posted().some((m) => textOfMessage(m).includes("forged"))).toBe(false);
  });

  it("when the workspace is unknown or has no webhook, then 404", async () => {
    expect(
      (await post("/gateway/events/T0NOBODY01", body, { "x-webhook-hmac": "ab".repeat(64) })).status,
    ).toBe(404);
    expect((await post("/gateway/events/not-a-team", body, {})).status).toBe(404);
  });

  it("when the body is not a JSON envelope, then 400; when it is over 1 MB, then 413", async () => {
    const notJson = "{ this is not json";
    expect((await signedPost(notJson)).status).toBe(400);
    const noId = JSON.stringify({ schema: "v1", event: "message" });
    expect((await signedPost(noId)).status).toBe(400);
    expect((await signedPost("x".repeat(1024 * 1024 + 1))).status).toBe(413);
  });
});

function secret(): string {
  const webhook = h.gateway.webhooks.find((w) => w.url.endsWith(`/gateway/events/${TEAM}`));
  if (!webhook?.secret) throw new Error("no webhook registered");
  return webhook.secret;
}

async function post(path: string, text: string, headers: Record<string, string>) {
  const res = await request(`${h.appUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: text,
  });
  const raw = await res.body.text();
  return { status: res.statusCode, body: raw === "" ? undefined : (JSON.parse(raw) as unknown) };
}

function signedPost(text: string) {
  const hmac = createHmac("sha512", secret()).update(text).digest("hex");
  return post(`/gateway/events/${TEAM}`, text, {
    "x-webhook-hmac": hmac,
    "x-webhook-hmac-algorithm": "sha512",
  });
}

function deliver(text: string) {
  return signedPost(text);
}
