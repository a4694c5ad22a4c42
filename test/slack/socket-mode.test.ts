// Socket Mode end to end: the real app (startApp) takes Slack's requests over a fake Socket Mode server
// (hello, envelopes, acknowledgements, refreshes, drops), calls the fake Slack Web API given as
// SLACK_API_URL (apps.connections.open included) and the fake gateway; PORT serves the health routes.
import { request } from "undici";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  API_KEY,
  APP_TOKEN,
  CHANNEL,
  GROUP_CHAT,
  MEMBER,
  permalink,
  SENDER,
  type SocketModeHarness,
  startHarness,
  TEAM,
  whatsappMetadata,
} from "../support/app-harness.js";
import { eventually, watchUnhandled } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";
import { messageShortcut, type OpenedView, viewSubmission } from "../support/slack-payloads.js";

async function get(h: SocketModeHarness, path: string): Promise<{ status: number; body: unknown }> {
  const res = await request(`${h.appUrl}${path}`);
  const text = await res.body.text();
  return { status: res.statusCode, body: text === "" ? undefined : JSON.parse(text) };
}

/** The app's log lines with this message. */
function logged(h: SocketModeHarness, msg: string): Record<string, unknown>[] {
  return h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === msg);
}

let messages = 0;

/**
 * `/wa react <link> 👍` as Slack delivers it over the socket: the command's fields as JSON, in a
 * slash_commands envelope. Resolves with the ack and a way to await the reply at response_url.
 */
async function reactByLink(h: SocketModeHarness) {
  messages += 1;
  const ts = `1712345678.${String(messages).padStart(6, "0")}`;
  h.slack.addMessage(CHANNEL, { ts, metadata: whatsappMetadata() });
  const responseId = `sock-${messages}`;
  const ack = await h.socket.deliver("slash_commands", {
    token: "deprecated-verification-token",
    team_id: TEAM,
    team_domain: "acme",
    channel_id: CHANNEL,
    channel_name: "whatsapp",
    user_id: MEMBER,
    user_name: "someone",
    command: "/wa",
    text: `react ${permalink(CHANNEL, ts)} 👍`,
    api_app_id: "A0000000001",
    is_enterprise_install: "false",
    response_url: h.slack.responseUrl(responseId),
    trigger_id: "1337.42.trigger",
  });
  return { ack, reply: () => h.slack.waitForResponse((p) => p.id === responseId) };
}

/** The reaction reached the gateway, under the workspace's key, and its result reached response_url. */
async function expectReactionSent(h: SocketModeHarness, run: Awaited<ReturnType<typeof reactByLink>>) {
  const reply = await run.reply();
  expect(JSON.stringify(reply.body)).toContain("sent");
  const call = h.gateway.requests.at(-1);
  expect(call?.body).toEqual({ chat: GROUP_CHAT, emoji: "👍", sender: SENDER });
  expect(call?.headers.authorization).toBe(`Bearer ${API_KEY}`);
}

