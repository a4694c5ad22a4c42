// The order webhooks arrive in must not change what a channel ends up showing. fast-check makes a chat's
// WhatsApp history (messages and replies, a poll, edits, deletions, reactions added, changed and removed
// by several people, votes changed and withdrawn); the gateway makes an event of each, in order. The
// events reach the real app as signed webhooks in a random order, some twice (a retried delivery, same
// event id) and some again later under a new event id (the gateway's redelivery after a reconnect). The
// same history, delivered once each and in order into another chat, is the reference: every message's
// text and blocks (the reactions line and the poll's tallies included), its thread and the reactions the
// bot holds must end up the same.
//
// What may legitimately differ, because the app processes a chat's events in event-id order among those
// it has stored, and an event whose message is not mirrored yet has nothing to change:
// - An edit, deletion, reaction or vote processed before its message was mirrored is skipped for good
//   ("… of a message that was never mirrored"). That can only happen when that copy of the event was
//   delivered before every copy of its message that has a smaller event id; the test checks exactly that
//   for each such skip (read from the inbox), and leaves those events out of the reference.
// - A reply processed before the message it quotes was mirrored is posted outside the thread (it still
//   quotes it). It must be in the thread when every copy of the reply came after a copy of the quoted
//   message with a smaller event id.
// Everything else must be equal. In particular an older reaction, vote or edit delivered after a newer
// one of the same person (a late retry or a redelivery) must not undo the newer one.
import Database from "better-sqlite3";
import fc from "fast-check";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUlidFactory } from "../../src/mirror/ulid.js";
import {
  type BuiltEvent,
  editedEvent,
  newMessageId,
  pollMessage,
  pollVoteEvent,
  reactionEvent,
  replyMessage,
  revokedEvent,
  textMessage,
} from "../../src/sandbox/gateway/event-payloads.js";
import { signWebhookBody } from "../../src/sandbox/gateway/events.js";
import type { FakeMessage } from "../../src/sandbox/slack/web-api.js";
import { type Harness, SESSION, startHarness, TEAM } from "../support/app-harness.js";
import { linkChat, MANAGE_KEY, ORG, useWebhook } from "../support/mirror-helpers.js";
import { waIdOf } from "../support/mirror-observe.js";
import { eventually, watchUnhandled } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";

const NUM_RUNS = Number(process.env.INTERLEAVINGS_RUNS ?? 60);
/** A failure is reproduced with INTERLEAVINGS_SEED=<seed>. */
const SEED = Number(process.env.INTERLEAVINGS_SEED ?? Math.floor(Math.random() * 2 ** 31));

const ALICE = {
  senderJid: "6281234567890@s.whatsapp.net",
  senderLid: "205227043110953@lid",
  pushName: "Alice",
};
const PEOPLE = [
  { senderJid: "6281100000001@s.whatsapp.net", senderLid: "205227000000001@lid", pushName: "Ana" },
  { senderJid: "6281100000002@s.whatsapp.net", senderLid: "205227000000002@lid", pushName: "Budi" },
  { senderJid: undefined, senderLid: "205227000000003@lid", pushName: "Citra" },
  // The account itself, acting from the phone.
  { fromMe: true, senderJid: "6281999999999@s.whatsapp.net", pushName: "Office Phone" },
];
const EMOJI = ["👍", "❤️", "❤", "😂", "👍🏽"];
const POLL_OPTIONS = ["Tea", "Coffee", "Juice"];

let h: Harness;
let unhandled: ReturnType<typeof watchUnhandled>;
let inbox: Database.Database;
const ulid = createUlidFactory();
let chats = 0;
const totals = {
  runs: 0,
  events: 0,
  deliveries: 0,
  redeliveries: 0,
  duplicates: 0,
  skippedEarly: 0,
  unthreaded: 0,
};

beforeAll(async () => {
  unhandled = watchUnhandled();
  h = await startHarness({ logLevel: "info", tuning: { mirror: { pace: { intervalMs: 1, burst: 50 } } } });
  await h.configure(TEAM);
  await useWebhook(h);
  inbox = new Database(h.config.databaseUrl.replace(/^sqlite:/, ""), { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  unhandled.stop();
  inbox?.close();
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [MANAGE_KEY] }));
  await h.close();
});

