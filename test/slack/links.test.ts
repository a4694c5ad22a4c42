// `/wa link`, `/wa unlink` and `/wa links` end to end through the real app: signed slash commands and modal
// submissions in, the fake Slack and the fake gateway on loopback, and WhatsApp messages of a linked chat
// delivered by webhook. Every case checks what the admin, the channel and the store end up with.
import { createHmac } from "node:crypto";
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newMessageId, textMessage } from "../../src/sandbox/gateway/event-payloads.js";
import type { ResponseUrlPost } from "../../src/sandbox/slack/web-api.js";
import {
  ADMIN,
  API_KEY,
  CHANNEL,
  type Harness,
  MEMBER,
  OTHER_API_KEY,
  OTHER_TEAM,
  SESSION,
  startHarness,
  TEAM,
} from "../support/app-harness.js";
import { MANAGE_KEY, ORG, useWebhook, whatsapp } from "../support/mirror-helpers.js";
import { mirrored, waIdOf } from "../support/mirror-observe.js";
import { eventually, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";
import { type OpenedView, viewSubmission } from "../support/slack-payloads.js";

/** Reads chats (`read`) as well as sending. */
const READ_KEY = "wa_read_key_org_one_7e6f";
/** May delete the workspace's webhook (`manage`). */
const UNINSTALL_KEY = "wa_uninstall_key_org_one_1a2b";
/** A second WhatsApp account of the same organization. */
const SECOND_SESSION = "sess_03SECONDACC";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.configure(TEAM);
  h.gateway.addKey(READ_KEY, { org: ORG, permissions: ["send", "read"] });
  h.gateway.addKey(UNINSTALL_KEY, { org: ORG, permissions: ["send", "manage"] });
  h.gateway.addSession(SECOND_SESSION, { org: ORG });
  await useWebhook(h);
});
afterAll(async () => {
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [READ_KEY, UNINSTALL_KEY, MANAGE_KEY] }));
  await h.close();
});
beforeEach(async () => {
  h.gateway.clearFaults();
  h.slack.clearFaults();
  await h.configure(TEAM);
});

let channels = 0;
/** A fresh channel the app is in (each test gets its own, so links of other tests do not mix in). */
function newChannel(): string {
  channels += 1;
  const id = `CLINK${String(channels).padStart(6, "0")}`;
  h.slack.addChannel(id);
  return id;
}

let chats = 0;
/** A fresh WhatsApp group id. */
function newGroup(): string {
  chats += 1;
  return `1203630000000${String(chats).padStart(5, "0")}@g.us`;
}

const linkOf = (chatJid: string, sessionId = SESSION) =>
  h.services.store.getLink({ workspaceId: TEAM, sessionId, chatJid });

const mirroredInto = (channel: string, waId: string, timeoutMs?: number) =>
  mirrored(h, waId, { channel, timeoutMs });

/** The text of every section of a reply, one entry per line. */
function linesOf(post: ResponseUrlPost): string[] {
  const blocks = (post.body.blocks ?? []) as { text?: { text?: string } }[];
  return blocks.flatMap((b) => (b.text?.text ?? "").split("\n"));
}

/** The reply (response_url) of a `/wa` command, which must be one only its author sees. */
async function ephemeralReply(run: Awaited<ReturnType<typeof wa>>): Promise<ResponseUrlPost> {
  const post = await run.reply();
  expect(post.body.response_type ?? "ephemeral").toBe("ephemeral");
  return post;
}

async function linkAsAdmin(chat: string, channel: string, flags = ""): Promise<ResponseUrlPost> {
  const run = await wa(h, `link ${chat} ${flags}`.trim(), { user: ADMIN, channel });
  expect(run.res.status).toBe(200);
  return ephemeralReply(run);
}

