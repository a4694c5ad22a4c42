// What the mirror puts in front of Slack users, end to end through the real app: the Vote button on a
// mirrored poll (its modal, its vote, its refusal under overload), and the mirror's state in `/wa status`
// and on the Home tab, down to a link paused because the app was removed from its channel.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newMessageId, pollMessage, textMessage } from "../../src/sandbox/gateway/event-payloads.js";
import {
  ADMIN,
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  SESSION,
  startHarness,
  TEAM,
} from "../support/app-harness.js";
import { linkChat, MANAGE_KEY, MIRROR_CHANNEL, useWebhook, whatsapp } from "../support/mirror-helpers.js";
import { mirrored } from "../support/mirror-observe.js";
import { eventually, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";
import { messageButton, type OpenedView, viewSubmission } from "../support/slack-payloads.js";

/** Low enough that a dozen slow commands fill the app (as test/reliability/overload.test.ts does). */
const LIMIT = 12;
const BUSY = "Too many WhatsApp actions are in progress right now, so nothing was sent";
const POLL_GROUP = "120363000000000301@g.us";
const PAUSED_GROUP = "120363000000000302@g.us";
/** A second chat mirrored into the same channel. */
const PAUSED_NEIGHBOUR = "120363000000000303@g.us";
const PAUSED_CHANNEL = "CPAUSED0001";
const ALICE = "6281234567890@s.whatsapp.net";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ tuning: { maxWorkInProgress: LIMIT } });
  await h.configure(TEAM);
  h.slack.addChannel(MIRROR_CHANNEL);
  await useWebhook(h);
  await linkChat(h, POLL_GROUP);
});
afterAll(async () => {
  h.gateway.setLatency(0);
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [MANAGE_KEY] }));
  await h.close();
});
beforeEach(() => {
  h.gateway.setLatency(0);
  h.gateway.clearFaults();
  h.slack.clearFaults();
});

const mirroredInto = (channel: string, waId: string, timeoutMs?: number) =>
  mirrored(h, waId, { channel, timeoutMs });

type Block = { type: string; block_id?: string; elements?: Record<string, unknown>[] };

/** A poll from Alice in the linked group, as the channel shows it, with its Vote button. */
async function mirroredPoll(options: string[], selectableCount = 1) {
  const waId = newMessageId();
  whatsapp(
    h,
    pollMessage({
      waMessageId: waId,
      chatJid: POLL_GROUP,
      poll: { name: "Lunch?", options, selectableCount },
    }),
  );
  const message = await mirroredInto(MIRROR_CHANNEL, waId);
  const actions = (message.blocks as Block[] | undefined)?.find((b) => b.type === "actions");
  const button = actions?.elements?.find((e) => e.action_id === "open_poll_vote");
  if (!actions?.block_id || !button) throw new Error("the mirrored poll has no Vote button");
  return { waId, message, blockId: actions.block_id, value: button.value as string | undefined };
}

let clicks = 0;
/** A member clicks the poll's Vote button, as Slack sends it. */
async function clickVote(poll: Awaited<ReturnType<typeof mirroredPoll>>) {
  clicks += 1;
  const responseId = `vote-button-${clicks}`;
  const triggerId = `1337.42.vote${clicks}`;
  const res = await h.send.interaction(
    messageButton({
      userId: MEMBER,
      channelId: MIRROR_CHANNEL,
      ts: poll.message.ts,
      actionId: "open_poll_vote",
      blockId: poll.blockId,
      value: poll.value,
      blocks: poll.message.blocks,
      responseUrl: h.slack.responseUrl(responseId),
      triggerId,
    }),
  );
  return { res, responseId, triggerId };
}

/** The poll-vote modal opened with this trigger, as the user sees it once it is filled in. */
async function pollVoteModal(triggerId: string): Promise<OpenedView> {
  const open = await h.slack.waitForCall("views.open", (c) => c.args.trigger_id === triggerId);
  const opened = [...h.slack.views.values()].find((v) => v.triggerId === triggerId);
  if (!opened) throw new Error("views.open left no view");
  const isVoteModal = (view: unknown) => (view as { callback_id?: string }).callback_id === "wa_vote_modal";
  if (isVoteModal(open.args.view)) return { ...(open.args.view as Omit<OpenedView, "id">), id: opened.id };
  // Not known at once: a loading modal first, replaced once the poll is read.
  const update = await h.slack.waitForCall(
    "views.update",
    (c) => c.args.view_id === opened.id && isVoteModal(c.args.view),
  );
  return { ...(update.args.view as Omit<OpenedView, "id">), id: opened.id };
}

