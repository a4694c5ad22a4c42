// The mirror end to end by the gateway's realtime WebSocket: WhatsApp happens at the fake gateway, which
// streams the events over the socket the real app opened with a ticket; the app posts into the fake Slack.
// The socket is dropped, silenced, refused and replayed from a cursor the gateway forgot, and the events
// mode is changed under the running app the way the CLI changes it.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_GROUP_JID, newMessageId, textMessage } from "../../src/sandbox/gateway/event-payloads.js";
import type { FakeEvent } from "../../src/sandbox/gateway/events.js";
import { ADMIN, type Harness, startHarness, TEAM } from "../support/app-harness.js";
import {
  EVENTS_KEY,
  linkChat,
  MANAGE_KEY,
  MIRROR_CHANNEL,
  useRealtime,
  useWebhook,
  whatsapp,
} from "../support/mirror-helpers.js";
import { eventSettingsOf, expectMirroredOnceInOrder, mirrored, postsOf } from "../support/mirror-observe.js";
import { eventually } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";

const GROUP = EXAMPLE_GROUP_JID;
const POLL_MS = 100;
/** The gateway's heartbeat, shortened: the app gives up on a silent socket after 2.5 of them. */
const HEARTBEAT_MS = 100;
const TICKET_PATH = "/api/v1/realtime/ticket";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    tuning: {
      mirror: {
        realtimePollMs: POLL_MS,
        realtimeTiming: {
          baseDelayMs: 20,
          maxDelayMs: 400,
          keyRefusedDelayMs: 300,
          connectTimeoutMs: 2_000,
          closeGraceMs: 300,
        },
        pace: { intervalMs: 5, burst: 20 },
      },
    },
  });
  h.slack.addChannel(MIRROR_CHANNEL);
  h.gateway.setHeartbeatMs(HEARTBEAT_MS);
  await useRealtime(h);
  await linkChat(h, GROUP);
  await eventually(() => h.gateway.openSockets === 1, "the app has its realtime socket open");
});
afterAll(async () => {
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [EVENTS_KEY, MANAGE_KEY] }));
  await h.close();
});

function say(body: string): { waId: string; event: FakeEvent } {
  const waId = newMessageId();
  return { waId, event: whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body })) };
}

function ticketRequests() {
  return h.gateway.requests.filter((r) => r.method === "POST" && r.path === TICKET_PATH);
}

/** The app's log lines with this message, parsed. */
function logged(msg: string): Record<string, unknown>[] {
  return h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === msg);
}

