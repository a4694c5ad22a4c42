// Slack's Web API and response_url failing under the app: an expired trigger, rate limits, a dead
// response_url, a failing chat.postEphemeral. Each ends in a clear answer through another route (or a
// clear log line when no route is left), never in a wait, and the next request is served.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ADMIN,
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  MID,
  startHarness,
  TEAM,
  whatsappMetadata,
} from "../support/app-harness.js";
import { auditAbout, eventually, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";
import { messageShortcut, type OpenedView, viewSubmission } from "../support/slack-payloads.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.configure(TEAM);
});
afterAll(async () => {
  expectNoSecretsLeaked(h);
  await h.close();
});
beforeEach(() => {
  h.slack.clearFaults();
});

let shortcuts = 0;
async function shortcut(callbackId: string, metadata: unknown = whatsappMetadata()) {
  shortcuts += 1;
  const responseId = `sf-${shortcuts}`;
  const res = await h.send.interaction(
    messageShortcut({
      callbackId,
      userId: MEMBER,
      responseUrl: h.slack.responseUrl(responseId),
      ts: `1712345678.${String(shortcuts).padStart(6, "0")}`,
      metadata,
    }),
  );
  return { res, reply: () => h.slack.waitForResponse((p) => p.id === responseId, 15_000) };
}

describe("views.open", () => {
  it("when /wa config's trigger has expired, then the admin is told to try again, and the next /wa config opens the modal", async () => {
    h.slack.setFault("views.open", { kind: "error", error: "expired_trigger_id", times: 1 });
    const run = await wa(h, "config", { user: ADMIN });
    expect(run.res.status).toBe(200);
    const post = await run.reply();
    expect(post.body.response_type ?? "ephemeral").toBe("ephemeral");
    expect(textOf(post)).toMatch(/Try again/);
    expect(textOf(post)).toContain("expired_trigger_id");

    const again = await wa(h, "config", { user: ADMIN });
    expect(again.res.status).toBe(200);
    // The fake keeps only the views it really opened.
    await eventually(
      () => [...h.slack.views.values()].some((v) => v.view.callback_id === "wa_config_modal"),
      "the configuration modal is open",
    );
  });

  it("when a shortcut's trigger has expired, then the user is told to try again through the shortcut's response_url", async () => {
    h.slack.setFault("views.open", { kind: "error", error: "expired_trigger_id", times: 1 });
    const { res, reply } = await shortcut("wa_react");
    expect(res.status).toBe(200);
    const post = await reply();
    expect(post.body.response_type ?? "ephemeral").toBe("ephemeral");
    expect(textOf(post)).toMatch(/didn't let the app open the form.*Try again/);
  });

  it("when views.open is rate limited with Retry-After, then it is not waited out: the user is told when to retry", async () => {
    const opensBefore = h.slack.callsTo("views.open").length;
    h.slack.setFault("views.open", { kind: "ratelimited", retryAfterSeconds: 30, times: 1 });
    const { res, reply } = await shortcut(
      "wa_vote",
      whatsappMetadata({ poll: { name: "Lunch?", options: ["A", "B"], selectable_count: 1 } }),
    );
    expect(res.status).toBe(200);
    const post = await reply();
    expect(textOf(post)).toMatch(/Slack is limiting how often the app may call it.*Try again in 30 seconds/);
    expect(textOf(post)).toContain("slack_rate_limited");
    // One attempt: a retry after the pause would have opened the modal (the fault was for one call only).
    expect(h.slack.callsTo("views.open").length - opensBefore).toBe(1);
  });
});

describe("response_url and chat.postEphemeral", () => {
  it("when the response_url answers 404, then the result comes through chat.postEphemeral, and the audit has it", async () => {
    const run = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_DEAD_URL 👍`);
    h.slack.failResponseUrl(run.responseId, 404);
    expect(run.res.status).toBe(200);
    const ephemeral = await h.slack.waitForCall("chat.postEphemeral", (c) => c.args.user === MEMBER);
    expect(ephemeral.args.channel).toBe(CHANNEL);
    expect(String(ephemeral.args.text)).toContain("👍");
    expect((await auditAbout(h, "MID_DEAD_URL")).map((r) => r.outcome)).toEqual([
      { ok: true, status: "sent" },
    ]);
  });

  it("when the response_url is dead and chat.postEphemeral is rate limited too, then the user hears it in a direct message from the app, it is logged, and nothing waits", async () => {
    const ephemeralBefore = h.slack.callsTo("chat.postEphemeral").length;
    h.slack.setFault("chat.postEphemeral", { kind: "ratelimited", retryAfterSeconds: 30, times: 1 });
    const run = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_NO_ROUTE 👍`);
    h.slack.failResponseUrl(run.responseId, 404);
    const direct = await h.slack.waitForCall("chat.postMessage", (c) => c.args.channel === MEMBER);
    expect(String(direct.args.text)).toContain("👍");
    expect(h.slack.callsTo("chat.postEphemeral").length - ephemeralBefore).toBe(1);
    expect((await auditAbout(h, "MID_NO_ROUTE")).map((r) => r.outcome)).toEqual([
      { ok: true, status: "sent" },
    ]);
    await eventually(
      () => h.logs.some((l) => l.includes("the user was told the result in a direct message")),
      "the app logs the direct message",
    );
    const line = h.logs.find((l) => l.includes("the user was told the result in a direct message")) ?? "";
    expect(JSON.parse(line)).toMatchObject({ level: 40, user: MEMBER });
  });

  it("when no route at all reaches the user, then the failure is logged clearly and the next request is served", async () => {
    h.slack.setFault("chat.postEphemeral", { kind: "ratelimited", retryAfterSeconds: 30, times: 1 });
    h.slack.setFault("chat.postMessage", { kind: "error", error: "channel_not_found", times: 1 });
    const run = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_NO_ROUTE_AT_ALL 👍`);
    h.slack.failResponseUrl(run.responseId, 404);
    await eventually(
      () => h.logs.some((l) => l.includes("no route left to tell the user the result")),
      "the app logs that the user could not be told",
    );
    const line = h.logs.find((l) => l.includes("no route left to tell the user the result")) ?? "";
    expect(JSON.parse(line)).toMatchObject({ level: 50, user: MEMBER, channel: CHANNEL });

    const next = await wa(h, `react --chat ${GROUP_CHAT} --mid ${MID} 👍`);
    expect(textOf(await next.reply())).toContain("sent");
  });

  it("when the modal is gone and views.update is rate limited, then the result comes as an ephemeral message instead", async () => {
    const { reply } = await shortcut("wa_react");
    // The modal this shortcut opened: the fake keeps only the views it really opened, by id.
    let view: OpenedView | undefined;
    await eventually(() => {
      const opened = [...h.slack.views.values()].find((v) =>
        String(v.view.private_metadata).includes(`sf-${shortcuts}"`),
      );
      view = opened && { ...(opened.view as Omit<OpenedView, "id">), id: opened.id };
      return view !== undefined;
    }, "the react modal is open");
    if (!view) throw new Error("no react modal");
    h.slack.setFault("views.update", { kind: "ratelimited", retryAfterSeconds: 30, times: 1 });
    const res = await h.send.interaction(
      viewSubmission({
        view,
        userId: MEMBER,
        values: { emoji: { emoji_input: { type: "plain_text_input", value: "🎉" } } },
      }),
    );
    expect(res.status).toBe(200);
    const post = await reply();
    expect(textOf(post)).toContain("🎉");
    expect(textOf(post)).toContain("sent");
  });
});
