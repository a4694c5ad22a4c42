// The gateway misbehaving in every way the fault matrix names. For each: Slack gets its ack, the user an
// ephemeral answer in plain words with a code, the audit log the outcome, and the next request is served.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeFault } from "../../src/sandbox/gateway/simulator.js";
import { workingNoteOf } from "../../src/sandbox/slack/signed-requests.js";
import { GROUP_CHAT, type Harness, startHarness, TEAM } from "../support/app-harness.js";
import { auditAbout, eventually, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";
import { startTcpSwitch, type TcpSwitch } from "../support/reliability-tcp-switch.js";

let h: Harness;
let gatewaySwitch: TcpSwitch;

beforeAll(async () => {
  // The app reaches the fake gateway through a switch, so the gateway can also "go away".
  gatewaySwitch = await startTcpSwitch();
  // A deadline below the default 20 s keeps "answers nothing" short; it is still above the 6-second case.
  h = await startHarness({
    env: { GATEWAY_URL: `http://127.0.0.1:${gatewaySwitch.port}`, GATEWAY_TIMEOUT_MS: "9000" },
  });
  gatewaySwitch.target("127.0.0.1", Number(new URL(h.gateway.url).port));
  await h.configure(TEAM);
});
afterAll(async () => {
  expectNoSecretsLeaked(h);
  await h.close();
  await gatewaySwitch.close();
});

let sessions = 0;
/** A session of its own per case, so faults (which the fake keys by session) never cross. */
function freshSession(): string {
  sessions += 1;
  const id = `sess_fault_${sessions}`;
  h.gateway.addSession(id, { org: "org_one" });
  return id;
}

function react(session: string, mid: string) {
  return wa(h, `react --chat ${GROUP_CHAT} --mid ${mid} --session ${session} 👍`);
}

async function expectServedNormally(session: string, mid: string) {
  const next = await react(session, mid);
  expect(next.res.status).toBe(200);
  expect(textOf(await next.reply())).toContain("sent");
  expect((await auditAbout(h, mid)).map((r) => r.outcome)).toEqual([{ ok: true, status: "sent" }]);
}

interface FaultCase {
  name: string;
  fault: FakeFault;
  code: string;
  words: RegExp;
}

const ANSWERS_BADLY: FaultCase[] = [
  {
    name: "answers 500 with its error envelope",
    fault: { kind: "status", status: 500, code: "internal", message: "boom" },
    code: "internal",
    words: /internal error/,
  },
  {
    name: "answers 503 gateway_unavailable on every attempt",
    fault: { kind: "unavailable" },
    code: "gateway_unavailable",
    words: /unavailable right now, so nothing was sent/,
  },
  {
    name: "sits behind a proxy that answers an HTML 502 page",
    fault: { kind: "html502" },
    code: "gateway_unreachable",
    words: /Couldn't reach the WhatsApp gateway, so nothing was sent/,
  },
  {
    name: "sits behind a proxy that answers an empty 504",
    fault: { kind: "empty504" },
    code: "gateway_no_answer",
    words: /can't tell whether it went through/,
  },
  {
    name: "resets the connection mid-response",
    fault: { kind: "reset" },
    code: "gateway_no_answer",
    words: /can't tell whether it went through/,
  },
  {
    name: "answers 200 with malformed JSON",
    fault: { kind: "malformed_json" },
    code: "gateway_protocol_error",
    words: /may or may not have gone through/,
  },
  {
    name: "answers 200 with a huge body",
    fault: { kind: "huge_body", bytes: 8 * 1024 * 1024 },
    code: "gateway_protocol_error",
    words: /may or may not have gone through/,
  },
  {
    name: "answers 429 rate_limited",
    fault: { kind: "rate_limited", retryAfterSeconds: 7 },
    code: "rate_limited",
    words: /Try again in 7 seconds/,
  },
  {
    name: "answers nothing until after the client's deadline",
    fault: { latencyMs: 30_000 },
    code: "gateway_no_answer",
    words: /can't tell whether it went through/,
  },
];

// Each case has its own session and message ids, so they run side by side and the file stays short.
describe.concurrent("when the gateway answers badly", () => {
  it.each(ANSWERS_BADLY)(
    "when the gateway $name, then the user is told, the audit records it, and the next request is served",
    async ({ fault, code, words }) => {
      const session = freshSession();
      h.gateway.setFault(session, fault);
      const mid = `MID_${session}`;
      const run = await react(session, mid);
      expect(run.res.status).toBe(200);
      expect(workingNoteOf(run.res)).toBe("Sending 👍 to WhatsApp…");

      const post = await run.reply();
      expect(post.body.response_type ?? "ephemeral").toBe("ephemeral");
      expect(post.body.replace_original).toBe(true);
      expect(textOf(post)).toMatch(words);
      expect(textOf(post)).toContain(code);
      const recorded = await auditAbout(h, mid);
      expect(recorded.map((r) => r.outcome)).toEqual([{ ok: false, errorCode: code }]);
      expect(recorded[0]).toMatchObject({
        workspaceId: TEAM,
        chat: GROUP_CHAT,
        operation: "react",
        emoji: "👍",
      });

      h.gateway.setFault(session, {});
      await expectServedNormally(session, `${mid}_NEXT`);
    },
  );

  it('when the gateway takes 6 seconds to confirm, then the user gets its real outcome, not "outcome unknown"', async () => {
    const session = freshSession();
    h.gateway.setFault(session, { latencyMs: 6_000 });
    const run = await react(session, "MID_SIX_SECONDS");
    expect(workingNoteOf(run.res)).toBe("Sending 👍 to WhatsApp…");
    const post = await run.reply();
    expect(post.body.replace_original).toBe(true);
    expect(textOf(post)).toContain("reacted 👍");
    expect(textOf(post)).toContain("sent");
    expect(textOf(post)).not.toContain("gateway_no_answer");
    expect((await auditAbout(h, "MID_SIX_SECONDS")).map((r) => r.outcome)).toEqual([
      { ok: true, status: "sent" },
    ]);
  });

  it("when the gateway is slower than Slack's 3-second deadline, then the ack comes first and the result follows", async () => {
    const session = freshSession();
    h.gateway.setFault(session, { latencyMs: 3_500 });
    const run = await react(session, "MID_SLOW");
    expect(run.res.status).toBe(200);
    // Acknowledged, and the gateway is still holding the request: the result has not come yet.
    await eventually(
      () => h.gateway.requests.some((r) => r.path.includes("/MID_SLOW/")),
      "the gateway has the request",
    );
    expect(h.slack.responses.filter((p) => p.id === run.responseId)).toHaveLength(0);
    expect(textOf(await run.reply())).toContain("sent");
    expect((await auditAbout(h, "MID_SLOW")).map((r) => r.outcome)).toEqual([{ ok: true, status: "sent" }]);
  });
});

describe("when the gateway is gone", () => {
  it("when the gateway refuses connections, then the user is told nothing was sent, and after it is back the next request is served", async () => {
    const session = freshSession();
    const before = h.gateway.requests.length;
    await gatewaySwitch.off();
    try {
      const run = await react(session, "MID_REFUSED");
      expect(run.res.status).toBe(200);
      const text = textOf(await run.reply());
      expect(text).toMatch(/Couldn't reach the WhatsApp gateway, so nothing was sent/);
      expect(text).toContain("gateway_unreachable");
      expect(h.gateway.requests.length).toBe(before);
      expect((await auditAbout(h, "MID_REFUSED")).map((r) => r.outcome)).toEqual([
        { ok: false, errorCode: "gateway_unreachable" },
      ]);
    } finally {
      await gatewaySwitch.on();
    }
    await expectServedNormally(session, "MID_REFUSED_NEXT");
  });

  it("when every fault is over, then no gateway slot or tracked work is left behind", async () => {
    expect(h.app.limiter.inFlight).toBe(0);
    expect(h.app.limiter.queued).toBe(0);
    expect(await h.app.inFlight.drain(10_000)).toBe(true);
    expect(h.logs.join("")).not.toMatch(/"type":"(TypeError|RangeError|ReferenceError|SyntaxError)"/);
  });
});
