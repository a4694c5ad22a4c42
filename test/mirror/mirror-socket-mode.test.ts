// The mirror with both sockets at once: the app in Slack's Socket Mode (no HTTP from Slack) and events by
// the gateway's realtime WebSocket (no webhook). Mirrored messages arrive, and a shortcut on one of them,
// delivered as an envelope on the Slack socket, acts on that very WhatsApp message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_GROUP_JID, newMessageId, textMessage } from "../../src/sandbox/gateway/event-payloads.js";
import { APP_TOKEN, MEMBER, SESSION, type SocketModeHarness, startHarness } from "../support/app-harness.js";
import { EVENTS_KEY, linkChat, MIRROR_CHANNEL, useRealtime, whatsapp } from "../support/mirror-helpers.js";
import { expectMirroredOnceInOrder, mirrored, waIdOf } from "../support/mirror-observe.js";
import { eventually } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";
import { messageShortcut, type OpenedView, viewSubmission } from "../support/slack-payloads.js";

const GROUP = EXAMPLE_GROUP_JID;
const ALICE = "6281234567890@s.whatsapp.net";

let h: SocketModeHarness;

beforeAll(async () => {
  h = await startHarness({
    socketMode: true,
    tuning: { mirror: { realtimePollMs: 100, pace: { intervalMs: 5, burst: 20 } } },
  });
  h.slack.addChannel(MIRROR_CHANNEL);
  await useRealtime(h);
  await linkChat(h, GROUP);
  await eventually(() => h.gateway.openSockets === 1, "the app has its realtime socket open");
});
afterAll(async () => {
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [APP_TOKEN, EVENTS_KEY] }));
  await h.close();
});

function say(body: string): string {
  const waId = newMessageId();
  whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body }));
  return waId;
}

describe("Socket Mode and the realtime WebSocket together", () => {
  it("when messages happen on WhatsApp, then they appear in the linked channel once each, in order", async () => {
    const ids = [say("one"), say("two"), say("three")];
    await expectMirroredOnceInOrder(h, ids);
  });

  it("when React on WhatsApp is used on a mirrored message over the Slack socket, then the reaction goes to that WhatsApp message, found in the mirror's map", async () => {
    const first = await mirrored(h, say("Lunch at noon?"));
    const second = await mirrored(h, say("Or at one?"));
    const secondId = waIdOf(second);
    expect(secondId).toBeDefined();
    expect(secondId).not.toBe(waIdOf(first));
    const historyCalls = h.slack.callsTo("conversations.history").length;
    const gatewayCalls = h.gateway.requests.length;
    const opens = h.slack.callsTo("views.open").length;

    // Slack does not promise the metadata in a shortcut's message: the app finds it in its own map.
    const shortcutAck = await h.socket.deliver(
      "interactive",
      messageShortcut({
        callbackId: "wa_react",
        userId: MEMBER,
        channelId: MIRROR_CHANNEL,
        responseUrl: h.slack.responseUrl("mirror-socket-react"),
        ts: second.ts,
      }),
    );
    expect(shortcutAck.envelopeId).toMatch(/^env-/);
    // Opened at once, or as a loading modal the real one replaces (views.update): either way, this one.
    await eventually(() => {
      const newest =
        h.slack.callsTo("views.open").length > opens ? [...h.slack.views.values()].at(-1) : undefined;
      return newest?.view.callback_id === "wa_react_modal";
    }, "the react modal is open");
    const opened = [...h.slack.views.values()].at(-1);
    const view = { ...(opened?.view as Omit<OpenedView, "id">), id: opened?.id ?? "" };

    const submitAck = await h.socket.deliver(
      "interactive",
      viewSubmission({
        view,
        userId: MEMBER,
        values: { emoji: { emoji_input: { type: "plain_text_input", value: ":heart:" } } },
      }),
    );
    expect(submitAck.payload).toMatchObject({ response_action: "update" });
    await eventually(
      () => h.gateway.requests.slice(gatewayCalls).some((r) => r.path.endsWith("/reaction")),
      "the gateway has the reaction",
    );
    const reaction = h.gateway.requests.slice(gatewayCalls).find((r) => r.path.endsWith("/reaction"));
    expect(reaction?.method).toBe("POST");
    expect(reaction?.path).toBe(`/api/v1/sessions/${SESSION}/messages/${secondId}/reaction`);
    expect(reaction?.body).toEqual({ chat: GROUP, emoji: "❤️", sender: ALICE });
    expect(reaction?.headers.authorization).toBe(`Bearer ${EVENTS_KEY}`);
    expect(h.slack.callsTo("conversations.history")).toHaveLength(historyCalls);
  });
});