describe("the Vote button on a mirrored poll", () => {
  it("when a member clicks Vote, then the poll-vote modal lists the poll's options, read from the mirror's map and not from Slack's history", async () => {
    const poll = await mirroredPoll(["Pizza", "Sushi", "Tacos"]);
    const historyBefore = h.slack.callsTo("conversations.history").length;
    const repliesBefore = h.slack.callsTo("conversations.replies").length;
    const { res, triggerId } = await clickVote(poll);
    expect(res.status).toBe(200);
    const view = await pollVoteModal(triggerId);
    const options = view.blocks?.find((b) => b.block_id === "options");
    expect(options?.element?.type).toBe("radio_buttons");
    expect(
      ((options?.element?.options ?? []) as { text: { text: string } }[]).map((o) => o.text.text),
    ).toEqual(["Pizza", "Sushi", "Tacos"]);
    expect(h.slack.callsTo("conversations.history")).toHaveLength(historyBefore);
    expect(h.slack.callsTo("conversations.replies")).toHaveLength(repliesBefore);
  });

  it("when the member submits the modal, then the vote goes to the gateway for that poll with the poll's sender", async () => {
    const poll = await mirroredPoll(["Pizza", "Sushi"]);
    const { triggerId } = await clickVote(poll);
    const view = await pollVoteModal(triggerId);
    const sushi = (
      view.blocks?.find((b) => b.block_id === "options")?.element?.options as
        | { text: { text: string }; value: string }[]
        | undefined
    )?.[1];
    expect(sushi?.text.text).toBe("Sushi");
    const res = await h.send.interaction(
      viewSubmission({
        view,
        userId: MEMBER,
        values: { options: { options_input: { type: "radio_buttons", selected_option: sushi } } },
      }),
    );
    expect(res.status).toBe(200);
    await h.slack.waitForCall(
      "views.update",
      (c) => c.args.view_id === view.id && JSON.stringify(c.args.view).includes("sent"),
    );
    const vote = h.gateway.requests.findLast((r) => r.path.endsWith("/vote"));
    expect(vote?.method).toBe("POST");
    expect(vote?.path).toBe(`/api/v1/sessions/${SESSION}/messages/${poll.waId}/vote`);
    expect(vote?.body).toEqual({ chat: POLL_GROUP, sender: ALICE, options: ["Sushi"] });
  });

  it("when the app is overloaded, then the Vote button is refused to its user alone and no modal opens", async () => {
    const poll = await mirroredPoll(["Pizza", "Sushi"]);
    h.gateway.setLatency(1_500);
    const opensBefore = h.slack.callsTo("views.open").length;
    // Fill the app to its limit with commands waiting on the slow gateway.
    const backlog = await Promise.all(
      Array.from({ length: LIMIT }, (_, i) => wa(h, `react --chat ${GROUP_CHAT} --mid FILL_${i} 👍`)),
    );
    const { res, responseId } = await clickVote(poll);
    expect(res.status).toBe(200);
    const told = await h.slack.waitForResponse((post) => post.id === responseId);
    expect(told.body.response_type).toBe("ephemeral");
    expect(textOf(told)).toContain(BUSY);

    await Promise.all(
      backlog.filter((run) => run.res.body.includes("Sending")).map((run) => run.reply(30_000)),
    );
    expect(await h.app.inFlight.drain(10_000)).toBe(true);
    expect(h.slack.callsTo("views.open")).toHaveLength(opensBefore);
    expect(h.gateway.requests.some((r) => r.path.includes(poll.waId))).toBe(false);
  });
});

