// The mirror's part of the Store contract (mirror-port.ts); sqlite.test.ts and postgres.test.ts run it.
import { describe, expect, it } from "vitest";
import { StoreConflictError, StoreUnavailableError } from "../../src/errors.js";
import type {
  ChatKey,
  EventSettingsRecord,
  InboxInsert,
  LinkRecord,
  MirroredMessageInsert,
} from "../../src/store/mirror-port.js";
import type { Store } from "../../src/store/port.js";
import { type ContractSubject, freshSubjects } from "./store-contract.js";

const at = (iso: string) => new Date(iso);

const WORKSPACE = "T0MIRROR";
const SESSION = "01HZXSESSION";
const GROUP = "120363012345678901@g.us";
const PERSON = "4915112345678@s.whatsapp.net";
const chat = (chatJid = GROUP, overrides: Partial<ChatKey> = {}): ChatKey => ({
  workspaceId: WORKSPACE,
  sessionId: SESSION,
  chatJid,
  ...overrides,
});

/** A gateway event id: `evt_` and a ULID, so the tail decides the order. */
const evt = (tail: string) => `evt_01JC3Z8V6K${tail.padStart(16, "0")}`;

function settings(workspaceId: string, overrides: Partial<EventSettingsRecord> = {}): EventSettingsRecord {
  return {
    workspaceId,
    mode: "webhook",
    webhookId: "wh_01JC3Z8V6KQ2",
    webhookUrl: `https://wa-slack.example.com/gateway/events/${workspaceId}`,
    sealedWebhookSecret: `sealed-webhook-secret-of-${workspaceId}`,
    updatedBy: "U0ADMIN",
    updatedAt: at("2025-03-01T10:00:00.123Z"),
    ...overrides,
  };
}

function link(overrides: Partial<LinkRecord> = {}): LinkRecord {
  return {
    workspaceId: WORKSPACE,
    channelId: "C0GROUP",
    sessionId: SESSION,
    chatJid: GROUP,
    sendReactions: true,
    pausedReason: null,
    createdBy: "U0ADMIN",
    createdAt: at("2025-03-01T10:00:00.456Z"),
    ...overrides,
  };
}

function event(eventId: string, overrides: Partial<InboxInsert> = {}): InboxInsert {
  return {
    ...chat(),
    eventId,
    eventType: "message.received",
    waMessageId: "3EB0C431C26A1916E07A",
    envelope: JSON.stringify({
      id: eventId,
      type: "message.received",
      payload: { text: 'Hallo 👋 "quoted"' },
    }),
    receivedAt: at("2025-03-01T10:00:01.001Z"),
    ...overrides,
  };
}

function message(overrides: Partial<MirroredMessageInsert> = {}): MirroredMessageInsert {
  return {
    ...chat(),
    waMessageId: "3EB0C431C26A1916E07A",
    channelId: "C0GROUP",
    slackTs: "1740823201.000100",
    threadTs: null,
    sender: PERSON,
    content: JSON.stringify({ kind: "text", text: "Hallo 👋" }),
    ...overrides,
  };
}

const keyOf = (m: ChatKey): ChatKey => ({
  workspaceId: m.workspaceId,
  sessionId: m.sessionId,
  chatJid: m.chatJid,
});

/** Accepts an event and returns its inbox id, as the processor would see it. */
async function accepted(store: Store, insert: InboxInsert): Promise<number> {
  expect(await store.acceptEvent(insert)).toEqual({ accepted: true });
  const found = (await store.pendingEvents(insert, 1000)).find((e) => e.eventId === insert.eventId);
  if (found === undefined) throw new Error(`event ${insert.eventId} is not pending`);
  return found.id;
}

