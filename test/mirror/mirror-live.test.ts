// Reactions on mirrored messages, live, end to end through the real app: WhatsApp reactions arrive as
// signed webhooks from the fake gateway and show on the Slack message (the bot's reactions and the
// message's reactions line); Slack users' reactions arrive as signed Events API callbacks and become the
// account's one WhatsApp reaction at the gateway; `/wa react` shows on the message as "you".
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newMessageId, reactionEvent, textMessage } from "../../src/sandbox/gateway/event-payloads.js";
import type { FakeMessage } from "../../src/sandbox/slack/web-api.js";
import { type Harness, MEMBER, permalink, SESSION, startHarness, TEAM } from "../support/app-harness.js";
import { linkChat, MANAGE_KEY, MIRROR_CHANNEL, useWebhook, whatsapp } from "../support/mirror-helpers.js";
import { mirrored, postsOf } from "../support/mirror-observe.js";
import { eventually, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";

/** Linked without --reactions: Slack reactions stay in Slack. */
const GROUP = "120363000000000401@g.us";
/** Linked with --reactions, into the same channel. */
const SENDING_GROUP = "120363000000000402@g.us";
const BOT_USER = "UBOT000001";
/** The author of the mirrored messages (the payload builders' default sender). */
const ALICE_JID = "6281234567890@s.whatsapp.net";
const ANA = { senderJid: "6281100000001@s.whatsapp.net", pushName: "Ana" };
const BUDI = { senderJid: "6281100000002@s.whatsapp.net", pushName: "Budi" };
const CITRA = { senderJid: "6281100000003@s.whatsapp.net", pushName: "Citra" };
/** The account itself, reacting from its phone: WhatsApp names it by its own push name. */
const PHONE = { senderJid: "6281111111111@s.whatsapp.net", pushName: "Office Phone", fromMe: true };
const SLACK_A = "USLACKAAA1";
const SLACK_B = "USLACKBBB2";

let h: Harness;

beforeAll(async () => {
  // Slack's pace per channel (one call a second) is not what these tests are about.
  h = await startHarness({ tuning: { mirror: { pace: { intervalMs: 20, burst: 3 } } } });
  await h.configure(TEAM);
  h.slack.addChannel(MIRROR_CHANNEL);
  h.slack.addUser({ id: SLACK_A, teamId: TEAM });
  h.slack.addUser({ id: SLACK_B, teamId: TEAM });
  await useWebhook(h);
  await linkChat(h, GROUP);
  await linkChat(h, SENDING_GROUP, { sendReactions: true });
});
afterAll(async () => {
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [MANAGE_KEY] }));
  await h.close();
});
beforeEach(() => {
  h.slack.clearFaults();
  h.gateway.clearFaults();
});

/** A text message from Alice in the chat, as the channel shows it. */
async function mirroredText(chatJid = GROUP): Promise<{ waId: string; ts: string }> {
  const waId = newMessageId();
  whatsapp(h, textMessage({ waMessageId: waId, chatJid, body: `Lunch at noon? (${waId})` }));
  return { waId, ts: (await mirrored(h, waId)).ts };
}

function current(waId: string): FakeMessage | undefined {
  return postsOf(h, waId)[0];
}

function contextTexts(message: FakeMessage | undefined): string[] {
  const blocks = (message?.blocks ?? []) as { type?: string; elements?: { text?: string }[] }[];
  return blocks
    .filter((b) => b.type === "context")
    .flatMap((b) => (b.elements ?? []).map((e) => e.text ?? ""));
}

/** The reactions line of a plain text message ("👍 Ana, Budi · ❤️ you"); "" when it has none. */
function reactionsLine(waId: string): string {
  const lines = contextTexts(current(waId));
  // A plain text message has no other context line.
  expect(lines.length).toBeLessThanOrEqual(1);
  return lines[0] ?? "";
}