describe("Socket Mode: starting", () => {
  let h: SocketModeHarness;
  beforeAll(async () => {
    h = await startHarness({ socketMode: { holdHello: true } });
  });
  afterAll(async () => {
    expectNoSecretsLeaked(h, harnessSecrets({ extra: [APP_TOKEN] }));
    await h.close();
  });

  it("when startApp has returned but Slack has not said hello, then the app is up and live on PORT but not ready; hello makes it ready", async () => {
    const up = logged(h, "wa-slack is up");
    expect(up).toHaveLength(1);
    expect(up[0]).toMatchObject({ port: h.app.port, mode: "socket" });
    expect(h.app.port).toBeGreaterThan(0);

    expect(await get(h, "/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await get(h, "/readyz")).toEqual({ status: 503, body: { status: "connecting to Slack" } });

    // The socket is open, the hello still held back: connecting, not connected.
    await h.socket.waitForOpened(1);
    const open = await h.slack.waitForCall("apps.connections.open");
    expect(open.token).toBe(APP_TOKEN);
    expect(await get(h, "/readyz")).toEqual({ status: 503, body: { status: "connecting to Slack" } });
    expect(logged(h, "connected to Slack (Socket Mode)")).toHaveLength(0);

    h.socket.releaseHello();
    await eventually(async () => (await get(h, "/readyz")).status === 200, "/readyz answers 200");
    expect(await get(h, "/readyz")).toEqual({ status: 200, body: { status: "ready" } });
    expect(await get(h, "/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    expect(logged(h, "connected to Slack (Socket Mode)")).toHaveLength(1);
  });

  it("when something posts to /slack/events on PORT, then it is not served: Slack's requests come over the socket", async () => {
    const res = await request(`${h.appUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "url_verification", challenge: "c" }),
    });
    await res.body.dump();
    expect(res.statusCode).toBe(404);
  });
});

describe("Socket Mode: connected", () => {
  let h: SocketModeHarness;
  beforeAll(async () => {
    h = await startHarness({ socketMode: true });
  });
  afterAll(async () => {
    expectNoSecretsLeaked(h, harnessSecrets({ extra: [APP_TOKEN] }));
    await h.close();
  });
  beforeEach(async () => {
    h.gateway.reset();
    await h.configure(TEAM);
  });

  it("when a /wa react command comes over the socket, then it is acknowledged on the socket, the reaction reaches the gateway and the reply the response_url", async () => {
    const run = await reactByLink(h);
    expect(run.ack.envelopeId).toMatch(/^env-/);
    await expectReactionSent(h, run);
  });

  it("when the React on WhatsApp shortcut comes over the socket, then its modal opens, and the submission is acknowledged with response_action and sends the reaction", async () => {
    const shortcutAck = await h.socket.deliver(
      "interactive",
      messageShortcut({
        callbackId: "wa_react",
        userId: MEMBER,
        responseUrl: h.slack.responseUrl("sock-shortcut"),
        ts: "1712345678.900001",
        metadata: whatsappMetadata(),
      }),
    );
    expect(shortcutAck.envelopeId).toMatch(/^env-/);
    const open = await h.slack.waitForCall("views.open");
    const view = {
      ...(open.args.view as Omit<OpenedView, "id">),
      id: [...h.slack.views.keys()].at(-1) ?? "",
    };
    expect(view.callback_id).toBe("wa_react_modal");

    const submitAck = await h.socket.deliver(
      "interactive",
      viewSubmission({
        view,
        userId: MEMBER,
        values: { emoji: { emoji_input: { type: "plain_text_input", value: ":heart:" } } },
      }),
    );
    expect(submitAck.payload).toMatchObject({ response_action: "update" });
    await eventually(() => h.gateway.requests.length > 0, "the gateway has the reaction");
    const call = h.gateway.requests.at(-1);
    expect(call?.body).toEqual({ chat: GROUP_CHAT, emoji: "❤️", sender: SENDER });
    expect(call?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });
});

describe("Socket Mode: losing the socket", () => {
  let h: SocketModeHarness;
  beforeAll(async () => {
    h = await startHarness({ socketMode: true });
    await h.configure(TEAM);
  });
  afterAll(async () => {
    expectNoSecretsLeaked(h, harnessSecrets({ extra: [APP_TOKEN] }));
    await h.close();
  });
  afterEach(() => h.socket.releaseHello());

  it("when Slack sends a refresh (disconnect frame), then the app opens a new connection and the next command works", async () => {
    const opens = h.slack.callsTo("apps.connections.open").length;
    const greeted = h.socket.greeted;
    h.socket.requestRefresh();
    // The client waits a few seconds before it reconnects (its own policy, not ours).
    await h.socket.waitForGreeted(greeted + 1);
    expect(h.slack.callsTo("apps.connections.open")).toHaveLength(opens + 1);

    await expectReactionSent(h, await reactByLink(h));
    expect(logged(h, "Socket Mode connection closed; reconnecting")).toHaveLength(1);
    expect(logged(h, "connected to Slack (Socket Mode)").at(-1)).toMatchObject({ reconnect: true });
  });

  it("when the socket drops without a close frame, then /readyz is 503 until the app has reconnected, and the next command works", async () => {
    const opens = h.slack.callsTo("apps.connections.open").length;
    const opened = h.socket.opened;
    const connectedLines = logged(h, "connected to Slack (Socket Mode)").length;
    h.socket.holdHello();
    h.socket.drop();
    await h.socket.waitForOpened(opened + 1);
    expect(h.slack.callsTo("apps.connections.open")).toHaveLength(opens + 1);
    expect(await get(h, "/readyz")).toEqual({ status: 503, body: { status: "reconnecting to Slack" } });
    expect(await get(h, "/healthz")).toEqual({ status: 200, body: { status: "ok" } });

    h.socket.releaseHello();
    await eventually(async () => (await get(h, "/readyz")).status === 200, "/readyz answers 200 again");
    await expectReactionSent(h, await reactByLink(h));
    expect(logged(h, "connected to Slack (Socket Mode)")).toHaveLength(connectedLines + 1);
  });
});

describe("Socket Mode: stopping", () => {
  it("when the app stops, then it closes its socket with a close frame, as Slack expects", async () => {
    const h = await startHarness({ socketMode: true });
    await h.close();
    await eventually(() => h.socket.closeCodes.length > 0, "the socket has closed");
    expect(h.socket.closeCodes).toEqual([1000]);
  });

  it("when the app stops while it reconnects, then it stops and leaves nothing unhandled", async () => {
    const h = await startHarness({ socketMode: true });
    const unhandled = watchUnhandled();
    try {
      h.socket.holdHello();
      h.socket.drop();
      await h.socket.waitForOpened(2);
      await h.close();
      // Unhandled rejections are reported after the tick they happen in.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled.seen).toEqual([]);
      expect(logged(h, "connected to Slack (Socket Mode)")).toHaveLength(1);
      expect(h.logs.join("")).not.toContain("gave up");
    } finally {
      unhandled.stop();
    }
  });
});