describe("/wa link <chat>", () => {
  it("when an admin links a chat in a channel the app is in, then the channel is told, the admin gets a confirmation, and the chat's WhatsApp messages appear there", async () => {
    const channel = newChannel();
    const chat = newGroup();
    const run = await wa(h, `link ${chat}`, { user: ADMIN, channel });
    expect(run.res.status).toBe(200);
    const confirmation = await ephemeralReply(run);
    expect(textOf(confirmation)).toContain(`<#${channel}> now mirrors`);
    expect(textOf(confirmation)).toContain(chat);

    const announced = h.slack.messagesIn(channel);
    expect(announced).toHaveLength(1);
    expect(announced[0]?.text).toContain(chat);
    expect(announced[0]?.text).toContain(`<@${ADMIN}>`);
    expect(await linkOf(chat)).toMatchObject({
      channelId: channel,
      sessionId: SESSION,
      sendReactions: false,
      pausedReason: null,
      createdBy: ADMIN,
    });

    const waId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: waId, chatJid: chat, body: "First through the new link" }));
    const message = await mirroredInto(channel, waId);
    expect(JSON.stringify(message.blocks)).toContain("First through the new link");
    expect(message.metadata?.event_payload).toMatchObject({ session_id: SESSION, chat, message_id: waId });
  });

  it("when an admin links with --reactions, then /wa links shows that Slack reactions go to WhatsApp for that chat only", async () => {
    const channel = newChannel();
    const plain = newGroup();
    const withReactions = newGroup();
    await linkAsAdmin(plain, channel);
    const confirmation = await linkAsAdmin(withReactions, channel, "--reactions");
    expect(textOf(confirmation)).toContain("Reactions added here are sent to WhatsApp too");
    expect((await linkOf(withReactions))?.sendReactions).toBe(true);

    const listed = await ephemeralReply(await wa(h, "links", { user: MEMBER }));
    const lineOf = (chat: string) => linesOf(listed).find((line) => line.includes(chat));
    expect(lineOf(withReactions)).toContain("Slack reactions go to WhatsApp");
    expect(lineOf(plain)).toBeDefined();
    expect(lineOf(plain)).not.toContain("Slack reactions go to WhatsApp");
  });

  it("when an admin links with --session, then the link is to that session: its messages are mirrored, the default session's are not", async () => {
    const channel = newChannel();
    const chat = newGroup();
    const confirmation = await linkAsAdmin(chat, channel, `--session ${SECOND_SESSION}`);
    expect(textOf(confirmation)).toContain(SECOND_SESSION);
    expect((await linkOf(chat, SECOND_SESSION))?.channelId).toBe(channel);
    expect(await linkOf(chat, SESSION)).toBeUndefined();

    const fromDefault = newMessageId();
    const fromSecond = newMessageId();
    whatsapp(h, textMessage({ waMessageId: fromDefault, chatJid: chat, body: "default session" }));
    whatsapp(
      h,
      textMessage({ waMessageId: fromSecond, chatJid: chat, body: "second session" }),
      SECOND_SESSION,
    );
    const message = await mirroredInto(channel, fromSecond);
    expect(message.metadata?.event_payload).toMatchObject({ session_id: SECOND_SESSION });
    await h.gateway.deliveriesSettled();
    expect(h.slack.messagesIn(channel).some((m) => waIdOf(m) === fromDefault)).toBe(false);

    const listed = await ephemeralReply(await wa(h, "links", { user: MEMBER }));
    expect(linesOf(listed).find((line) => line.includes(chat))).toContain(SECOND_SESSION);
  });
});