async function lineBecomes(waId: string, line: string): Promise<void> {
  await eventually(
    () => contextTexts(current(waId)).join("\n") === line,
    `the reactions line reads "${line}"`,
  );
}

/** For reactions in the same millisecond, whose order in the line is not the point. */
async function partsBecome(waId: string, parts: string[]): Promise<void> {
  const wanted = JSON.stringify([...parts].sort());
  await eventually(
    () => JSON.stringify(reactionsLine(waId).split(" · ").sort()) === wanted,
    `the reactions line holds ${parts.join(" and ")}`,
  );
}

/** The Slack reactions the bot holds on the message, sorted. */
function botReactions(waId: string): string[] {
  const held = [...(current(waId)?.reactions ?? new Map<string, Set<string>>())];
  return held
    .filter(([, holders]) => holders.has(BOT_USER))
    .map(([name]) => name)
    .sort();
}

/** Every gateway event of the workspace is delivered and processed. */
async function mirrorIdle(): Promise<void> {
  await h.gateway.deliveriesSettled();
  await eventually(
    async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
    "the inbox is drained",
  );
}

function react(waId: string, who: object, emoji?: string, chatJid = GROUP) {
  return whatsapp(
    h,
    reactionEvent({ chatJid, targetId: waId, ...who, ...(emoji === undefined ? {} : { emoji }) }),
  );
}

