// Polls on mirrored messages, live, end to end through the real app: `poll.vote` and `poll.recap` events
// arrive as signed webhooks from the fake gateway and change the poll's Slack message (its per-option
// counts and voters); votes cast from Slack show at once as "you"; a burst of votes is one update or a
// few; and reactions and votes survive a restart.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  newMessageId,
  pollMessage,
  pollRecapEvent,
  pollVoteEvent,
  reactionEvent,
  textMessage,
} from "../../src/sandbox/gateway/event-payloads.js";
import type { FakeMessage } from "../../src/sandbox/slack/web-api.js";
import { type Harness, MEMBER, permalink, SESSION, startHarness, TEAM } from "../support/app-harness.js";
import { linkChat, MANAGE_KEY, MIRROR_CHANNEL, useWebhook, whatsapp } from "../support/mirror-helpers.js";
import { mirrored, postsOf } from "../support/mirror-observe.js";
import { eventually, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";
import { messageButton, type OpenedView, viewSubmission } from "../support/slack-payloads.js";

const GROUP = "120363000000000501@g.us";
const ALICE_JID = "6281234567890@s.whatsapp.net";
/** Voters as the gateway names them in `poll.vote`: their phone JID and their LID. */
const ANA = { senderJid: "6281100000001@s.whatsapp.net", senderLid: "205227000000001@lid", pushName: "Ana" };
const BUDI = {
  senderJid: "6281100000002@s.whatsapp.net",
  senderLid: "205227000000002@lid",
  pushName: "Budi",
};
const CITRA = {
  senderJid: "6281100000003@s.whatsapp.net",
  senderLid: "205227000000003@lid",
  pushName: "Citra",
};
/** A voter in an LID group, without a phone JID. */
const DEWI = { senderJid: undefined, senderLid: "205227000000004@lid", pushName: "Dewi" };
/** What the gateway sends for an option it could not decrypt. */
const UNREADABLE = "670bd9ced0c6bc3fab9bcce97185cdb5a6c6008f0bb7a33c5e432b7faa0e27ed";

let h: Harness;

beforeAll(async () => {
  // Slack's own pace per channel (one call a second, short bursts): what makes a burst of votes coalesce.
  h = await startHarness();
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
  h.gateway.clearFaults();
});

/** WhatsApp times, one millisecond apart, so the order of events never rests on a clock's tie. */
let clock = Date.now();
const nextTime = () => ++clock;

async function mirroredPoll(poll: {
  options: string[];
  selectableCount: number;
  hideVotes?: boolean;
  endTime?: number;
}): Promise<{ waId: string; message: FakeMessage }> {
  const waId = newMessageId();
  whatsapp(
    h,
    pollMessage({
      waMessageId: waId,
      chatJid: GROUP,
      timestamp: nextTime(),
      poll: { name: `Plans (${waId})`, ...poll },
    }),
  );
  return { waId, message: await mirrored(h, waId) };
}

function vote(waId: string, who: object, selectedOptions?: string[]) {
  return whatsapp(
    h,
    pollVoteEvent({
      chatJid: GROUP,
      targetId: waId,
      timestamp: nextTime(),
      ...who,
      ...(selectedOptions === undefined ? {} : { selectedOptions }),
    }),
  );
}

type Block = {
  type: string;
  block_id?: string;
  text?: { text?: string };
  elements?: { text?: string; action_id?: string; value?: string }[];
};

function blocksOf(waId: string): Block[] {
  return (postsOf(h, waId)[0]?.blocks ?? []) as Block[];
}

/** What a member reads of the poll: one line per option (and unreadable votes), and the line under them. */
function pollView(waId: string): { lines: string[]; footer: string } {
  const blocks = blocksOf(waId);
  const lines = blocks
    .filter((b) => b.type === "section")
    .flatMap((b) => (b.text?.text ?? "").split("\n"))
    .filter((line) => line.startsWith("• "));
  const footer = blocks
    .filter((b) => b.type === "context")
    .flatMap((b) => (b.elements ?? []).map((e) => e.text ?? ""))
    .join("\n");
  return { lines, footer };
}

async function pollShows(waId: string, view: { lines: string[]; footer: string }): Promise<void> {
  const wanted = JSON.stringify(view);
  await eventually(() => JSON.stringify(pollView(waId)) === wanted, `the poll shows ${wanted}`, 20_000).catch(
    (error: unknown) => {
      throw new Error(`${(error as Error).message}; it shows ${JSON.stringify(pollView(waId))}`);
    },
  );
}

function voteButtonOf(waId: string) {
  const actions = blocksOf(waId).find((b) => b.type === "actions");
  const button = actions?.elements?.find((e) => e.action_id === "open_poll_vote");
  return actions?.block_id && button ? { blockId: actions.block_id, value: button.value } : undefined;
}

function headerOf(waId: string): string {
  return blocksOf(waId).find((b) => b.type === "section")?.text?.text ?? "";
}

describe("WhatsApp votes in a mirrored poll", () => {
  it("when people vote in a single-choice poll, change their vote and withdraw it, then each voter counts once, by name, on their latest choice", async () => {
    const { waId } = await mirroredPoll({ options: ["Pizza", "Sushi", "Tacos"], selectableCount: 1 });
    await pollShows(waId, {
      lines: ["• Pizza — *0 votes*", "• Sushi — *0 votes*", "• Tacos — *0 votes*"],
      footer: "No votes yet",
    });

    vote(waId, ANA, ["Pizza"]);
    vote(waId, BUDI, ["Sushi"]);
    vote(waId, CITRA, ["Pizza"]);
    await pollShows(waId, {
      lines: ["• Pizza — *2 votes*: Ana, Citra", "• Sushi — *1 vote*: Budi", "• Tacos — *0 votes*"],
      footer: "3 people voted",
    });

    vote(waId, BUDI, ["Pizza"]);
    await pollShows(waId, {
      lines: ["• Pizza — *3 votes*: Ana, Citra, Budi", "• Sushi — *0 votes*", "• Tacos — *0 votes*"],
      footer: "3 people voted",
    });

    // A withdrawn vote comes without selectedOptions.
    vote(waId, CITRA);
    await pollShows(waId, {
      lines: ["• Pizza — *2 votes*: Ana, Budi", "• Sushi — *0 votes*", "• Tacos — *0 votes*"],
      footer: "2 people voted",
    });
  });

  it("when votes in a multiple-choice poll include options the gateway could not decrypt, then those are shown as unreadable and counted for no option", async () => {
    const { waId } = await mirroredPoll({ options: ["Mon", "Tue", "Wed"], selectableCount: 0 });
    vote(waId, ANA, ["Mon", "Tue"]);
    vote(waId, BUDI, ["Tue"]);
    vote(waId, DEWI, [UNREADABLE]);
    await pollShows(waId, {
      lines: [
        "• Mon — *1 vote*: Ana",
        "• Tue — *2 votes*: Ana, Budi",
        "• Wed — *0 votes*",
        "• a vote the gateway couldn't read (cast on a poll older than this WhatsApp link)",
      ],
      footer: "3 people voted",
    });
    expect(JSON.stringify(blocksOf(waId))).not.toContain(UNREADABLE);

    // Ana changes her mind and drops Mon; Dewi's vote is withdrawn.
    vote(waId, ANA, ["Tue", "Wed"]);
    vote(waId, DEWI);
    await pollShows(waId, {
      lines: ["• Mon — *0 votes*", "• Tue — *2 votes*: Budi, Ana", "• Wed — *1 vote*: Ana"],
      footer: "2 people voted",
    });
  });

  it("when the poll hides its voters, then it shows the counts and no names", async () => {
    const { waId } = await mirroredPoll({
      options: ["Mon", "Tue", "Wed"],
      selectableCount: 0,
      hideVotes: true,
    });
    vote(waId, ANA, ["Mon"]);
    vote(waId, BUDI, ["Mon", "Wed"]);
    await pollShows(waId, {
      lines: ["• Mon — *2 votes*", "• Tue — *0 votes*", "• Wed — *1 vote*"],
      footer: "2 people voted · voters' names are hidden in this poll",
    });
    const shown = JSON.stringify(postsOf(h, waId)[0]);
    expect(shown).not.toContain("Ana");
    expect(shown).not.toContain("Budi");
  });

  it("when the poll ends, then poll.recap closes it with WhatsApp's final counts and voters, once each, and the Vote button goes", async () => {
    const endTime = Date.now() + 60_000;
    const { waId } = await mirroredPoll({ options: ["Mon", "Tue", "Wed"], selectableCount: 0, endTime });
    vote(waId, ANA, ["Mon", "Tue"]);
    vote(waId, CITRA, ["Tue"]);
    await pollShows(waId, {
      lines: ["• Mon — *1 vote*: Ana", "• Tue — *2 votes*: Ana, Citra", "• Wed — *0 votes*"],
      footer: "2 people voted",
    });
    expect(voteButtonOf(waId)).toBeDefined();

    // As the gateway sends it: voters by LID, and Eka, whose vote this link never saw.
    whatsapp(
      h,
      pollRecapEvent({
        pollMessageId: waId,
        chatJid: GROUP,
        name: "Plans",
        selectableCount: 0,
        endTime,
        options: [
          { option: "Mon", count: 1 },
          { option: "Tue", count: 2 },
          { option: "Wed", count: 1 },
        ],
        voters: [
          { voterId: ANA.senderLid, displayName: "Ana", selectedOptions: ["Mon", "Tue"] },
          { voterId: CITRA.senderLid, displayName: "Citra", selectedOptions: ["Tue"] },
          { voterId: "205227000000005@lid", displayName: "Eka", selectedOptions: ["Wed"] },
        ],
      }),
    );
    await eventually(() => headerOf(waId).includes("(closed)"), "the poll shows as closed");
    expect(pollView(waId)).toEqual({
      lines: ["• Mon — *1 vote*: Ana", "• Tue — *2 votes*: Ana, Citra", "• Wed — *1 vote*: Eka"],
      footer: "3 people voted",
    });
    expect(voteButtonOf(waId)).toBeUndefined();
  });

  it("when 30 people vote at once, then the tallies are right and the poll's message was updated far fewer than 30 times", async () => {
    const { waId } = await mirroredPoll({ options: ["Red", "Green", "Blue"], selectableCount: 1 });
    const colours = ["Red", "Green", "Blue"] as const;
    h.gateway.pauseDeliveries();
    for (let i = 0; i < 30; i++) {
      const id = String(i + 1).padStart(2, "0");
      vote(
        waId,
        { senderJid: `62812000000${id}@s.whatsapp.net`, pushName: `Voter ${id}` },
        // 15 Red, 10 Green, 5 Blue.
        [colours[i < 15 ? 0 : i < 25 ? 1 : 2]],
      );
    }
    h.gateway.resumeDeliveries();
    await eventually(() => pollView(waId).footer === "30 people voted", "all 30 votes count", 30_000);
    await h.gateway.deliveriesSettled();
    await eventually(
      async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
      "the inbox is drained",
    );

    const lines = pollView(waId).lines;
    expect(lines.map((line) => line.split(":")[0])).toEqual([
      "• Red — *15 votes*",
      "• Green — *10 votes*",
      "• Blue — *5 votes*",
    ]);
    expect(lines[0]?.split(": ")[1]?.split(", ")).toHaveLength(15);
    expect(lines[2]).toBe("• Blue — *5 votes*: Voter 26, Voter 27, Voter 28, Voter 29, Voter 30");
    const updates = postsOf(h, waId)[0]?.updates ?? 0;
    // One update per run of the chat, not per vote: a handful while Slack's pace holds the next one back.
    expect(updates).toBeGreaterThanOrEqual(1);
    expect(updates).toBeLessThanOrEqual(10);
  }, 40_000);
});

let clicks = 0;

/** A member clicks the poll's Vote button and gets the poll-vote modal. */
async function openVoteModal(waId: string): Promise<OpenedView> {
  const button = voteButtonOf(waId);
  const message = postsOf(h, waId)[0];
  if (!button || !message) throw new Error("the mirrored poll has no Vote button");
  clicks += 1;
  const triggerId = `1337.42.livevote${clicks}`;
  const res = await h.send.interaction(
    messageButton({
      userId: MEMBER,
      channelId: MIRROR_CHANNEL,
      ts: message.ts,
      actionId: "open_poll_vote",
      blockId: button.blockId,
      value: button.value,
      blocks: message.blocks,
      responseUrl: h.slack.responseUrl(`live-vote-${clicks}`),
      triggerId,
    }),
  );
  expect(res.status).toBe(200);
  const open = await h.slack.waitForCall("views.open", (c) => c.args.trigger_id === triggerId);
  const opened = [...h.slack.views.values()].find((v) => v.triggerId === triggerId);
  if (!opened) throw new Error("views.open left no view");
  const isVoteModal = (view: unknown) => (view as { callback_id?: string }).callback_id === "wa_vote_modal";
  if (isVoteModal(open.args.view)) return { ...(open.args.view as Omit<OpenedView, "id">), id: opened.id };
  const update = await h.slack.waitForCall(
    "views.update",
    (c) => c.args.view_id === opened.id && isVoteModal(c.args.view),
  );
  return { ...(update.args.view as Omit<OpenedView, "id">), id: opened.id };
}

function voteRequests(waId: string) {
  const path = `/api/v1/sessions/${SESSION}/messages/${waId}/vote`;
  return h.gateway.requests.filter((r) => r.path === path).map((r) => r.body);
}

describe("votes cast from Slack", () => {
  it("when a member votes with the Vote button, then WhatsApp gets the vote and the poll counts it at once as you", async () => {
    const { waId } = await mirroredPoll({ options: ["Pizza", "Sushi"], selectableCount: 1 });
    vote(waId, ANA, ["Pizza"]);
    await pollShows(waId, {
      lines: ["• Pizza — *1 vote*: Ana", "• Sushi — *0 votes*"],
      footer: "1 person voted",
    });
    const view = await openVoteModal(waId);
    const options = view.blocks?.find((b) => b.block_id === "options")?.element?.options as
      | { text: { text: string }; value: string }[]
      | undefined;
    const sushi = options?.find((o) => o.text.text === "Sushi");
    expect(sushi).toBeDefined();
    const res = await h.send.interaction(
      viewSubmission({
        view,
        userId: MEMBER,
        values: { options: { options_input: { type: "radio_buttons", selected_option: sushi } } },
      }),
    );
    expect(res.status).toBe(200);
    await pollShows(waId, {
      lines: ["• Pizza — *1 vote*: Ana", "• Sushi — *1 vote*: you"],
      footer: "2 people voted",
    });
    expect(voteRequests(waId)).toEqual([{ chat: GROUP, sender: ALICE_JID, options: ["Sushi"] }]);
  });

  it('when a member votes with /wa vote <link> "Option", then the poll counts it at once as you, and a later vote of theirs replaces it', async () => {
    const { waId, message } = await mirroredPoll({
      options: ["Friday night", "Saturday", "Sunday"],
      selectableCount: 0,
    });
    vote(waId, BUDI, ["Saturday"]);
    const link = permalink(MIRROR_CHANNEL, message.ts);
    const run = await wa(h, `vote ${link} "Friday night" Saturday`, { user: MEMBER });
    expect(run.res.status).toBe(200);
    expect(textOf(await run.reply())).toContain("Friday night");
    await pollShows(waId, {
      lines: ["• Friday night — *1 vote*: you", "• Saturday — *2 votes*: Budi, you", "• Sunday — *0 votes*"],
      footer: "2 people voted",
    });

    const again = await wa(h, `vote ${link} Sunday`, { user: MEMBER });
    await again.reply();
    await pollShows(waId, {
      lines: ["• Friday night — *0 votes*", "• Saturday — *1 vote*: Budi", "• Sunday — *1 vote*: you"],
      footer: "2 people voted",
    });
    expect(voteRequests(waId)).toEqual([
      { chat: GROUP, sender: ALICE_JID, options: ["Friday night", "Saturday"] },
      { chat: GROUP, sender: ALICE_JID, options: ["Sunday"] },
    ]);
  });
});

describe("a restart with reactions and votes on mirrored messages", () => {
  it("when the app restarts, then the reactions and votes it knew still count: a removal and a new vote after it give the right state", async () => {
    const { waId: pollId } = await mirroredPoll({ options: ["Pizza", "Sushi"], selectableCount: 1 });
    const textId = newMessageId();
    whatsapp(
      h,
      textMessage({ waMessageId: textId, chatJid: GROUP, body: "Who is in?", timestamp: nextTime() }),
    );
    await mirrored(h, textId);
    const react = (who: object, emoji?: string) =>
      whatsapp(
        h,
        reactionEvent({
          chatJid: GROUP,
          targetId: textId,
          timestamp: nextTime(),
          ...who,
          ...(emoji === undefined ? {} : { emoji }),
        }),
      );
    const reactionsLine = () =>
      ((postsOf(h, textId)[0]?.blocks ?? []) as Block[])
        .filter((b) => b.type === "context")
        .flatMap((b) => (b.elements ?? []).map((e) => e.text ?? ""))
        .join("\n");
    const botHolds = () =>
      [...(postsOf(h, textId)[0]?.reactions ?? new Map<string, Set<string>>())]
        .filter(([, holders]) => holders.has("UBOT000001"))
        .map(([name]) => name)
        .sort();

    vote(pollId, ANA, ["Pizza"]);
    vote(pollId, BUDI, ["Sushi"]);
    react(ANA, "👍");
    react(BUDI, "👍");
    react(CITRA, "🎉");
    await pollShows(pollId, {
      lines: ["• Pizza — *1 vote*: Ana", "• Sushi — *1 vote*: Budi"],
      footer: "2 people voted",
    });
    await eventually(() => reactionsLine() === "👍 Ana, Budi · 🎉 Citra", "the reactions show");
    await h.gateway.deliveriesSettled();
    await eventually(
      async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
      "the inbox is drained",
    );

    await h.restart();

    react(ANA);
    vote(pollId, CITRA, ["Sushi"]);
    vote(pollId, ANA, ["Sushi"]);
    await pollShows(pollId, {
      lines: ["• Pizza — *0 votes*", "• Sushi — *3 votes*: Budi, Citra, Ana"],
      footer: "3 people voted",
    });
    await eventually(() => reactionsLine() === "👍 Budi · 🎉 Citra", "Ana's reaction is gone, Budi's stays");
    // Budi still holds 👍 on WhatsApp: the bot's Slack reaction stays.
    expect(botHolds()).toEqual(["+1", "tada"]);

    react(BUDI);
    await eventually(() => reactionsLine() === "🎉 Citra", "Budi's reaction is gone");
    expect(botHolds()).toEqual(["tada"]);
  }, 40_000);
});