// ---- a chat's history ----

interface Step {
  kind: "text" | "reply" | "poll" | "edit" | "revoke" | "react" | "vote";
  /** Which earlier message it acts on (or quotes), modulo those that fit. */
  target: number;
  /** Who reacts or votes, modulo PEOPLE; a poll's selectable count, modulo 2. */
  who: number;
  /** Out of range: the reaction is taken back. */
  emoji: number;
  options: boolean[];
  text: string;
  /** Where its first delivery falls among all deliveries. */
  deliveredAt: number;
  /** Delivered a second time with the same event id (a retry whose first answer was lost). */
  retried: number | null;
  /** Made again by the gateway under a new id, that many events later, and delivered at that point. */
  redelivered: { later: number; deliveredAt: number } | null;
}

/** A number in [0, 1), spread evenly (fc.double favours the edges: 0, and numbers near it). */
const unit = fc.integer({ min: 0, max: 2 ** 30 - 1 }).map((n) => n / 2 ** 30);

/** One time in four: a retry or a redelivery is the exception, not the rule. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.oneof(
    { weight: 3, arbitrary: fc.constant("text" as const) },
    { weight: 2, arbitrary: fc.constant("reply" as const) },
    { weight: 1, arbitrary: fc.constant("poll" as const) },
    { weight: 2, arbitrary: fc.constant("edit" as const) },
    { weight: 1, arbitrary: fc.constant("revoke" as const) },
    { weight: 5, arbitrary: fc.constant("react" as const) },
    { weight: 4, arbitrary: fc.constant("vote" as const) },
  ),
  target: fc.nat(),
  who: fc.nat(),
  emoji: fc.nat({ max: EMOJI.length }),
  options: fc.array(fc.boolean(), { minLength: POLL_OPTIONS.length, maxLength: POLL_OPTIONS.length }),
  text: fc.stringMatching(/^[a-z]{1,8}( [a-z]{1,8}){0,3}$/),
  deliveredAt: unit,
  retried: sometimes(unit),
  redelivered: sometimes(fc.record({ later: fc.nat(), deliveredAt: unit })),
});

interface Original {
  /** The event as the gateway builds it, for any chat. */
  build(chatJid: string): BuiltEvent;
  /** The WhatsApp message it is (a message) or acts on (anything else). */
  waId: string;
  kind: "message" | "change";
  /** The message it quotes, for a reply. */
  quotes?: string;
  step: Step;
}

interface PostedMessage {
  waId: string;
  body: string;
  poll?: { selectableCount: number };
}