export function mirrorContract(name: string, makeStore: () => Promise<ContractSubject>): void {
  describe(`${name}: mirror store contract`, () => {
    const fresh = freshSubjects(makeStore);

    describe("event settings and arrivals", () => {
      it("when event settings are put, then get returns them field for field, nulls as nulls", async () => {
        const { store } = await fresh();
        const webhook = settings("T0AAA");
        const realtime = settings("T0BBB", {
          mode: "realtime",
          webhookId: null,
          webhookUrl: null,
          sealedWebhookSecret: null,
        });
        await store.putEventSettings(webhook);
        await store.putEventSettings(realtime);
        expect(await store.getEventSettings("T0AAA")).toEqual(webhook);
        expect(await store.getEventSettings("T0BBB")).toEqual(realtime);
        expect(await store.getEventSettings("T0NONE")).toBeUndefined();
      });

      it("when event settings are put again, then the new ones replace the old", async () => {
        const { store } = await fresh();
        await store.putEventSettings(settings("T0AAA"));
        const changed = settings("T0AAA", {
          mode: "off",
          webhookId: null,
          updatedBy: "cli",
          updatedAt: at("2025-04-02T00:00:00.001Z"),
        });
        await store.putEventSettings(changed);
        expect(await store.getEventSettings("T0AAA")).toEqual(changed);
      });

      it("when event settings are listed, then only workspaces not switched off come back, by id", async () => {
        const { store } = await fresh();
        await store.putEventSettings(settings("T0CCC", { mode: "realtime" }));
        await store.putEventSettings(settings("T0OFF", { mode: "off" }));
        await store.putEventSettings(settings("E0AAA"));
        expect(await store.listEventSettings()).toEqual([
          settings("E0AAA"),
          settings("T0CCC", { mode: "realtime" }),
        ]);
      });

      it("when arrivals are recorded out of order, then the newest is kept per workspace", async () => {
        const { store } = await fresh();
        expect(await store.getEventArrival(WORKSPACE)).toBeUndefined();
        const newest = {
          workspaceId: WORKSPACE,
          lastEventId: evt("B"),
          lastEventAt: at("2025-03-01T10:00:02.000Z"),
        };
        await store.recordEventArrival({
          ...newest,
          lastEventId: evt("A"),
          lastEventAt: at("2025-03-01T10:00:01.000Z"),
        });
        await store.recordEventArrival(newest);
        await store.recordEventArrival({
          ...newest,
          lastEventId: evt("9"),
          lastEventAt: at("2025-03-01T09:59:59.999Z"),
        });
        await store.recordEventArrival({
          workspaceId: "T0OTHER",
          lastEventId: evt("1"),
          lastEventAt: at("2025-01-01T00:00:00.000Z"),
        });
        expect(await store.getEventArrival(WORKSPACE)).toEqual(newest);
        expect(await store.getEventArrival("T0OTHER")).toEqual({
          workspaceId: "T0OTHER",
          lastEventId: evt("1"),
          lastEventAt: at("2025-01-01T00:00:00.000Z"),
        });
      });

      it("when two arrivals share an instant, then the later event id is kept whichever came last", async () => {
        const { store } = await fresh();
        const instant = at("2025-03-01T10:00:00.000Z");
        await store.recordEventArrival({
          workspaceId: WORKSPACE,
          lastEventId: evt("D"),
          lastEventAt: instant,
        });
        await store.recordEventArrival({
          workspaceId: WORKSPACE,
          lastEventId: evt("C"),
          lastEventAt: instant,
        });
        expect((await store.getEventArrival(WORKSPACE))?.lastEventId).toBe(evt("D"));
        await store.recordEventArrival({
          workspaceId: WORKSPACE,
          lastEventId: evt("E"),
          lastEventAt: instant,
        });
        expect((await store.getEventArrival(WORKSPACE))?.lastEventId).toBe(evt("E"));
      });
    });

    describe("links", () => {
      it("when a link is put, then get returns it field for field", async () => {
        const { store } = await fresh();
        const group = link();
        const paused = link({
          chatJid: PERSON,
          channelId: "C0DM",
          sendReactions: false,
          pausedReason: "not_in_channel",
        });
        await store.putLink(group);
        await store.putLink(paused);
        expect(await store.getLink(chat())).toEqual(group);
        expect(await store.getLink(chat(PERSON))).toEqual(paused);
        expect(await store.getLink(chat(GROUP, { sessionId: "01HZXOTHER" }))).toBeUndefined();
      });

      it("when a linked chat is linked to another channel, then the link moves there", async () => {
        const { store } = await fresh();
        await store.putLink(link());
        const moved = link({
          channelId: "C0NEW",
          sendReactions: false,
          createdBy: "U0OTHER",
          createdAt: at("2025-03-02T00:00:00.000Z"),
        });
        await store.putLink(moved);
        expect(await store.getLink(chat())).toEqual(moved);
        expect(await store.listLinks(WORKSPACE, "C0GROUP")).toEqual([]);
        expect(await store.listLinks(WORKSPACE)).toEqual([moved]);
      });

      it("when links are listed, then they come by channel then chat, of one channel when asked, of one workspace only", async () => {
        const { store } = await fresh();
        const b2 = link({ channelId: "C0BBB", chatJid: "222@g.us" });
        const a9 = link({ channelId: "C0AAA", chatJid: "999@g.us" });
        const b1 = link({ channelId: "C0BBB", chatJid: "111@g.us" });
        const a1 = link({ channelId: "C0AAA", chatJid: "111@s.whatsapp.net" });
        for (const record of [b2, a9, b1, a1]) await store.putLink(record);
        await store.putLink(link({ workspaceId: "T0OTHER", channelId: "C0AAA" }));
        expect(await store.listLinks(WORKSPACE)).toEqual([a1, a9, b1, b2]);
        expect(await store.listLinks(WORKSPACE, "C0BBB")).toEqual([b1, b2]);
        expect(await store.listLinks(WORKSPACE, "C0NONE")).toEqual([]);
      });

      it("when a channel's links are deleted, then all of its chats go and other channels keep theirs", async () => {
        const { store } = await fresh();
        await store.putLink(link({ chatJid: "111@g.us" }));
        await store.putLink(link({ chatJid: "222@g.us" }));
        await store.putLink(link({ channelId: "C0KEEP", chatJid: "333@g.us" }));
        await store.putLink(link({ workspaceId: "T0OTHER", chatJid: "111@g.us" }));
        expect(await store.deleteLinks(WORKSPACE, "C0GROUP")).toBe(2);
        expect(await store.deleteLinks(WORKSPACE, "C0GROUP")).toBe(0);
        expect((await store.listLinks(WORKSPACE)).map((l) => l.chatJid)).toEqual(["333@g.us"]);
        expect(await store.listLinks("T0OTHER")).toHaveLength(1);
      });

      it("when one chat's link is deleted, then only that chat leaves the channel", async () => {
        const { store } = await fresh();
        await store.putLink(link({ chatJid: "111@g.us" }));
        await store.putLink(link({ chatJid: "222@g.us" }));
        expect(await store.deleteLinks(WORKSPACE, "C0ELSEWHERE", "111@g.us")).toBe(0);
        expect(await store.deleteLinks(WORKSPACE, "C0GROUP", "111@g.us")).toBe(1);
        expect((await store.listLinks(WORKSPACE)).map((l) => l.chatJid)).toEqual(["222@g.us"]);
      });

      it("when a channel is paused and unpaused, then every link of that channel and no other changes", async () => {
        const { store } = await fresh();
        await store.putLink(link({ chatJid: "111@g.us" }));
        await store.putLink(link({ chatJid: "222@g.us" }));
        await store.putLink(link({ channelId: "C0OTHER", chatJid: "333@g.us" }));
        await store.setChannelPaused(WORKSPACE, "C0GROUP", "channel_not_found");
        expect((await store.listLinks(WORKSPACE)).map((l) => [l.chatJid, l.pausedReason])).toEqual([
          ["111@g.us", "channel_not_found"],
          ["222@g.us", "channel_not_found"],
          ["333@g.us", null],
        ]);
        await store.setChannelPaused(WORKSPACE, "C0GROUP", null);
        expect((await store.listLinks(WORKSPACE)).map((l) => l.pausedReason)).toEqual([null, null, null]);
      });
    });

    describe("inbox", () => {
      it("when an event is accepted, then it is pending field for field", async () => {
        const { store } = await fresh();
        const insert = event(evt("1"));
        const withoutStanza = event(evt("2"), { eventType: "chat.updated", waMessageId: null });
        await store.acceptEvent(insert);
        await store.acceptEvent(withoutStanza);
        const pending = await store.pendingEvents(chat(), 10);
        expect(pending.map(({ id: _id, ...rest }) => rest)).toEqual([
          { ...insert, state: "pending", attempts: 0, lastError: null },
          { ...withoutStanza, state: "pending", attempts: 0, lastError: null },
        ]);
        expect(pending.every((e) => Number.isSafeInteger(e.id))).toBe(true);
        expect(new Set(pending.map((e) => e.id)).size).toBe(2);
      });

      it("when an event id comes again, then it is not accepted and the first envelope stays; another workspace's same id is accepted", async () => {
        const { store } = await fresh();
        const first = event(evt("1"));
        expect(await store.acceptEvent(first)).toEqual({ accepted: true });
        expect(
          await store.acceptEvent({ ...first, envelope: "{}", receivedAt: at("2025-03-01T11:00:00.000Z") }),
        ).toEqual({
          accepted: false,
        });
        expect(await store.acceptEvent({ ...first, chatJid: PERSON })).toEqual({ accepted: false });
        expect(await store.acceptEvent({ ...first, workspaceId: "T0OTHER" })).toEqual({ accepted: true });
        const pending = await store.pendingEvents(chat(), 10);
        expect(pending).toHaveLength(1);
        expect(pending[0]?.envelope).toBe(first.envelope);
        expect(await store.pendingEvents(chat(GROUP, { workspaceId: "T0OTHER" }), 10)).toHaveLength(1);
      });

      it("when events arrive out of order, then a chat's pending events come by event id, up to the limit, of that chat only", async () => {
        const { store } = await fresh();
        for (const tail of ["C", "A", "D", "B"]) await store.acceptEvent(event(evt(tail)));
        await store.acceptEvent(event(evt("0"), { chatJid: PERSON }));
        await store.acceptEvent(event(evt("00"), { sessionId: "01HZXOTHER" }));
        expect((await store.pendingEvents(chat(), 10)).map((e) => e.eventId)).toEqual(
          ["A", "B", "C", "D"].map(evt),
        );
        expect((await store.pendingEvents(chat(), 2)).map((e) => e.eventId)).toEqual([evt("A"), evt("B")]);
        expect((await store.pendingEvents(chat(PERSON), 10)).map((e) => e.eventId)).toEqual([evt("0")]);
      });

      it("when chats with pending events are asked for, then each such chat comes once and chats with only finished events do not", async () => {
        const { store } = await fresh();
        await store.acceptEvent(event(evt("1")));
        await store.acceptEvent(event(evt("2")));
        await store.acceptEvent(event(evt("3"), { workspaceId: "T0OTHER" }));
        const finished = await accepted(store, event(evt("4"), { chatJid: PERSON }));
        await store.finishEvent(finished, "done");
        const chats = await store.chatsWithPendingEvents();
        const byKey = (a: ChatKey, b: ChatKey) => JSON.stringify(a).localeCompare(JSON.stringify(b));
        expect([...chats].sort(byKey)).toEqual([chat(), chat(GROUP, { workspaceId: "T0OTHER" })].sort(byKey));
      });

      it("when events are finished as done, parked or skipped, then they are no longer pending and the counts say so", async () => {
        const { store } = await fresh();
        const ids = [];
        for (const tail of ["1", "2", "3", "4"]) ids.push(await accepted(store, event(evt(tail))));
        await store.acceptEvent(event(evt("5"), { workspaceId: "T0OTHER" }));
        expect(await store.inboxCounts(WORKSPACE)).toEqual({ pending: 4, parked: 0 });
        const [done, parked, skipped] = ids;
        await store.finishEvent(done ?? -1, "done");
        await store.finishEvent(parked ?? -1, "parked", "renderer failed: unknown message kind");
        await store.finishEvent(skipped ?? -1, "skipped", "chat is not linked");
        expect((await store.pendingEvents(chat(), 10)).map((e) => e.eventId)).toEqual([evt("4")]);
        expect(await store.inboxCounts(WORKSPACE)).toEqual({ pending: 1, parked: 1 });
        expect(await store.inboxCounts("T0OTHER")).toEqual({ pending: 1, parked: 0 });
        expect(await store.inboxCounts("T0EMPTY")).toEqual({ pending: 0, parked: 0 });
      });

      it("when processing an event fails, then its attempts count up, the last error is kept and it stays pending", async () => {
        const { store } = await fresh();
        const id = await accepted(store, event(evt("1")));
        await store.recordEventFailure(id, "Slack answered ratelimited");
        await store.recordEventFailure(id, "gateway timed out after 10 s");
        const [pending] = await store.pendingEvents(chat(), 10);
        expect(pending).toMatchObject({
          id,
          state: "pending",
          attempts: 2,
          lastError: "gateway timed out after 10 s",
        });
      });

      it("when the inbox is pruned, then only finished events received before the instant are deleted", async () => {
        const { store } = await fresh();
        const old = at("2025-03-01T00:00:00.000Z");
        const before = at("2025-03-02T00:00:00.000Z");
        const oldDone = await accepted(store, event(evt("1"), { receivedAt: old }));
        const oldParked = await accepted(store, event(evt("2"), { receivedAt: old }));
        const oldSkipped = await accepted(store, event(evt("3"), { receivedAt: old }));
        await accepted(store, event(evt("4"), { receivedAt: old }));
        const atInstantDone = await accepted(store, event(evt("5"), { receivedAt: before }));
        const newParked = await accepted(
          store,
          event(evt("6"), { receivedAt: at("2025-03-03T00:00:00.000Z") }),
        );
        await store.finishEvent(oldDone, "done");
        await store.finishEvent(oldParked, "parked", "why");
        await store.finishEvent(oldSkipped, "skipped");
        await store.finishEvent(atInstantDone, "done");
        await store.finishEvent(newParked, "parked", "why");

        expect(await store.pruneInbox(before)).toBe(3);
        expect(await store.pruneInbox(before)).toBe(0);
        expect((await store.pendingEvents(chat(), 10)).map((e) => e.eventId)).toEqual([evt("4")]);
        expect(await store.inboxCounts(WORKSPACE)).toEqual({ pending: 1, parked: 1 });
        // A pruned event id is forgotten; a kept one is still a repeat.
        expect(await store.acceptEvent(event(evt("1")))).toEqual({ accepted: true });
        expect(await store.acceptEvent(event(evt("5")))).toEqual({ accepted: false });
      });
    });

    describe("message map", () => {
      it("when a chat has mirrored messages, then latestMirrored is the one posted last, and only of that chat", async () => {
        const { store } = await fresh();
        expect(await store.latestMirrored(chat())).toBeUndefined();
        const first = await store.recordMirrored(message(), await accepted(store, event(evt("1"))));
        const second = await store.recordMirrored(
          message({ waMessageId: "3EB0SECOND", slackTs: "1740823202.000100" }),
          await accepted(store, event(evt("2"))),
        );
        expect(first.id).toBeLessThan(second.id);
        expect(await store.latestMirrored(chat())).toEqual(second);
        expect(await store.latestMirrored(chat(PERSON))).toBeUndefined();
      });

      it("when a message is recorded as mirrored, then both lookups return it and its event is finished", async () => {
        const { store } = await fresh();
        const eventId = await accepted(store, event(evt("1")));
        const insert = message({ threadTs: "1740823100.000200" });
        const before = Date.now();
        const mirrored = await store.recordMirrored(insert, eventId);
        const after = Date.now();
        expect(mirrored).toEqual({
          ...insert,
          id: mirrored.id,
          createdAt: mirrored.createdAt,
          updatedAt: mirrored.createdAt,
        });
        expect(Number.isSafeInteger(mirrored.id)).toBe(true);
        expect(mirrored.createdAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(mirrored.createdAt.getTime()).toBeLessThanOrEqual(after);
        expect(await store.findMirroredByWhatsApp(chat(), insert.waMessageId)).toEqual(mirrored);
        expect(await store.findMirroredBySlack(WORKSPACE, "C0GROUP", insert.slackTs)).toEqual(mirrored);
        expect(await store.pendingEvents(chat(), 10)).toEqual([]);
        expect(await store.inboxCounts(WORKSPACE)).toEqual({ pending: 0, parked: 0 });
      });

      it("when nothing is mapped under those ids, then the lookups return undefined", async () => {
        const { store } = await fresh();
        await store.recordMirrored(message(), await accepted(store, event(evt("1"))));
        expect(await store.findMirroredByWhatsApp(chat(PERSON), message().waMessageId)).toBeUndefined();
        expect(
          await store.findMirroredByWhatsApp(chat(GROUP, { workspaceId: "T0OTHER" }), message().waMessageId),
        ).toBeUndefined();
        expect(await store.findMirroredBySlack(WORKSPACE, "C0OTHER", message().slackTs)).toBeUndefined();
        expect(await store.findMirroredBySlack("T0OTHER", "C0GROUP", message().slackTs)).toBeUndefined();
      });

      it("when the WhatsApp message is already mapped, then recording it again throws StoreConflictError, writes nothing and leaves the event pending", async () => {
        const { store } = await fresh();
        const first = await store.recordMirrored(message(), await accepted(store, event(evt("1"))));
        const retry = await accepted(store, event(evt("2")));
        const again = message({ slackTs: "1740823999.000100", content: "{}" });
        await expect(store.recordMirrored(again, retry)).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.recordMirrored(again, retry)).rejects.toThrow(
          /3EB0C431C26A1916E07A.*already mirrored/,
        );
        expect(await store.findMirroredBySlack(WORKSPACE, "C0GROUP", again.slackTs)).toBeUndefined();
        expect(await store.findMirroredByWhatsApp(chat(), again.waMessageId)).toEqual(first);
        expect((await store.pendingEvents(chat(), 10)).map((e) => e.id)).toEqual([retry]);
      });

      it("when the Slack message is already mapped, then recording another WhatsApp message on it throws StoreConflictError and writes nothing", async () => {
        const { store } = await fresh();
        await store.recordMirrored(message(), await accepted(store, event(evt("1"))));
        const retry = await accepted(store, event(evt("2")));
        const other = message({ waMessageId: "3EB0FFFFFFFFFFFFFFFF" });
        await expect(store.recordMirrored(other, retry)).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.recordMirrored(other, retry)).rejects.toThrow(/1740823201\.000100.*C0GROUP/);
        expect(await store.findMirroredByWhatsApp(chat(), other.waMessageId)).toBeUndefined();
        expect((await store.pendingEvents(chat(), 10)).map((e) => e.id)).toEqual([retry]);
      });

      it("when the same ids are used in another chat, session or workspace, then they map separately", async () => {
        const { store } = await fresh();
        await store.recordMirrored(message(), await accepted(store, event(evt("1"))));
        const elsewhere = [
          message({ chatJid: PERSON, slackTs: "1740823201.000200" }),
          message({ sessionId: "01HZXOTHER", slackTs: "1740823201.000300" }),
          message({ workspaceId: "T0OTHER" }),
          message({ waMessageId: "3EB0AAAAAAAAAAAAAAAA", channelId: "C0OTHER" }),
        ];
        for (const [i, m] of elsewhere.entries()) {
          await store.recordMirrored(m, await accepted(store, event(evt(`E${i}`), keyOf(m))));
        }
        expect(await store.findMirroredBySlack("T0OTHER", "C0GROUP", message().slackTs)).toMatchObject({
          workspaceId: "T0OTHER",
        });
        expect(await store.findMirroredBySlack(WORKSPACE, "C0OTHER", message().slackTs)).toMatchObject({
          waMessageId: "3EB0AAAAAAAAAAAAAAAA",
        });
      });

      it("when the content is updated, then it reads back changed, updatedAt moves, createdAt stays and the event is finished", async () => {
        const { store } = await fresh();
        const mirrored = await store.recordMirrored(message(), await accepted(store, event(evt("1"))));
        const edit = await accepted(store, event(evt("2"), { eventType: "message.edited" }));
        await new Promise((resolve) => setTimeout(resolve, 5));
        const content = JSON.stringify({ kind: "text", text: "Hallo 👋 (edited)", edited: true });
        await store.updateMirroredContent(mirrored.id, content, edit);
        const updated = await store.findMirroredBySlack(WORKSPACE, "C0GROUP", mirrored.slackTs);
        expect(updated).toEqual({ ...mirrored, content, updatedAt: updated?.updatedAt });
        expect(updated?.updatedAt.getTime()).toBeGreaterThan(mirrored.updatedAt.getTime());
        expect(await store.pendingEvents(chat(), 10)).toEqual([]);
      });
    });

    describe("live state on mirrored messages", () => {
      async function mirroredId(store: Store, tail = "1", overrides: Partial<MirroredMessageInsert> = {}) {
        const m = message(overrides);
        return (await store.recordMirrored(m, await accepted(store, event(evt(tail), keyOf(m))))).id;
      }

      it("when WhatsApp people react, then one reaction per person is kept, replaced and removed, oldest first", async () => {
        const { store } = await fresh();
        const id = await mirroredId(store);
        const other = await mirroredId(store, "2", {
          waMessageId: "3EB0OTHER",
          slackTs: "1740823300.000100",
        });
        await store.setWhatsAppReaction(id, PERSON, "👍🏽", at("2025-03-01T10:00:03.000Z"));
        await store.setWhatsAppReaction(id, "", "❤️", at("2025-03-01T10:00:01.000Z"));
        await store.setWhatsAppReaction(id, "12345678901234@lid", "😂", at("2025-03-01T10:00:02.000Z"));
        await store.setWhatsAppReaction(other, PERSON, "🙏", at("2025-03-01T10:00:00.000Z"));
        await store.setWhatsAppReaction(id, PERSON, "🎉", at("2025-03-01T10:00:04.000Z"));
        await store.setWhatsAppReaction(id, "12345678901234@lid", null, at("2025-03-01T10:00:05.000Z"));
        await store.setWhatsAppReaction(id, "nobody@s.whatsapp.net", null, at("2025-03-01T10:00:06.000Z"));
        expect(await store.listWhatsAppReactions(id)).toEqual([
          { reactor: "", emoji: "❤️", at: at("2025-03-01T10:00:01.000Z") },
          { reactor: PERSON, emoji: "🎉", at: at("2025-03-01T10:00:04.000Z") },
        ]);
        expect(await store.listWhatsAppReactions(other)).toEqual([
          { reactor: PERSON, emoji: "🙏", at: at("2025-03-01T10:00:00.000Z") },
        ]);
      });

      it("when voters vote, change and withdraw, then each voter's whole current selection is kept", async () => {
        const { store } = await fresh();
        const id = await mirroredId(store);
        const undecryptable = "a3f1".repeat(16);
        await store.setPollVote(id, PERSON, ["Pizza"], at("2025-03-01T10:00:01.000Z"));
        await store.setPollVote(
          id,
          "",
          ['Sushi "fresh"', "👨‍👩‍👧", undecryptable],
          at("2025-03-01T10:00:02.000Z"),
        );
        await store.setPollVote(id, "12345678901234@lid", ["Pizza"], at("2025-03-01T10:00:03.000Z"));
        await store.setPollVote(id, PERSON, [], at("2025-03-01T10:00:04.000Z"));
        await store.setPollVote(id, "12345678901234@lid", null, at("2025-03-01T10:00:05.000Z"));
        expect(await store.listPollVotes(id)).toEqual([
          {
            voter: "",
            options: ['Sushi "fresh"', "👨‍👩‍👧", undecryptable],
            at: at("2025-03-01T10:00:02.000Z"),
          },
          { voter: PERSON, options: [], at: at("2025-03-01T10:00:04.000Z") },
        ]);
      });

      it("when Slack users react, then reactions list oldest first, ties in the order added, and a repeat is ignored", async () => {
        const { store } = await fresh();
        const id = await mirroredId(store);
        const same = at("2025-03-01T10:00:02.000Z");
        await store.addSlackReaction(id, { userId: "U0BBB", name: "tada", at: same });
        await store.addSlackReaction(id, { userId: "U0AAA", name: "thumbsup::skin-tone-3", at: same });
        await store.addSlackReaction(id, {
          userId: "U0CCC",
          name: "heart",
          at: at("2025-03-01T10:00:01.000Z"),
        });
        await store.addSlackReaction(id, {
          userId: "U0BBB",
          name: "tada",
          at: at("2025-03-01T10:00:09.000Z"),
        });
        expect(await store.listSlackReactions(id)).toEqual([
          { userId: "U0CCC", name: "heart", at: at("2025-03-01T10:00:01.000Z") },
          { userId: "U0BBB", name: "tada", at: same },
          { userId: "U0AAA", name: "thumbsup::skin-tone-3", at: same },
        ]);
      });

      it("when a Slack reaction is removed, then only that user's reaction of that name goes", async () => {
        const { store } = await fresh();
        const id = await mirroredId(store);
        const other = await mirroredId(store, "2", {
          waMessageId: "3EB0OTHER",
          slackTs: "1740823300.000100",
        });
        await store.addSlackReaction(id, {
          userId: "U0AAA",
          name: "tada",
          at: at("2025-03-01T10:00:01.000Z"),
        });
        await store.addSlackReaction(id, {
          userId: "U0AAA",
          name: "heart",
          at: at("2025-03-01T10:00:02.000Z"),
        });
        await store.addSlackReaction(id, {
          userId: "U0BBB",
          name: "tada",
          at: at("2025-03-01T10:00:03.000Z"),
        });
        await store.addSlackReaction(other, {
          userId: "U0AAA",
          name: "tada",
          at: at("2025-03-01T10:00:04.000Z"),
        });
        await store.removeSlackReaction(id, "U0AAA", "tada");
        await store.removeSlackReaction(id, "U0CCC", "tada");
        expect((await store.listSlackReactions(id)).map((r) => [r.userId, r.name])).toEqual([
          ["U0AAA", "heart"],
          ["U0BBB", "tada"],
        ]);
        expect(await store.listSlackReactions(other)).toHaveLength(1);
      });

      it("when live state names a message that is not mapped, then it is refused", async () => {
        const { store } = await fresh();
        const missing = 987_654;
        await expect(
          store.setWhatsAppReaction(missing, PERSON, "👍", at("2025-03-01T10:00:00.000Z")),
        ).rejects.toThrow();
        await expect(
          store.setPollVote(missing, PERSON, ["Pizza"], at("2025-03-01T10:00:00.000Z")),
        ).rejects.toThrow();
        await expect(
          store.addSlackReaction(missing, {
            userId: "U0AAA",
            name: "tada",
            at: at("2025-03-01T10:00:00.000Z"),
          }),
        ).rejects.toThrow();
      });
    });

    describe("seen Slack events", () => {
      it("when a Slack event id is marked seen twice, then the first says new and the second says seen", async () => {
        const { store } = await fresh();
        expect(await store.markSlackEventSeen("Ev0ABCDEF01", at("2025-03-01T10:00:00.000Z"))).toBe(true);
        expect(await store.markSlackEventSeen("Ev0ABCDEF01", at("2025-03-01T10:00:03.000Z"))).toBe(false);
        expect(await store.markSlackEventSeen("Ev0ABCDEF02", at("2025-03-01T10:00:03.000Z"))).toBe(true);
      });

      it("when seen Slack events are pruned, then only those seen before the date go, and a pruned id is new again", async () => {
        const { store } = await fresh();
        await store.markSlackEventSeen("Ev0OLD", at("2025-03-01T10:00:00.000Z"));
        await store.markSlackEventSeen("Ev0NEW", at("2025-03-02T10:00:00.000Z"));
        expect(await store.pruneSeenSlackEvents(at("2025-03-02T00:00:00.000Z"))).toBe(1);
        expect(await store.markSlackEventSeen("Ev0NEW", at("2025-03-02T10:00:01.000Z"))).toBe(false);
        expect(await store.markSlackEventSeen("Ev0OLD", at("2025-03-02T10:00:01.000Z"))).toBe(true);
      });
    });

    describe("lifecycle", () => {
      it("when the database is opened again, then everything the mirror stored is still there", async () => {
        const { store, reopen } = await fresh();
        await store.putEventSettings(settings(WORKSPACE));
        const arrival = {
          workspaceId: WORKSPACE,
          lastEventId: evt("9"),
          lastEventAt: at("2025-03-01T10:00:09.000Z"),
        };
        await store.recordEventArrival(arrival);
        await store.putLink(link({ pausedReason: "not_in_channel" }));
        const mirrored = await store.recordMirrored(message(), await accepted(store, event(evt("1"))));
        const parked = await accepted(store, event(evt("2")));
        await store.finishEvent(parked, "parked", "why");
        await store.acceptEvent(event(evt("3"), { chatJid: PERSON }));
        await store.recordEventFailure((await store.pendingEvents(chat(PERSON), 1))[0]?.id ?? -1, "boom");
        const pending = await store.pendingEvents(chat(PERSON), 10);
        await store.setWhatsAppReaction(mirrored.id, PERSON, "👍", at("2025-03-01T10:00:05.000Z"));
        await store.setPollVote(mirrored.id, PERSON, ["Pizza"], at("2025-03-01T10:00:06.000Z"));
        await store.addSlackReaction(mirrored.id, {
          userId: "U0AAA",
          name: "tada",
          at: at("2025-03-01T10:00:07.000Z"),
        });
        await store.markSlackEventSeen("Ev0SEEN", at("2025-03-01T10:00:08.000Z"));
        await store.close();

        const again = await reopen();
        expect(await again.getEventSettings(WORKSPACE)).toEqual(settings(WORKSPACE));
        expect(await again.getEventArrival(WORKSPACE)).toEqual(arrival);
        expect(await again.listLinks(WORKSPACE)).toEqual([link({ pausedReason: "not_in_channel" })]);
        expect(await again.pendingEvents(chat(PERSON), 10)).toEqual(pending);
        expect(await again.chatsWithPendingEvents()).toEqual([chat(PERSON)]);
        expect(await again.inboxCounts(WORKSPACE)).toEqual({ pending: 1, parked: 1 });
        expect(await again.findMirroredByWhatsApp(chat(), mirrored.waMessageId)).toEqual(mirrored);
        expect(await again.listWhatsAppReactions(mirrored.id)).toHaveLength(1);
        expect(await again.listPollVotes(mirrored.id)).toHaveLength(1);
        expect(await again.listSlackReactions(mirrored.id)).toHaveLength(1);
        expect(await again.markSlackEventSeen("Ev0SEEN", at("2025-03-01T10:00:10.000Z"))).toBe(false);
      });

      it("when the store is closed, then the mirror's calls reject with StoreUnavailableError", async () => {
        const { store } = await fresh();
        await store.close();
        const calls: Array<[string, (s: Store) => Promise<unknown>]> = [
          ["getEventSettings", (s) => s.getEventSettings(WORKSPACE)],
          ["acceptEvent", (s) => s.acceptEvent(event(evt("1")))],
          ["pendingEvents", (s) => s.pendingEvents(chat(), 1)],
          ["recordMirrored", (s) => s.recordMirrored(message(), 1)],
          ["updateMirroredContent", (s) => s.updateMirroredContent(1, "{}", 1)],
          ["markSlackEventSeen", (s) => s.markSlackEventSeen("Ev0", new Date())],
          [
            "settleStalePendingAudit",
            (s) => s.settleStalePendingAudit(new Date(), { ok: false, errorCode: "x" }),
          ],
        ];
        for (const [call, invoke] of calls) {
          await expect(invoke(store), call).rejects.toBeInstanceOf(StoreUnavailableError);
        }
      });
    });
  });
}

/**
 * A store opened on a database of schema version 2 (workspace T0OLD, updated at 1000; one audit entry
 * pending since before 3000): its data is kept and the mirror's tables work.
 */
export async function expectUpgradedToMirror(store: Store): Promise<void> {
  expect(await store.getWorkspace("T0OLD")).toMatchObject({
    sealedApiKey: "sealed-key",
    updatedAt: new Date(1000),
  });
  expect(
    await store.settleStalePendingAudit(new Date(3000), { ok: false, errorCode: "outcome_unknown" }),
  ).toBe(1);
  const link = {
    workspaceId: "T0OLD",
    channelId: "C0NEW",
    sessionId: "S",
    chatJid: "1@g.us",
    sendReactions: true,
    pausedReason: null,
    createdBy: "U1",
    createdAt: new Date(4000),
  };
  await store.putLink(link);
  expect(await store.listLinks("T0OLD")).toEqual([link]);
}