describe("/wa link refusals", () => {
  it("when a member who is not an admin links a chat, then they are refused only to themselves and nothing is stored or posted", async () => {
    const channel = newChannel();
    const chat = newGroup();
    const refusal = await ephemeralReply(await wa(h, `link ${chat}`, { user: MEMBER, channel }));
    expect(textOf(refusal)).toMatch(/admins and owners/);
    expect(textOf(refusal)).toContain("not_admin");
    expect(await linkOf(chat)).toBeUndefined();
    expect(h.slack.messagesIn(channel)).toHaveLength(0);
  });

  it("when the app is not in the channel, then the admin is told how to invite it and nothing is stored", async () => {
    const hidden = "CHIDDEN0001";
    h.slack.addChannel(hidden, { visible: false });
    const chat = newGroup();
    const refusal = await linkAsAdmin(chat, hidden);
    expect(textOf(refusal)).toContain("/invite @WhatsApp");
    expect(textOf(refusal)).toContain("app_not_in_channel");
    expect(await linkOf(chat)).toBeUndefined();
  });

  it("when the chat is already mirrored into another channel, then it moves, and the admin is told where it was", async () => {
    const first = newChannel();
    const second = newChannel();
    const chat = newGroup();
    await linkAsAdmin(chat, first);
    const moved = await linkAsAdmin(chat, second);
    expect(textOf(moved)).toContain(`It is no longer mirrored into <#${first}>`);
    expect((await linkOf(chat))?.channelId).toBe(second);
    expect(await h.services.store.listLinks(TEAM, first)).toEqual([]);

    const waId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: waId, chatJid: chat, body: "after the move" }));
    await mirroredInto(second, waId);
    expect(h.slack.messagesIn(first).some((m) => waIdOf(m) === waId)).toBe(false);
  });

  it.each([
    ["status@broadcast", "WhatsApp Status"],
    ["12345", "is not a WhatsApp chat id"],
  ])(
    "when the chat id is %s, then the ack refuses it with the usage line and nothing is stored",
    async (chat, why) => {
      const channel = newChannel();
      const run = await wa(h, `link ${chat}`, { user: ADMIN, channel });
      expect(run.res.status).toBe(200);
      const ack = run.res.body;
      expect(ack).toContain(why);
      expect(ack).toContain("Usage");
      expect(ack).toContain("/wa link [&lt;chat&gt;]");
      expect(await h.app.inFlight.drain(5000)).toBe(true);
      expect(h.slack.responses.some((p) => p.id === run.responseId)).toBe(false);
      expect(await h.services.store.listLinks(TEAM, channel)).toEqual([]);
      expect(h.slack.messagesIn(channel)).toHaveLength(0);
    },
  );

  it("when the workspace has no default session and no --session is given, then the admin is told to add one and nothing is stored", async () => {
    await h.services.workspaces.save(TEAM, { defaultSessionId: null }, ADMIN);
    const channel = newChannel();
    const chat = newGroup();
    const refusal = await linkAsAdmin(chat, channel);
    expect(textOf(refusal)).toContain("--session");
    expect(textOf(refusal)).toContain("no_session");
    expect(await h.services.store.listLinks(TEAM, channel)).toEqual([]);
    expect(h.slack.messagesIn(channel)).toHaveLength(0);
  });
});

/** The modal as the user sees it after the app's last views.update of it. */
async function modalUpdated(viewId: string, pattern: RegExp): Promise<OpenedView> {
  const call = await h.slack.waitForCall(
    "views.update",
    (c) => c.args.view_id === viewId && pattern.test(JSON.stringify(c.args.view)),
  );
  return { ...(call.args.view as Omit<OpenedView, "id">), id: viewId };
}

/** `/wa link` without a chat: returns the id of the modal it opened, after checking it opened at once. */
async function openLinkModal(channel: string, triggerId: string): Promise<string> {
  const res = await h.send.command({
    teamId: TEAM,
    userId: ADMIN,
    channelId: channel,
    text: "link",
    responseUrl: h.slack.responseUrl(`link-modal-${triggerId}`),
    triggerId,
  });
  expect(res.status).toBe(200);
  const open = await h.slack.waitForCall("views.open", (c) => c.args.trigger_id === triggerId);
  // Opened with the trigger before the gateway was asked anything: a "reading" modal, filled in later.
  expect(JSON.stringify(open.args.view)).toContain("Reading the WhatsApp chats");
  const viewId = [...h.slack.views.keys()].at(-1);
  if (viewId === undefined) throw new Error("views.open left no view");
  return viewId;
}

type SelectOption = { text: { text: string }; value: string };

function chatSelect(view: OpenedView): SelectOption[] | undefined {
  return view.blocks?.find((b) => b.block_id === "link_chat")?.element?.options as SelectOption[] | undefined;
}

function linkValues(input: { chosen?: SelectOption; typed?: string; reactions?: boolean }) {
  const reactionsOption = { text: { type: "plain_text", text: "Send" }, value: "send_reactions" };
  return {
    link_chat: { link_chat_input: { type: "static_select", selected_option: input.chosen ?? null } },
    link_chat_id: { link_chat_id_input: { type: "plain_text_input", value: input.typed ?? null } },
    link_reactions: {
      link_reactions_input: {
        type: "checkboxes",
        selected_options: input.reactions ? [reactionsOption] : [],
      },
    },
  };
}