/** The history the steps describe: a change always acts on a message sent before it. */
function interpret(steps: readonly Step[]): Original[] {
  const start = Date.now();
  const messages: PostedMessage[] = [];
  const originals: Original[] = [];
  steps.forEach((s, i) => {
    // WhatsApp times 100 ms apart: in order, distinct, and all within a minute (nothing "arrived late").
    const timestamp = start + i * 100;
    const texts = messages.filter((m) => m.poll === undefined);
    const polls = messages.filter((m) => m.poll !== undefined);
    let kind = s.kind;
    if (kind !== "text" && kind !== "poll" && messages.length === 0) kind = "text";
    if (kind === "edit" && texts.length === 0) kind = "text";
    if (kind === "vote" && polls.length === 0) kind = "poll";
    const pick = <T>(list: readonly T[]) => list[s.target % list.length] as T;
    const person = PEOPLE[s.who % PEOPLE.length] as (typeof PEOPLE)[number];
    switch (kind) {
      case "text":
      case "reply":
      case "poll": {
        const waId = newMessageId();
        const quoted = kind === "reply" ? pick(messages) : undefined;
        const poll = kind === "poll" ? { selectableCount: s.who % 2 } : undefined;
        messages.push({ waId, body: s.text, ...(poll ? { poll } : {}) });
        originals.push({
          waId,
          kind: "message",
          ...(quoted ? { quotes: quoted.waId } : {}),
          step: s,
          build: (chatJid) =>
            poll
              ? pollMessage({
                  ...ALICE,
                  waMessageId: waId,
                  chatJid,
                  timestamp,
                  poll: { name: s.text, options: POLL_OPTIONS, selectableCount: poll.selectableCount },
                })
              : quoted
                ? replyMessage({
                    ...ALICE,
                    waMessageId: waId,
                    chatJid,
                    timestamp,
                    body: s.text,
                    quotedMessageId: quoted.waId,
                    quotedSenderJid: ALICE.senderJid,
                    quotedBody: quoted.body,
                  })
                : textMessage({ ...ALICE, waMessageId: waId, chatJid, timestamp, body: s.text }),
        });
        return;
      }
      case "edit": {
        const target = pick(texts);
        const waId = newMessageId();
        originals.push({
          waId: target.waId,
          kind: "change",
          step: s,
          build: (chatJid) =>
            editedEvent({
              ...ALICE,
              waMessageId: waId,
              chatJid,
              timestamp,
              targetId: target.waId,
              body: s.text,
            }),
        });
        return;
      }
      case "revoke": {
        const target = pick(messages);
        const waId = newMessageId();
        originals.push({
          waId: target.waId,
          kind: "change",
          step: s,
          build: (chatJid) =>
            revokedEvent({ ...ALICE, waMessageId: waId, chatJid, timestamp, targetId: target.waId }),
        });
        return;
      }
      case "react": {
        const target = pick(messages);
        const waId = newMessageId();
        const emoji = EMOJI[s.emoji];
        originals.push({
          waId: target.waId,
          kind: "change",
          step: s,
          build: (chatJid) =>
            reactionEvent({
              ...person,
              waMessageId: waId,
              chatJid,
              timestamp,
              targetId: target.waId,
              ...(emoji === undefined ? {} : { emoji }),
            }),
        });
        return;
      }
      case "vote": {
        const target = pick(polls);
        const waId = newMessageId();
        let selected = POLL_OPTIONS.filter((_, k) => s.options[k]);
        if (target.poll?.selectableCount === 1) selected = selected.slice(0, 1);
        originals.push({
          waId: target.waId,
          kind: "change",
          step: s,
          build: (chatJid) =>
            pollVoteEvent({
              ...person,
              waMessageId: waId,
              chatJid,
              timestamp,
              targetId: target.waId,
              // None selected: the vote is withdrawn (the gateway sends no options).
              ...(selected.length > 0 ? { selectedOptions: selected } : {}),
            }),
        });
        return;
      }
    }
  });
  return originals;
}

const history = fc.array(step, { minLength: 2, maxLength: 30, size: "medium" });
/** How far deliveries stray from the gateway's order: from a few late retries to no order at all. */
const disorder = fc.integer({ min: 0, max: 10 }).map((tenths) => tenths / 10);

// ---- the gateway's events and their deliveries ----

interface Copy {
  original: number;
  eventId: string;
  redelivery: boolean;
}

/** Every event the gateway makes of the history, in the order it makes them (event ids ascending). */
function eventsOf(originals: readonly Original[]): Copy[] {
  const copies: Copy[] = [];
  const later = new Map<number, number[]>();
  originals.forEach((o, i) => {
    const again = o.step.redelivered;
    if (again === null) return;
    const at = Math.min(originals.length - 1, i + (again.later % originals.length));
    later.set(at, [...(later.get(at) ?? []), i]);
  });
  originals.forEach((_, i) => {
    copies.push({ original: i, eventId: `evt_${ulid()}`, redelivery: false });
    for (const j of later.get(i) ?? [])
      copies.push({ original: j, eventId: `evt_${ulid()}`, redelivery: true });
  });
  return copies;
}

/**
 * The deliveries, in the order the steps give them: each at its place in the gateway's order, moved by
 * its random key as far as `disorder` allows (0: in order; 1: any order at all).
 */
