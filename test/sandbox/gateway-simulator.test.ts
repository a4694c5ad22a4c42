// The fake gateway's own behaviour, through plain HTTP: what the client never sends must still be
// answered the way the gateway's code answers it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import { GROUP_JID, KEYS, SESSIONS, startSeededFakeGateway } from "../support/gateway-fixtures.js";

let fake: GatewaySimulator;

beforeAll(async () => {
  fake = await startSeededFakeGateway();
});

afterEach(() => {
  fake.reset();
  fake.clearFaults();
  fake.setLatency(0);
});

afterAll(async () => {
  await fake.close();
});

const reactionPath = (session: string = SESSIONS.main) =>
  `/api/v1/sessions/${encodeURIComponent(session)}/messages/3EB0AA/reaction`;
const votePath = `/api/v1/sessions/${SESSIONS.main}/messages/3EB0AA/vote`;

async function call(
  method: string,
  path: string,
  options: { body?: string | object; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${KEYS.sendRead}`, ...options.headers };
  const body = typeof options.body === "object" ? JSON.stringify(options.body) : options.body;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the raw text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

const errorBody = (code: string, message: string) => ({ error: expect.objectContaining({ code, message }) });

describe("fake gateway: auth", () => {
  it("when the key comes in x-api-key, then it is accepted like a Bearer token", async () => {
    const res = await call("POST", reactionPath(), {
      body: { chat: GROUP_JID, emoji: "👍", sender: "" },
      headers: { authorization: "", "x-api-key": KEYS.send },
    });
    expect(res.status).toBe(200);
  });

  it("when there is no credential or a non-Bearer one, then 401 authentication required", async () => {
    const none = await call("POST", reactionPath(), {
      body: { chat: GROUP_JID, emoji: "👍" },
      headers: { authorization: "" },
    });
    const basic = await call("POST", reactionPath(), {
      body: { chat: GROUP_JID, emoji: "👍" },
      headers: { authorization: `Basic ${KEYS.send}` },
    });

    for (const res of [none, basic]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(errorBody("unauthorized", "authentication required"));
    }
  });

  it("when a key without read gets a session, then 403 missing required capability: read", async () => {
    const res = await call("GET", `/api/v1/sessions/${SESSIONS.main}`, {
      headers: { authorization: `Bearer ${KEYS.send}` },
    });

    expect(res.status).toBe(403);
    expect(res.body).toEqual(errorBody("forbidden", "missing required capability: read"));
  });

  it("when the route does not exist, then 404", async () => {
    const res = await call("PUT", reactionPath(), { body: {} });

    expect(res.status).toBe(404);
    expect(res.body).toEqual(errorBody("not_found", "route not found"));
  });
});

describe("fake gateway: request bodies", () => {
  it("when a body has an unknown field, then 400 validation_error listing it in details.errors", async () => {
    const res = await call("POST", reactionPath(), {
      body: { chat: GROUP_JID, emoji: "👍", sender: "", idempotencyKey: "x" },
    });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: "validation_error",
        message: "validation failed",
        details: { errors: ["body.idempotencyKey: unexpected property"] },
      },
    });
  });

  it("when a field has the wrong type, then 400 validation_error with the field's path", async () => {
    const res = await call("POST", votePath, { body: { chat: GROUP_JID, options: [1] } });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: "validation_error",
        message: "validation failed",
        details: { errors: ["body.options.0: Invalid input: expected string, received number"] },
      },
    });
  });

  it("when the body is not JSON, then 400 validation_error", async () => {
    const res = await call("POST", reactionPath(), { body: "{chat:" });

    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorBody("validation_error", "request body is not valid JSON"));
  });

  it("when DELETE has no body, then 400", async () => {
    const res = await call("DELETE", reactionPath());

    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorBody("validation_error", "request body is required"));
  });

  it("when removing with an emoji in the body, then the emoji is ignored", async () => {
    const res = await call("DELETE", reactionPath(), { body: { chat: GROUP_JID, emoji: "👍", sender: "" } });

    expect(res.status).toBe(200);
  });

  it("when chat is missing, then 400 chat is required", async () => {
    const res = await call("POST", reactionPath(), { body: { emoji: "👍" } });

    expect(res.body).toEqual(errorBody("validation_error", "chat is required"));
  });

  it("when a vote has options null, missing or empty, then 400 at least one option is required", async () => {
    for (const body of [
      { chat: GROUP_JID, options: null },
      { chat: GROUP_JID },
      { chat: GROUP_JID, options: [] },
    ]) {
      const res = await call("POST", votePath, { body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(errorBody("validation_error", "at least one option is required for vote"));
    }
  });

  it("when a vote names an option no poll has, then it is sent anyway (the gateway does not check)", async () => {
    const res = await call("POST", votePath, { body: { chat: GROUP_JID, sender: "", options: ["Nope"] } });

    expect(res.status).toBe(200);
  });

  it("when a chat or sender JID is malformed, then 500 internal", async () => {
    const badChat = await call("POST", reactionPath(), { body: { chat: "12345", emoji: "👍" } });
    const badSender = await call("POST", reactionPath(), {
      body: { chat: GROUP_JID, emoji: "👍", sender: "someone" },
    });

    expect(badChat.status).toBe(500);
    expect(badChat.body).toEqual(errorBody("internal", 'invalid chat JID "12345"'));
    expect(badSender.status).toBe(500);
    expect(badSender.body).toEqual(errorBody("internal", 'invalid sender JID "someone"'));
  });

  it("when chats are users, groups, lids, newsletters or broadcasts, then they are accepted", async () => {
    for (const chat of [
      "6281234567890@s.whatsapp.net",
      "120363012345678901@g.us",
      "205227043110953@lid",
      "120363999999999999@newsletter",
      "status@broadcast",
    ]) {
      const res = await call("POST", reactionPath(), { body: { chat, emoji: "👍", sender: "" } });
      expect(res.status, chat).toBe(200);
    }
  });

  it("when a reaction succeeds, then the SendResult is sync, sent, with a timestamp and a new message id only", async () => {
    const res = await call("POST", reactionPath(), { body: { chat: GROUP_JID, emoji: "👍", sender: "" } });

    expect(res.body).toStrictEqual({
      mode: "sync",
      status: "sent",
      timestamp: expect.any(Number),
      waMessageId: expect.stringMatching(/^3EB0[0-9A-F]{16}$/),
    });
  });
});

describe("fake gateway: faults and bookkeeping", () => {
  it("when rate limited, then 429 carries retryAfterSeconds in details and no Retry-After header", async () => {
    fake.setFault(SESSIONS.main, { kind: "rate_limited", retryAfterSeconds: 9 });

    const res = await call("POST", reactionPath(), { body: { chat: GROUP_JID, emoji: "👍" } });

    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      error: { code: "rate_limited", message: "rate limit exceeded", details: { retryAfterSeconds: 9 } },
    });
    expect(res.headers.get("retry-after")).toBeNull();
  });

  it("when a fault has times, then only the first N requests to that session fail", async () => {
    fake.setFault(SESSIONS.main, { kind: "unavailable", times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await call("POST", reactionPath(), { body: { chat: GROUP_JID, emoji: "👍" } })).status);
    }
    const other = await call("POST", reactionPath(SESSIONS.odd), { body: { chat: GROUP_JID, emoji: "👍" } });

    expect(statuses).toEqual([503, 503, 200, 200]);
    expect(other.status).toBe(200);
  });

  it("when proxy faults are set, then the answers are an HTML 502 and an empty 504", async () => {
    fake.setFault(SESSIONS.main, { kind: "html502", times: 1 });
    const html = await call("POST", reactionPath(), { body: {} });
    fake.setFault(SESSIONS.main, { kind: "empty504", times: 1 });
    const empty = await call("POST", reactionPath(), { body: {} });

    expect(html.status).toBe(502);
    expect(html.headers.get("content-type")).toBe("text/html");
    expect(String(html.body)).toContain("502 Bad Gateway");
    expect(empty.status).toBe(504);
    expect(empty.body).toBe("");
  });

  it("when requests overlap, then in-flight is counted and the maximum kept until reset", async () => {
    fake.setLatency(100);
    const pending = Array.from({ length: 5 }, () =>
      call("POST", reactionPath(), { body: { chat: GROUP_JID, emoji: "👍", sender: "" } }),
    );
    const responses = await Promise.all(pending);

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(fake.maxInFlight).toBe(5);
    expect(fake.inFlight).toBe(0);
    expect(fake.requests).toHaveLength(5);
    expect(fake.requests[0]?.response?.status).toBe(200);

    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect(fake.maxInFlight).toBe(0);
  });

  it("when a body is not JSON, then it is recorded as raw text", async () => {
    await call("POST", reactionPath(), { body: "not json" });

    expect(fake.requests[0]?.body).toBe("not json");
  });
});