describe("/wa link without a chat: the modal", () => {
  const LUNCH = "120363000000000201@g.us";
  const BOOKS = "120363000000000202@g.us";
  const BOB = "6281111111111@s.whatsapp.net";
  const ANA = "6282222222222@s.whatsapp.net";

  beforeAll(() => {
    h.gateway.addChat(SESSION, { jid: BOB, type: "dm", name: "Bob" });
    h.gateway.addChat(SESSION, { jid: LUNCH, type: "group", name: "Lunch crew" });
    h.gateway.addChat(SESSION, { jid: "status@broadcast", type: "status" });
    h.gateway.addChat(SESSION, { jid: BOOKS, type: "group", name: "Book club" });
    h.gateway.addChat(SESSION, { jid: ANA, type: "dm", name: "Ana" });
  });

  it("when the key may read chats, then the modal opens at once and then lists the session's chats by name, groups first", async () => {
    await h.configure(TEAM, { apiKey: READ_KEY });
    const channel = newChannel();
    const viewId = await openLinkModal(channel, "1337.42.list");
    const view = await modalUpdated(viewId, /link_chat_id/);
    expect(view.callback_id).toBe("wa_link_modal");
    expect(chatSelect(view)?.map((o) => [o.text.text, o.value])).toEqual([
      ["👥 Book club", BOOKS],
      ["👥 Lunch crew", LUNCH],
      ["👤 Ana", ANA],
      ["👤 Bob", BOB],
    ]);
    const listing = h.gateway.requests.findLast((r) =>
      r.path.startsWith(`/api/v1/sessions/${SESSION}/chats`),
    );
    expect(listing?.headers.authorization).toBe(`Bearer ${READ_KEY}`);
    // The trigger (valid 3 s) was spent before the gateway was asked: Slack got views.open first.
    const open = h.slack.callsTo("views.open").find((c) => c.args.trigger_id === "1337.42.list");
    expect(open?.at).toBeLessThanOrEqual(listing?.at ?? 0);
  });

  it("when the admin submits a chosen chat, then the modal says it is linking, then shows the outcome, and the chat is linked to the channel", async () => {
    await h.configure(TEAM, { apiKey: READ_KEY });
    const channel = newChannel();
    const viewId = await openLinkModal(channel, "1337.42.choose");
    const view = await modalUpdated(viewId, /link_chat_id/);
    const lunch = chatSelect(view)?.find((o) => o.value === LUNCH);
    expect(lunch).toBeDefined();

    const res = await h.send.interaction(
      viewSubmission({ view, userId: ADMIN, values: linkValues({ chosen: lunch, reactions: true }) }),
    );
    expect(res.status).toBe(200);
    const ack = res.json() as { response_action: string; view: unknown };
    expect(ack.response_action).toBe("update");
    expect(JSON.stringify(ack.view)).toContain("Linking the chat");
    const outcome = await modalUpdated(viewId, /now mirrors/);
    expect(JSON.stringify(outcome)).toContain(`the WhatsApp group “Lunch crew” (\`${LUNCH}\`)`);
    expect(await linkOf(LUNCH)).toMatchObject({ channelId: channel, sendReactions: true, createdBy: ADMIN });
    expect(h.slack.messagesIn(channel).map((m) => m.text)).toEqual([
      expect.stringContaining(`now mirrors the WhatsApp group “Lunch crew” (\`${LUNCH}\`)`),
    ]);
  });

  it("when the admin submits neither a chat nor an id, or a bad id, then the error shows under the chat id field and nothing is linked", async () => {
    await h.configure(TEAM, { apiKey: READ_KEY });
    const channel = newChannel();
    const viewId = await openLinkModal(channel, "1337.42.empty");
    const view = await modalUpdated(viewId, /link_chat_id/);

    const empty = await h.send.interaction(viewSubmission({ view, userId: ADMIN, values: linkValues({}) }));
    expect(empty.json()).toEqual({
      response_action: "errors",
      errors: { link_chat_id: expect.stringContaining("Choose the WhatsApp chat") },
    });
    const bad = await h.send.interaction(
      viewSubmission({ view, userId: ADMIN, values: linkValues({ typed: "status@broadcast" }) }),
    );
    expect(bad.json()).toEqual({
      response_action: "errors",
      errors: { link_chat_id: expect.stringContaining("status updates cannot be mirrored") },
    });
    expect(await h.services.store.listLinks(TEAM, channel)).toEqual([]);
    expect(h.slack.messagesIn(channel)).toHaveLength(0);
  });

  it("when the key may not read chats, then the modal asks for the chat id, and a typed id is linked", async () => {
    await h.configure(TEAM, { apiKey: API_KEY });
    const channel = newChannel();
    const chat = newGroup();
    const viewId = await openLinkModal(channel, "1337.42.noread");
    const view = await modalUpdated(viewId, /link_chat_id/);
    expect(chatSelect(view)).toBeUndefined();
    expect(JSON.stringify(view)).toContain("no read permission");

    await h.send.interaction(viewSubmission({ view, userId: ADMIN, values: linkValues({ typed: chat }) }));
    await modalUpdated(viewId, /now mirrors/);
    expect(await linkOf(chat)).toMatchObject({ channelId: channel, sendReactions: false });
  });
});