function deliveryOrder(originals: readonly Original[], copies: readonly Copy[], disorder: number): Copy[] {
  const keyed: { copy: Copy; key: number }[] = [];
  copies.forEach((copy, made) => {
    const s = originals[copy.original]?.step as Step;
    const at = (random: number) => (1 - disorder) * (made / copies.length) + disorder * random;
    if (copy.redelivery) keyed.push({ copy, key: at(s.redelivered?.deliveredAt ?? 0) });
    else {
      keyed.push({ copy, key: at(s.deliveredAt) });
      if (s.retried !== null) keyed.push({ copy, key: at(s.retried) });
    }
  });
  return keyed.sort((a, b) => a.key - b.key).map((k) => k.copy);
}

function secret(): string {
  const webhook = h.gateway.webhooks.find((w) => w.url.endsWith(`/gateway/events/${TEAM}`));
  if (!webhook?.secret) throw new Error("no webhook registered");
  return webhook.secret;
}

async function deliver(built: BuiltEvent, eventId: string): Promise<void> {
  const body = JSON.stringify({
    schema: "v1",
    id: eventId,
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
      "x-webhook-hmac": signWebhookBody(secret(), body),
      "x-webhook-hmac-algorithm": "sha512",
    },
    body,
  });
  await res.body.dump();
  expect(res.statusCode).toBe(200);
}

async function drained(): Promise<void> {
  await eventually(
    async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
    "the inbox is drained",
  );
}

// ---- what a channel shows ----

async function newLinkedChat(): Promise<{ chatJid: string; channel: string }> {
  chats += 1;
  const chatJid = `1203630000${String(chats).padStart(8, "0")}@g.us`;
  const channel = `CINTER${String(chats).padStart(5, "0")}`;
  h.slack.addChannel(channel);
  await linkChat(h, chatJid, { channel });
  return { chatJid, channel };
}

interface Shown {
  /** Text, blocks, poster and metadata, with the chat's id taken out. */
  look: string;
  threadOf: string | undefined;
  botReactions: string[];
}

function shownIn(channel: string, chatJid: string): Map<string, Shown[]> {
  const messages = h.slack.messagesIn(channel).filter((m) => waIdOf(m) !== undefined);
  const byTs = new Map(messages.map((m) => [m.ts, waIdOf(m)]));
  const shown = new Map<string, Shown[]>();
  for (const m of messages) {
    const waId = waIdOf(m) as string;
    shown.set(waId, [
      ...(shown.get(waId) ?? []),
      {
        look: lookOf(m).split(chatJid).join("<chat>"),
        threadOf: m.threadTs === undefined ? undefined : byTs.get(m.threadTs),
        botReactions: [...(m.reactions ?? new Map()).keys()].sort(),
      },
    ]);
  }
  return shown;
}

function lookOf(m: FakeMessage): string {
  return JSON.stringify({ text: m.text, blocks: m.blocks, username: m.username, metadata: m.metadata });
}

function inboxOf(chatJid: string): Map<string, { state: string; note: string | null }> {
  const rows = inbox
    .prepare<[string], { event_id: string; state: string; note: string | null }>(
      "SELECT event_id, state, note FROM inbox WHERE chat_jid = ?",
    )
    .all(chatJid);
  return new Map(rows.map((r) => [r.event_id, { state: r.state, note: r.note }]));
}

// ---- the property ----