describe("a Slack reaction during overload", () => {
  const REACTIONS_GROUP = "120363000000000304@g.us";

  it("when the app is overloaded, then a reaction that would go to WhatsApp is refused to its author alone, and one that would not is left quiet", async () => {
    await linkChat(h, REACTIONS_GROUP, { sendReactions: true });
    const waId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: waId, chatJid: REACTIONS_GROUP, body: "React to me" }));
    const message = await mirroredInto(MIRROR_CHANNEL, waId);
    const plainId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: plainId, chatJid: POLL_GROUP, body: "Not sent on" }));
    const plain = await mirroredInto(MIRROR_CHANNEL, plainId);

    h.gateway.setLatency(1_500);
    const backlog = await Promise.all(
      Array.from({ length: LIMIT }, (_, i) => wa(h, `react --chat ${GROUP_CHAT} --mid FILLR_${i} 👍`)),
    );
    const ephemeralsBefore = h.slack.callsTo("chat.postEphemeral").length;
    for (const ts of [message.ts, plain.ts]) {
      const res = await slackEvent({
        type: "reaction_added",
        user: MEMBER,
        reaction: "tada",
        item: { type: "message", channel: MIRROR_CHANNEL, ts },
        item_user: "UBOT000001",
        event_ts: `${Date.now() / 1000}`,
      });
      expect(res.status).toBe(200);
    }
    const told = await h.slack.waitForCall(
      "chat.postEphemeral",
      (c) => c.args.user === MEMBER && JSON.stringify(c.args).includes(BUSY),
    );
    expect(told.args.channel).toBe(MIRROR_CHANNEL);

    await Promise.all(
      backlog.filter((run) => run.res.body.includes("Sending")).map((run) => run.reply(30_000)),
    );
    expect(await h.app.inFlight.drain(10_000)).toBe(true);
    // Once for the reaction that would have been sent; the other is nobody's business but Slack's.
    const busy = h.slack
      .callsTo("chat.postEphemeral")
      .slice(ephemeralsBefore)
      .filter((c) => JSON.stringify(c.args).includes(BUSY));
    expect(busy).toHaveLength(1);
    expect(h.gateway.requests.some((r) => r.path.includes(waId))).toBe(false);
  });
});

function slackEvent(body: Record<string, unknown>) {
  return h.send.eventCallback({ teamId: TEAM, event: body });
}

let homes = 0;
/** The Home tab the app publishes for this user when they open it. */
async function homeTabOf(userId: string): Promise<string> {
  homes += 1;
  const before = h.slack.callsTo("views.publish").length;
  const res = await slackEvent({
    type: "app_home_opened",
    user: userId,
    channel: "D0000000001",
    tab: "home",
    event_ts: `${homes}.1`,
  });
  expect(res.status).toBe(200);
  await eventually(() => h.slack.callsTo("views.publish").length > before, "the Home tab is published");
  const publish = h.slack.callsTo("views.publish").at(-1);
  expect(publish?.args.user_id).toBe(userId);
  return JSON.stringify(publish?.args.view);
}

async function statusText(): Promise<string> {
  const run = await wa(h, "status", { user: MEMBER });
  return textOf(await run.reply());
}