describe("/wa unlink and /wa links", () => {
  it("when an admin unlinks one chat and then the rest, then the channel is told each time and only those links go", async () => {
    const channel = newChannel();
    const kept = newGroup();
    const dropped = newGroup();
    await linkAsAdmin(kept, channel);
    await linkAsAdmin(dropped, channel);

    const one = await wa(h, `unlink ${dropped}`, { user: ADMIN, channel });
    await eventually(
      () => h.slack.messagesIn(channel).some((m) => m.text?.includes(`Stopped mirroring`)),
      "the channel is told",
    );
    const note = h.slack.messagesIn(channel).find((m) => m.text?.includes("Stopped mirroring"));
    expect(note?.text).toContain(dropped);
    expect(note?.text).not.toContain(kept);
    expect((await h.services.store.listLinks(TEAM, channel)).map((l) => l.chatJid)).toEqual([kept]);
    expect(h.slack.responses.some((p) => p.id === one.responseId)).toBe(false);

    await wa(h, "unlink", { user: ADMIN, channel });
    await eventually(
      () => h.slack.messagesIn(channel).filter((m) => m.text?.includes("Stopped mirroring")).length === 2,
      "the channel is told again",
    );
    expect(h.slack.messagesIn(channel).at(-1)?.text).toContain(kept);
    expect(await h.services.store.listLinks(TEAM, channel)).toEqual([]);

    const waId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: waId, chatJid: kept, body: "after the unlink" }));
    await h.gateway.deliveriesSettled();
    expect(h.slack.messagesIn(channel).some((m) => waIdOf(m) === waId)).toBe(false);
  });

  it("when the chat is not linked in this channel, then the admin alone is told so and the links stay", async () => {
    const channel = newChannel();
    const elsewhere = newChannel();
    const chat = newGroup();
    await linkAsAdmin(chat, elsewhere);
    const told = await ephemeralReply(await wa(h, `unlink ${chat}`, { user: ADMIN, channel }));
    expect(textOf(told)).toContain(`<#${channel}> does not mirror`);
    expect(textOf(told)).toContain("/wa links");
    expect((await linkOf(chat))?.channelId).toBe(elsewhere);
    expect(h.slack.messagesIn(channel)).toHaveLength(0);
  });

  it("when a member who is not an admin unlinks, then they are refused and the links stay", async () => {
    const channel = newChannel();
    const chat = newGroup();
    await linkAsAdmin(chat, channel);
    const refusal = await ephemeralReply(await wa(h, "unlink", { user: MEMBER, channel }));
    expect(textOf(refusal)).toContain("not_admin");
    expect((await linkOf(chat))?.channelId).toBe(channel);
  });

  it("when anyone lists the links, then every link of the workspace is shown, whatever the channel", async () => {
    const a = newChannel();
    const b = newChannel();
    const chatA = newGroup();
    const chatB = newGroup();
    await linkAsAdmin(chatA, a);
    await linkAsAdmin(chatB, b);
    const listed = await ephemeralReply(await wa(h, "links", { user: MEMBER, channel: CHANNEL }));
    const all = await h.services.store.listLinks(TEAM);
    expect(textOf(listed)).toContain(`(${all.length})`);
    for (const link of all) {
      expect(
        linesOf(listed).some((line) => line.includes(link.chatJid) && line.includes(link.channelId)),
      ).toBe(true);
    }
    expect(linesOf(listed).find((line) => line.includes(chatA))).toContain(`<#${a}>`);
    expect(linesOf(listed).find((line) => line.includes(chatB))).toContain(`<#${b}>`);
  });

  it("when the workspace has no link, then /wa links says how to start", async () => {
    await h.configure(OTHER_TEAM, { apiKey: OTHER_API_KEY });
    const listed = await ephemeralReply(await wa(h, "links", { team: OTHER_TEAM, user: MEMBER }));
    expect(textOf(listed)).toContain("No WhatsApp chat is mirrored into Slack yet");
    expect(textOf(listed)).toContain("`/wa link`");
  });
});