describe("webhooks in any order", () => {
  it("when a chat's events arrive in random order, some twice and some again under new ids, then every message ends up as it does when the same events come once each, in order", async () => {
    await fc.assert(
      fc.asyncProperty(history, disorder, async (steps, howMuch) => {
        const originals = interpret(steps);
        const copies = eventsOf(originals);
        const order = deliveryOrder(originals, copies, howMuch);
        const x = await newLinkedChat();
        for (const copy of order) {
          await deliver((originals[copy.original] as Original).build(x.chatJid), copy.eventId);
        }
        await drained();

        // Which changes came before their message could be mirrored, and whether each may have.
        const rows = inboxOf(x.chatJid);
        const position = new Map(order.map((copy, i) => [copy.eventId, i] as const).reverse());
        const copiesOf = (i: number) => copies.filter((c) => c.original === i);
        const messageIndex = new Map(
          originals.flatMap((o, i) => (o.kind === "message" ? [[o.waId, i] as const] : [])),
        );
        /** Some copy of message `m` was delivered before `copy` and has a smaller event id. */
        const mirroredBefore = (m: number, copy: Copy) =>
          copiesOf(m).some(
            (c) =>
              c.eventId < copy.eventId && (position.get(c.eventId) ?? 0) < (position.get(copy.eventId) ?? 0),
          );
        const applied = new Set<number>();
        originals.forEach((o, i) => {
          let skippedEveryTime = true;
          for (const copy of copiesOf(i)) {
            const row = rows.get(copy.eventId);
            expect(row?.state, `event ${copy.eventId} was stored and processed`).toMatch(/^(done|skipped)$/);
            if (row?.state === "skipped" && /never mirrored/.test(row.note ?? "")) {
              // Legitimate only when no copy of its message could have been processed before it.
              expect(mirroredBefore(messageIndex.get(o.waId) as number, copy)).toBe(false);
              totals.skippedEarly += 1;
            } else {
              skippedEveryTime = false;
            }
          }
          if (!skippedEveryTime) applied.add(i);
        });

        // The reference: what was applied, once each, in order.
        const r = await newLinkedChat();
        for (const [i, o] of originals.entries()) {
          if (applied.has(i)) await deliver(o.build(r.chatJid), `evt_${ulid()}`);
        }
        await drained();

        const got = shownIn(x.channel, x.chatJid);
        const want = shownIn(r.channel, r.chatJid);
        for (const [i, o] of originals.entries()) {
          if (o.kind !== "message") continue;
          const [mine, ...more] = got.get(o.waId) ?? [];
          const [theirs] = want.get(o.waId) ?? [];
          expect(more, `message ${i} is posted once`).toEqual([]);
          expect(mine, `message ${i} is posted`).toBeDefined();
          expect(mine?.look, `message ${i} reads the same`).toBe(theirs?.look);
          expect(mine?.botReactions, `message ${i} has the same reactions`).toEqual(theirs?.botReactions);
          if (o.quotes === undefined) {
            expect(mine?.threadOf).toBeUndefined();
            continue;
          }
          // Slack threads are one level deep: a reply to a reply goes into the thread its parent is in.
          const threadIn = (shown: Map<string, Shown[]>) =>
            shown.get(o.quotes as string)?.[0]?.threadOf ?? o.quotes;
          const parent = messageIndex.get(o.quotes) as number;
          const mustThread = copiesOf(i).every((copy) => mirroredBefore(parent, copy));
          if (mustThread || mine?.threadOf !== undefined) expect(mine?.threadOf).toBe(threadIn(got));
          else totals.unthreaded += 1;
          expect(theirs?.threadOf).toBe(threadIn(want));
        }
        totals.runs += 1;
        totals.events += originals.length;
        totals.deliveries += order.length;
        totals.redeliveries += copies.filter((c) => c.redelivery).length;
        totals.duplicates += order.length - copies.length;
      }),
      {
        numRuns: NUM_RUNS,
        seed: SEED,
        // A failure is shrunk for a minute at most, then reported as it stands then.
        interruptAfterTimeLimit: 60_000,
        endOnFailure: process.env.INTERLEAVINGS_NO_SHRINK !== undefined,
      },
    );
    expect((await h.services.store.inboxCounts(TEAM)).parked).toBe(0);
    expect(unhandled.seen).toEqual([]);
    console.info(
      `[mirror-interleavings] seed ${SEED}: ${totals.runs} histories, ${totals.events} events, ${totals.deliveries} deliveries ` +
        `(${totals.redeliveries} redeliveries under new ids, ${totals.duplicates} repeated deliveries); ` +
        `${totals.skippedEarly} changes came before their message, ${totals.unthreaded} replies before what they quote`,
    );
  }, 120_000);
});