describe("mirroring by the realtime WebSocket", () => {
  it("when messages happen on WhatsApp, then they appear in the linked channel once each, in order, and the app never writes on the socket", async () => {
    const said = Array.from({ length: 10 }, (_, i) => say(`realtime ${i}`));
    await expectMirroredOnceInOrder(
      h,
      said.map((s) => s.waId),
    );

    const ticket = ticketRequests()[0];
    expect(ticket?.headers.authorization).toBe(`Bearer ${EVENTS_KEY}`);
    expect(ticket?.body).toMatchObject({ scope: "organization" });
    expect(h.gateway.realtimeConnections.every((c) => c.clientFrames === 0)).toBe(true);
  });

  it("when the socket drops, then the app reconnects with `since`, and a message sent meanwhile arrives once", async () => {
    const before = say("before the drop");
    await mirrored(h, before.waId);
    const connections = h.gateway.realtimeConnections.length;

    h.gateway.dropSockets();
    // Emitted before the app can have reconnected: only the replay after `since` can bring it.
    const during = say("while the socket is down");

    await expectMirroredOnceInOrder(h, [before.waId, during.waId]);
    const reconnect = h.gateway.realtimeConnections[connections];
    expect(reconnect?.since).toBe(before.event.envelope.id);
    expect(reconnect?.replayed).toBeGreaterThanOrEqual(1);
  });

  it("when the socket goes silent (no pings, no events), then the app gives up on it, reconnects with `since`, and nothing is lost or doubled", async () => {
    const before = say("before the silence");
    await mirrored(h, before.waId);
    const connections = h.gateway.realtimeConnections.length;

    h.gateway.silenceSockets();
    const during = say("sent to a silent socket");

    await expectMirroredOnceInOrder(h, [before.waId, during.waId]);
    const silenced = h.gateway.realtimeConnections[connections - 1];
    const reconnect = h.gateway.realtimeConnections[connections];
    expect(silenced?.closedAt).toBeDefined();
    expect(reconnect?.since).toBe(before.event.envelope.id);
  });

  it("when the gateway refuses tickets for a while, then the app backs off longer each time, and once tickets come back every message arrives once, in order", async () => {
    const backoffsBefore = logged("realtime backing off").length;
    const refusedBefore = ticketRequests().filter((r) => r.response?.status === 503).length;
    h.gateway.refuseRealtimeTickets(503);
    try {
      h.gateway.dropSockets();
      const said = [say("refused 1"), say("refused 2"), say("refused 3")];
      await eventually(
        () => ticketRequests().filter((r) => r.response?.status === 503).length >= refusedBefore + 5,
        "the gateway refused five tickets",
      );
      h.gateway.refuseRealtimeTickets(undefined);
      await expectMirroredOnceInOrder(
        h,
        said.map((s) => s.waId),
      );
    } finally {
      h.gateway.refuseRealtimeTickets(undefined);
    }
    // Equal jitter doubles the ceiling after each failure in a row, so every wait is at least the one
    // before, as long as the ceiling is below the maximum (20, 40, 80, 160, 320 ms here).
    const delays = logged("realtime backing off")
      .slice(backoffsBefore, backoffsBefore + 5)
      .map((line) => Number(line.delayMs));
    expect(delays).toHaveLength(5);
    for (let i = 1; i < delays.length; i++) {
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] as number);
    }
    expect(delays[4]).toBeGreaterThan(delays[0] as number);
  });

  it("when the gateway has pruned the event the app resumes after, then it replays from its oldest kept event, and what was mirrored already is not posted again", async () => {
    const said = [say("kept 1"), say("kept 2"), say("kept 3")];
    await expectMirroredOnceInOrder(
      h,
      said.map((s) => s.waId),
    );
    // The restarted app resumes after its stored cursor; tickets wait until the gateway's log is set.
    h.gateway.refuseRealtimeTickets(503);
    try {
      await h.restart();
      const forgotten = (said[0] as (typeof said)[number]).event.envelope.id;
      await h.services.store.recordEventArrival({
        workspaceId: TEAM,
        lastEventId: forgotten,
        lastEventAt: new Date(),
      });
      // Only "kept 2" and "kept 3" remain: the cursor "kept 1" is unknown to the gateway now.
      h.gateway.pruneEvents(2);
      expect(h.gateway.eventLog.some((e) => e.envelope.id === forgotten)).toBe(false);
      const after = say("after the prune");
      const connections = h.gateway.realtimeConnections.length;
      h.gateway.refuseRealtimeTickets(undefined);

      await mirrored(h, after.waId);
      await eventually(
        () => h.gateway.realtimeConnections.length > connections,
        "the restarted app connected",
      );
      const replay = h.gateway.realtimeConnections[connections];
      expect(replay?.since).toBe(forgotten);
      // "kept 2", "kept 3" (both mirrored already) and the new one.
      expect(replay?.replayed).toBe(3);
      // The replayed events are stored as duplicates; none of them reaches Slack a second time.
      await eventually(
        async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
        "the inbox is drained",
      );
      for (const { waId } of [...said, after]) expect(postsOf(h, waId)).toHaveLength(1);
    } finally {
      h.gateway.refuseRealtimeTickets(undefined);
    }
  });

  it("when the events mode is switched to webhook and back to realtime in the store, then the running app follows each time, without a restart", async () => {
    await useWebhook(h);
    await eventually(() => h.gateway.openSockets === 0, "the app closed its realtime socket");
    const byWebhook = say("by webhook");
    await mirrored(h, byWebhook.waId);
    expect(
      h.gateway.deliveries.some((d) => d.eventId === byWebhook.event.envelope.id && d.status === 200),
    ).toBe(true);

    await eventSettingsOf(h).useRealtime({ workspaceId: TEAM, by: ADMIN });
    await eventually(() => h.gateway.openSockets === 1, "the app opened its realtime socket again");
    const bySocket = say("by the socket again");
    await mirrored(h, bySocket.waId);
    await eventually(
      async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
      "the inbox is drained",
    );
    expect(postsOf(h, byWebhook.waId)).toHaveLength(1);
    expect(postsOf(h, bySocket.waId)).toHaveLength(1);
  });

  it("when events are turned off in the store, then the socket closes within a poll and nothing more is posted", async () => {
    await eventSettingsOf(h).turnOff({ workspaceId: TEAM, by: ADMIN });
    await eventually(() => h.gateway.openSockets === 0, "the app closed its realtime socket");
    const tickets = ticketRequests().length;
    const posts = h.slack.callsTo("chat.postMessage").length;

    const ignored = say("while events are off");
    // Several polls: the app had every chance to connect again or to post.
    await sleep(10 * POLL_MS);
    expect(h.gateway.openSockets).toBe(0);
    expect(ticketRequests()).toHaveLength(tickets);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(posts);
    expect(postsOf(h, ignored.waId)).toHaveLength(0);
  });
});