function slackEvent(body: Record<string, unknown>) {
  return h.send.eventCallback({ teamId: TEAM, event: body });
}

function ourWebhook() {
  const webhook = h.gateway.webhooks.find((w) => w.url.endsWith(`/gateway/events/${TEAM}`));
  if (!webhook?.secret) throw new Error("no webhook registered for the workspace");
  return { id: webhook.id, secret: webhook.secret };
}

async function deliverSigned(secret: string, text: string) {
  const res = await request(`${h.appUrl}/gateway/events/${TEAM}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-webhook-hmac": createHmac("sha512", secret).update(text).digest("hex"),
      "x-webhook-hmac-algorithm": "sha512",
    },
    body: text,
  });
  await res.body.dump();
  return res.statusCode;
}

// Last: each case uninstalls the workspace (and sets it up again first).
describe("uninstalling", () => {
  it("when the app is uninstalled and the key may manage webhooks, then the links, the events settings and the webhook are gone, and a delivery is answered 404 with nothing posted", async () => {
    const channel = newChannel();
    const chat = newGroup();
    await linkAsAdmin(chat, channel);
    await h.configure(TEAM, { apiKey: UNINSTALL_KEY });
    const webhook = ourWebhook();
    const posted = h.slack.messagesIn(channel).length;

    expect((await slackEvent({ type: "app_uninstalled" })).status).toBe(200);
    expect(await h.app.inFlight.drain(5000)).toBe(true);

    expect(await h.services.store.listLinks(TEAM)).toEqual([]);
    const settings = await h.services.store.getEventSettings(TEAM);
    expect(settings?.mode ?? "off").toBe("off");
    expect(settings?.sealedWebhookSecret ?? null).toBeNull();
    expect(settings?.webhookId ?? null).toBeNull();
    expect(await h.services.workspaces.get(TEAM)).toBeUndefined();
    const deletion = h.gateway.requests.find(
      (r) => r.method === "DELETE" && r.path === `/api/v1/webhooks/${webhook.id}`,
    );
    expect(deletion?.headers.authorization).toBe(`Bearer ${UNINSTALL_KEY}`);
    expect(h.gateway.webhooks.some((w) => w.id === webhook.id)).toBe(false);

    const envelope = JSON.stringify({
      schema: "v1",
      id: "evt_01JZZZZZZZZZZZZZZZZZZUNINST",
      event: "message",
      session: SESSION,
      organization: ORG,
      timestamp: Date.now(),
      payload: textMessage({ chatJid: chat, body: "after the uninstall" }).payload,
    });
    expect(await deliverSigned(webhook.secret, envelope)).toBe(404);
    expect(h.slack.messagesIn(channel)).toHaveLength(posted);
    expect((await h.services.store.inboxCounts(TEAM)).pending).toBe(0);
  });

  it("when the key may not delete the webhook, then the gateway's deliveries for the uninstalled workspace are answered 404 and nothing is posted", async () => {
    await h.configure(TEAM, { apiKey: API_KEY });
    await useWebhook(h);
    const channel = newChannel();
    const chat = newGroup();
    await linkAsAdmin(chat, channel);
    const webhook = ourWebhook();
    const posted = h.slack.messagesIn(channel).length;

    expect((await slackEvent({ type: "app_uninstalled" })).status).toBe(200);
    expect(await h.app.inFlight.drain(5000)).toBe(true);
    expect(await h.services.store.listLinks(TEAM)).toEqual([]);
    // Still registered at the gateway (the key lacks `manage`), so it keeps delivering.
    expect(h.gateway.webhooks.some((w) => w.id === webhook.id)).toBe(true);

    h.gateway.setDeliveryPolicy({ maxAttempts: 1 });
    const event = whatsapp(h, textMessage({ chatJid: chat, body: "to nobody" }));
    await h.gateway.deliveriesSettled();
    const attempts = h.gateway.deliveries.filter((d) => d.eventId === event.envelope.id);
    expect(attempts.map((d) => d.status)).toEqual([404]);
    expect(h.slack.messagesIn(channel)).toHaveLength(posted);
  });
});
