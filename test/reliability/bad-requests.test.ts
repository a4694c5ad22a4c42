// Requests to /slack/events that are not Slack's, or that the app does not serve: refused with 401, 400 or
// 413, and nothing is done (no gateway call, no Slack call, no response_url post, no audit entry).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackSender, sign } from "../../src/sandbox/slack/signed-requests.js";
import {
  GROUP_CHAT,
  type Harness,
  MEMBER,
  MID,
  SIGNING_SECRET,
  startHarness,
  TEAM,
} from "../support/app-harness.js";
import { auditOf, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";
import { messageShortcut, viewSubmission } from "../support/slack-payloads.js";

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
  h.gateway.reset();
  h.slack.calls.length = 0;
  h.slack.responses.length = 0;
});

const REACT = `react --chat ${GROUP_CHAT} --mid ${MID} 👍`;

function commandForm(text = REACT): string {
  return new URLSearchParams({
    team_id: TEAM,
    channel_id: "C0000000001",
    user_id: MEMBER,
    command: "/wa",
    text,
    response_url: h.slack.responseUrl("bad-request"),
    trigger_id: "1337.42.trigger",
    api_app_id: "A0000000001",
  }).toString();
}

async function expectNothingDone() {
  // Give a wrongly accepted request the chance to act before looking (the app acts right after its ack).
  expect(await h.app.inFlight.drain(10_000)).toBe(true);
  expect(h.gateway.requests).toHaveLength(0);
  expect(h.slack.calls).toHaveLength(0);
  expect(h.slack.responses).toHaveLength(0);
  expect(await auditOf(h)).toEqual([]);
}

describe("requests that are not Slack's", () => {
  it("when the signature is missing, then 401 and nothing is done", async () => {
    const res = await h.send.post(commandForm(), { signature: null });
    expect(res.status).toBe(401);
    await expectNothingDone();
  });

  it("when the signature is made with another secret, then 401 and nothing is done", async () => {
    const forger = createSlackSender(h.appUrl, "not-the-signing-secret-000000");
    const res = await forger.post(commandForm());
    expect(res.status).toBe(401);
    await expectNothingDone();
  });

  it("when the signature is garbage, then 401 and nothing is done", async () => {
    const res = await h.send.post(commandForm(), { signature: "v0=zz" });
    expect(res.status).toBe(401);
    await expectNothingDone();
  });

  it("when the timestamp is more than 5 minutes old (even correctly signed), then 401 and nothing is done", async () => {
    const res = await h.send.post(commandForm(), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await expectNothingDone();
  });

  it("when a signed body is tampered with, then 401 and nothing is done", async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = commandForm(REACT);
    const tampered = signed.replace(encodeURIComponent(MID), "TAMPERED");
    expect(tampered).not.toBe(signed);
    const res = await h.send.post(tampered, {
      timestamp,
      signature: sign(SIGNING_SECRET, timestamp, signed),
    });
    expect(res.status).toBe(401);
    await expectNothingDone();
  });

  it("when the body is larger than any Slack request (even signed), then 413 and nothing is done", async () => {
    const res = await h.send.post(commandForm(`${REACT} ${"x".repeat(1024 * 1024)}`));
    expect(res.status).toBe(413);
    await expectNothingDone();
  });
});

describe("signed requests the app does not serve", () => {
  it("when the payload is not JSON, then 400 and nothing is done", async () => {
    const res = await h.send.post("payload=%7Bnot-json");
    expect(res.status).toBe(400);
    await expectNothingDone();
  });

  it.each([
    ["an unknown payload type", { type: "no_such_type", team: { id: TEAM }, user: { id: MEMBER } }],
    [
      "a global shortcut the app never registered",
      {
        type: "shortcut",
        callback_id: "wa_react",
        team: { id: TEAM },
        user: { id: MEMBER, team_id: TEAM },
        trigger_id: "1.2.3",
      },
    ],
    [
      "a message shortcut with an unknown callback_id",
      messageShortcut({
        callbackId: "wa_unknown",
        userId: MEMBER,
        responseUrl: "http://127.0.0.1:9/x",
        ts: "1.2",
      }),
    ],
    [
      "a view submission of a modal the app does not have",
      viewSubmission({ view: { id: "V1", callback_id: "wa_target_modal" }, userId: MEMBER, values: {} }),
    ],
    [
      "a block action no listener handles",
      {
        type: "block_actions",
        team: { id: TEAM },
        user: { id: MEMBER, team_id: TEAM },
        actions: [{ type: "button", action_id: "not_ours", block_id: "b", action_ts: "1.1" }],
        trigger_id: "1.2.3",
      },
    ],
    ["a JSON value that is not an object", 42],
  ])("when the request is %s, then 400 at once and nothing is done", async (_what, payload) => {
    const res = await h.send.interaction(payload as Record<string, unknown>);
    expect(res.status).toBe(400);
    await expectNothingDone();
  });

  it("when a slash command other than /wa arrives, then 400 and nothing is done", async () => {
    const res = await h.send.command({
      teamId: TEAM,
      userId: MEMBER,
      command: "/other",
      text: REACT,
      responseUrl: h.slack.responseUrl("other-command"),
    });
    expect(res.status).toBe(400);
    await expectNothingDone();
  });

  it("when all the bad requests are over, then none waited out Bolt's 3-second timeout and the app still serves a real command", async () => {
    expect(h.logs.join("")).not.toContain("not acknowledged within 3 seconds");
    const run = await wa(h, REACT);
    expect(run.res.status).toBe(200);
    expect(textOf(await run.reply())).toContain("sent");
  });
});