describe("the mirror in /wa status and on the Home tab", () => {
  it("when events come by webhook, then /wa status and the Home tab show the mode, when the last event came, and the linked chats", async () => {
    const waId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: waId, chatJid: POLL_GROUP, body: "keeps the clock going" }));
    await mirroredInto(MIRROR_CHANNEL, waId);
    await eventually(
      async () => (await h.services.store.getEventArrival(TEAM)) !== undefined,
      "the event's arrival is recorded",
    );

    for (const shown of [await statusText(), await homeTabOf(ADMIN)]) {
      expect(shown).toContain("events by webhook, the last one <!date^");
      expect(shown).toContain(`<#${MIRROR_CHANNEL}> ← `);
      expect(shown).toContain(POLL_GROUP);
      expect(shown).not.toContain("paused");
    }
  });

  it("when the app is removed from a linked channel, then the link is paused with its message kept, the Home tab and /wa status say how to fix it, and linking again posts the message", async () => {
    h.slack.addChannel(PAUSED_CHANNEL);
    for (const chat of [PAUSED_GROUP, PAUSED_NEIGHBOUR]) {
      const linked = await wa(h, `link ${chat}`, { user: ADMIN, channel: PAUSED_CHANNEL });
      expect(textOf(await linked.reply())).toContain("now mirrors");
    }
    const key = { workspaceId: TEAM, sessionId: SESSION, chatJid: PAUSED_GROUP };
    const pauseOf = async (chatJid: string) =>
      (await h.services.store.getLink({ ...key, chatJid }))?.pausedReason;

    // The app is removed from the channel; then WhatsApp goes on.
    h.slack.addChannel(PAUSED_CHANNEL, { visible: false });
    const waId = newMessageId();
    whatsapp(
      h,
      textMessage({ waMessageId: waId, chatJid: PAUSED_GROUP, body: "said while the app was out" }),
    );
    await eventually(async () => (await pauseOf(PAUSED_GROUP)) === "not_in_channel", "the link is paused");
    // Every link into that channel stops: the app cannot post there for any chat.
    expect(await pauseOf(PAUSED_NEIGHBOUR)).toBe("not_in_channel");
    expect(
      h.slack.callsTo("chat.postMessage").some((c) => c.args.channel === PAUSED_CHANNEL && c.args.metadata),
    ).toBe(true);
    expect((await h.services.store.inboxCounts(TEAM)).pending).toBe(1);

    const home = await homeTabOf(ADMIN);
    expect(home).toContain(`<#${PAUSED_CHANNEL}> ← `);
    expect(home).toContain("paused: the app was removed from the channel");
    expect(home).toContain("/invite @WhatsApp");
    expect(home).toContain("run `/wa link` there again");
    expect(home).toContain("1 WhatsApp event is waiting to be posted");
    expect(await statusText()).toContain("paused: the app was removed from the channel");

    // The fix the Home tab gave: invite the app back, then /wa link there again.
    h.slack.addChannel(PAUSED_CHANNEL);
    const relinked = await wa(h, `link ${PAUSED_GROUP}`, { user: ADMIN, channel: PAUSED_CHANNEL });
    expect(textOf(await relinked.reply())).toContain("now mirrors");
    // The announcement proved the app can post there again: the channel's other link resumes too.
    expect(await pauseOf(PAUSED_GROUP)).toBeNull();
    expect(await pauseOf(PAUSED_NEIGHBOUR)).toBeNull();
    // Linking again hands the channel's chats to the mirror at once: the kept message comes now, not at
    // the mirror's periodic resume (once a minute), which this short wait could not reach.
    const message = await mirroredInto(PAUSED_CHANNEL, waId, 10_000);
    expect(JSON.stringify(message.blocks)).toContain("said while the app was out");
    expect((await h.services.store.inboxCounts(TEAM)).pending).toBe(0);
    expect(await homeTabOf(ADMIN)).not.toContain("paused");
  });
});

describe("a channel that is not a mirror", () => {
  it("when a member clicks Vote on a poll the mirror does not know, then they learn why in the modal and nothing is sent", async () => {
    h.slack.addMessage(CHANNEL, { ts: "1712345678.000900", text: "not from WhatsApp" });
    const votes = () => h.gateway.requests.filter((r) => r.path.endsWith("/vote")).length;
    const votesBefore = votes();
    const triggerId = "1337.42.unknownpoll";
    const res = await h.send.interaction(
      messageButton({
        userId: MEMBER,
        channelId: CHANNEL,
        ts: "1712345678.000900",
        actionId: "open_poll_vote",
        blockId: "poll_actions",
        responseUrl: h.slack.responseUrl("vote-unknown"),
        triggerId,
      }),
    );
    expect(res.status).toBe(200);
    const open = await h.slack.waitForCall("views.open", (c) => c.args.trigger_id === triggerId);
    expect(JSON.stringify(open.args.view)).toContain("Reading the WhatsApp message");
    const viewId = [...h.slack.views.values()].find((v) => v.triggerId === triggerId)?.id;
    const update = await h.slack.waitForCall("views.update", (c) => c.args.view_id === viewId);
    expect(JSON.stringify(update.args.view)).toContain("no_whatsapp_metadata");
    expect(votes()).toBe(votesBefore);
  });
});