describe("WhatsApp reactions on a mirrored message", () => {
  it("when a WhatsApp person reacts, changes the reaction and takes it back, then the bot's Slack reaction and the reactions line follow", async () => {
    const { waId } = await mirroredText();
    react(waId, ANA, "👍");
    await lineBecomes(waId, "👍 Ana");
    expect(botReactions(waId)).toEqual(["+1"]);

    react(waId, ANA, "😂");
    await lineBecomes(waId, "😂 Ana");
    expect(botReactions(waId)).toEqual(["joy"]);

    react(waId, ANA);
    await lineBecomes(waId, "");
    expect(botReactions(waId)).toEqual([]);
    expect(current(waId)?.reactions?.size).toBe(0);
  });

  it("when two people react with the same emoji, then the bot holds it once and keeps it until both took theirs back", async () => {
    const { waId } = await mirroredText();
    react(waId, ANA, "👍");
    react(waId, BUDI, "👍");
    await lineBecomes(waId, "👍 Ana, Budi");
    expect(botReactions(waId)).toEqual(["+1"]);
    expect(
      h.slack.callsTo("reactions.add").filter((c) => c.args.timestamp === current(waId)?.ts),
    ).toHaveLength(1);

    react(waId, ANA);
    await lineBecomes(waId, "👍 Budi");
    expect(botReactions(waId)).toEqual(["+1"]);

    react(waId, BUDI);
    await lineBecomes(waId, "");
    expect(botReactions(waId)).toEqual([]);
  });

  it("when reactions come with skin tones and a heart without U+FE0F, then the bot reacts with Slack's ::skin-tone-N names and both hearts are one emoji", async () => {
    const { waId } = await mirroredText();
    react(waId, ANA, "👍🏽");
    react(waId, BUDI, "❤");
    react(waId, CITRA, "❤️");
    await partsBecome(waId, ["❤️ Budi, Citra", "👍🏽 Ana"]);
    expect(botReactions(waId)).toEqual(["+1::skin-tone-4", "heart"]);
  });

  it("when Slack has no such emoji, then the reaction still shows in the reactions line and the chat goes on", async () => {
    const { waId } = await mirroredText();
    h.slack.setFault("reactions.add", { kind: "error", error: "invalid_name", times: 1 });
    react(waId, ANA, "🫠");
    await lineBecomes(waId, "🫠 Ana");
    expect(botReactions(waId)).toEqual([]);

    react(waId, BUDI, "🙏");
    await eventually(() => reactionsLine(waId).includes("Budi"), "the next reaction shows");
    expect(reactionsLine(waId)).toBe("🫠 Ana · 🙏 Budi");
    expect(botReactions(waId)).toEqual(["pray"]);
  });

  it("when the account reacts from its phone, then the reactions line names it as you, not by its push name", async () => {
    const { waId } = await mirroredText();
    react(waId, ANA, "👍");
    react(waId, PHONE, "👍🏽");
    await partsBecome(waId, ["👍 Ana", "👍🏽 you"]);
    expect(reactionsLine(waId)).not.toContain("Office Phone");
    expect(botReactions(waId)).toEqual(["+1", "+1::skin-tone-4"]);
  });

  it("after any sequence of reactions, removals and changes, then the line shows each person's latest emoji and the bot holds exactly those emoji", async () => {
    const people = [
      { who: ANA, name: "Ana" },
      { who: BUDI, name: "Budi" },
      { who: CITRA, name: "Citra" },
      { who: PHONE, name: "you" },
    ];
    /** What each emoji is in the line, and its Slack name. */
    const emoji: Record<string, { shown: string; slack: string }> = {
      "👍": { shown: "👍", slack: "+1" },
      "👍🏿": { shown: "👍🏿", slack: "+1::skin-tone-6" },
      "❤": { shown: "❤️", slack: "heart" },
      "❤️": { shown: "❤️", slack: "heart" },
      "😂": { shown: "😂", slack: "joy" },
      "🙏": { shown: "🙏", slack: "pray" },
    };
    const step = fc.record({
      person: fc.integer({ min: 0, max: people.length - 1 }),
      emoji: fc.option(fc.constantFrom(...Object.keys(emoji)), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const { waId } = await mirroredText();
        const held = new Map<string, string>();
        for (const s of steps) {
          const person = people[s.person] as (typeof people)[number];
          react(waId, person.who, s.emoji);
          if (s.emoji === undefined) held.delete(person.name);
          else held.set(person.name, s.emoji);
        }
        await mirrorIdle();

        const expected = new Map<string, string[]>();
        for (const [name, e] of held) {
          const shown = emoji[e]?.shown ?? e;
          expected.set(shown, [...(expected.get(shown) ?? []), name].sort());
        }
        const shownLine = reactionsLine(waId);
        const parsed = new Map(
          (shownLine === "" ? [] : shownLine.split(" · ")).map((part) => {
            const [first = "", ...names] = part.split(" ");
            return [first, names.join(" ").split(", ").sort()] as const;
          }),
        );
        expect(Object.fromEntries(parsed)).toEqual(Object.fromEntries(expected));
        const slackNames = [...new Set([...held.values()].map((e) => emoji[e]?.slack ?? e))].sort();
        expect(botReactions(waId)).toEqual(slackNames);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});

let slackEvents = 0;

/** A Slack user's reaction (or its removal) on a message of the mirror channel, as the Events API sends it. */
function slackReaction(input: {
  user: string;
  reaction: string;
  ts: string;
  added?: boolean;
  eventId?: string;
}): Record<string, unknown> {
  slackEvents += 1;
  const now = Math.floor(Date.now() / 1000);
  return {
    token: "deprecated",
    team_id: TEAM,
    api_app_id: "A0000000001",
    type: "event_callback",
    event_id: input.eventId ?? `Ev0LIVE${String(slackEvents).padStart(6, "0")}`,
    event_time: now,
    authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    event: {
      type: input.added === false ? "reaction_removed" : "reaction_added",
      user: input.user,
      reaction: input.reaction,
      item: { type: "message", channel: MIRROR_CHANNEL, ts: input.ts },
      item_user: BOT_USER,
      // Later events have later event_ts, as in Slack.
      event_ts: `${now}.${String(slackEvents).padStart(6, "0")}`,
    },
  };
}

async function sendSlackReaction(input: Parameters<typeof slackReaction>[0]): Promise<void> {
  const res = await h.send.event(slackReaction(input));
  expect(res.status).toBe(200);
}

/** The gateway requests about the account's reaction on this message, oldest first. */
function reactionRequests(waId: string) {
  const path = `/api/v1/sessions/${SESSION}/messages/${waId}/reaction`;
  return h.gateway.requests.filter((r) => r.path === path).map((r) => ({ method: r.method, body: r.body }));
}

async function gatewayGot(waId: string, count: number): Promise<void> {
  await eventually(
    () => reactionRequests(waId).length >= count,
    `${count} reaction requests reach the gateway`,
  );
}

/** Everything the app does after Slack's acks is finished. */
async function slackWorkDone(): Promise<void> {
  expect(await h.app.inFlight.drain(10_000)).toBe(true);
}

describe("Slack reactions sent to WhatsApp (--reactions)", () => {
  it("when two Slack users react and take their reactions back, then the account holds the latest one still there, then the one before, then none", async () => {
    const { waId, ts } = await mirroredText(SENDING_GROUP);
    const add = (emoji: string) => ({
      method: "POST",
      body: { chat: SENDING_GROUP, emoji, sender: ALICE_JID },
    });
    const remove = { method: "DELETE", body: { chat: SENDING_GROUP, sender: ALICE_JID } };

    await sendSlackReaction({ user: SLACK_A, reaction: "+1", ts });
    await gatewayGot(waId, 1);
    await sendSlackReaction({ user: SLACK_B, reaction: "heart", ts });
    await gatewayGot(waId, 2);
    expect(reactionRequests(waId)).toEqual([add("👍"), add("❤️")]);
    // The account's reaction shows on the message as "you"; its Slack reaction is the users' own.
    await lineBecomes(waId, "❤️ you");
    expect(botReactions(waId)).toEqual([]);

    await sendSlackReaction({ user: SLACK_B, reaction: "heart", ts, added: false });
    await gatewayGot(waId, 3);
    expect(reactionRequests(waId)[2]).toEqual(add("👍"));
    await lineBecomes(waId, "👍 you");

    await sendSlackReaction({ user: SLACK_A, reaction: "+1", ts, added: false });
    await gatewayGot(waId, 4);
    expect(reactionRequests(waId)[3]).toEqual(remove);
    await lineBecomes(waId, "");
    await slackWorkDone();
    expect(reactionRequests(waId)).toHaveLength(4);
  });

  it("when the bot's own reaction comes back as an event, then nothing is sent to WhatsApp", async () => {
    const { waId, ts } = await mirroredText(SENDING_GROUP);
    await sendSlackReaction({ user: BOT_USER, reaction: "joy", ts });
    // A user's reaction after it: once that one is at the gateway, the bot's had its turn.
    await sendSlackReaction({ user: SLACK_A, reaction: "pray", ts });
    await gatewayGot(waId, 1);
    await slackWorkDone();
    expect(reactionRequests(waId)).toEqual([
      { method: "POST", body: { chat: SENDING_GROUP, emoji: "🙏", sender: ALICE_JID } },
    ]);
  });

  it("when Slack retries a reaction event (same event_id), then WhatsApp gets it once", async () => {
    const { waId, ts } = await mirroredText(SENDING_GROUP);
    const eventId = `Ev0RETRY${Date.now()}`;
    await sendSlackReaction({ user: SLACK_A, reaction: "tada", ts, eventId });
    await gatewayGot(waId, 1);
    await sendSlackReaction({ user: SLACK_A, reaction: "tada", ts, eventId });
    await slackWorkDone();
    expect(reactionRequests(waId)).toEqual([
      { method: "POST", body: { chat: SENDING_GROUP, emoji: "🎉", sender: ALICE_JID } },
    ]);
  });

  it("when the chat is linked without --reactions, then a Slack reaction on its message is not sent", async () => {
    const quiet = await mirroredText(GROUP);
    const sending = await mirroredText(SENDING_GROUP);
    const toldBefore = h.slack.callsTo("chat.postEphemeral").length;
    await sendSlackReaction({ user: SLACK_A, reaction: "+1", ts: quiet.ts });
    await sendSlackReaction({ user: SLACK_A, reaction: "+1", ts: sending.ts });
    await gatewayGot(sending.waId, 1);
    await slackWorkDone();
    expect(reactionRequests(quiet.waId)).toEqual([]);
    // Nor is its user told anything: a reaction there is a note to colleagues.
    expect(h.slack.callsTo("chat.postEphemeral")).toHaveLength(toldBefore);
  });

  it("when a Slack user reacts with a custom emoji, then it is not sent and only that user is told why", async () => {
    const { waId, ts } = await mirroredText(SENDING_GROUP);
    await sendSlackReaction({ user: SLACK_B, reaction: "custom_party_parrot", ts });
    const told = await h.slack.waitForCall("chat.postEphemeral", (c) => c.args.user === SLACK_B);
    expect(told.args.channel).toBe(MIRROR_CHANNEL);
    expect(JSON.stringify(told.args)).toContain(":custom_party_parrot:");
    expect(JSON.stringify(told.args)).toContain("custom workspace emoji");
    await slackWorkDone();
    expect(reactionRequests(waId)).toEqual([]);
    // Nor is it posted in the channel for everyone.
    expect(
      h.slack.callsTo("chat.postMessage").some((c) => JSON.stringify(c.args).includes("custom_party_parrot")),
    ).toBe(false);
  });

  it("when the gateway refuses the reaction, then that user alone is told, with the gateway's code", async () => {
    const { waId, ts } = await mirroredText(SENDING_GROUP);
    h.gateway.setFault(SESSION, {
      kind: "status",
      status: 404,
      code: "not_found",
      message: "message not found",
      times: 1,
    });
    await sendSlackReaction({ user: SLACK_A, reaction: "fire", ts });
    const told = await h.slack.waitForCall("chat.postEphemeral", (c) => c.args.user === SLACK_A);
    expect(told.args.channel).toBe(MIRROR_CHANNEL);
    expect(JSON.stringify(told.args)).toContain("not_found");
    expect(reactionRequests(waId)).toEqual([
      { method: "POST", body: { chat: SENDING_GROUP, emoji: "🔥", sender: ALICE_JID } },
    ]);
    await slackWorkDone();
    // Nothing was sent, so nothing shows as the account's.
    await mirrorIdle();
    expect(reactionsLine(waId)).toBe("");

    // The failed one is not the account's reaction: the same emoji from someone else is sent.
    await sendSlackReaction({ user: SLACK_B, reaction: "fire", ts });
    await slackWorkDone();
    expect(reactionRequests(waId)).toEqual([
      { method: "POST", body: { chat: SENDING_GROUP, emoji: "🔥", sender: ALICE_JID } },
      { method: "POST", body: { chat: SENDING_GROUP, emoji: "🔥", sender: ALICE_JID } },
    ]);
  });
});

describe("/wa react on a mirrored message", () => {
  it("when a member reacts by message link, then the gateway gets it and the message shows the account's reaction as you", async () => {
    const { waId, ts } = await mirroredText(GROUP);
    react(waId, ANA, "👍");
    await lineBecomes(waId, "👍 Ana");
    const run = await wa(h, `react ${permalink(MIRROR_CHANNEL, ts)} 🙏`, { user: MEMBER });
    expect(run.res.status).toBe(200);
    expect(textOf(await run.reply())).toContain("🙏");
    expect(reactionRequests(waId)).toEqual([
      { method: "POST", body: { chat: GROUP, emoji: "🙏", sender: ALICE_JID } },
    ]);
    await lineBecomes(waId, "👍 Ana · 🙏 you");
    expect(botReactions(waId)).toEqual(["+1", "pray"]);

    const undo = await wa(h, `unreact ${permalink(MIRROR_CHANNEL, ts)}`, { user: MEMBER });
    await undo.reply();
    await lineBecomes(waId, "👍 Ana");
    expect(botReactions(waId)).toEqual(["+1"]);
  });
});
