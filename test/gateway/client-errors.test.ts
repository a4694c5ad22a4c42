// Every error code of the gateway's table (gateway-notes.md) reaches the caller as a typed error.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessageRef } from "../../src/domain/types.js";
import { GatewayApiError } from "../../src/gateway/errors.js";
import type { GatewayClient } from "../../src/gateway/types.js";
import type { FakeFault, GatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import { KEYS, SESSIONS, startSeededFakeGateway, target, testClient } from "../support/gateway-fixtures.js";

let fake: GatewaySimulator;
let client: GatewayClient;
let delays: number[];

beforeAll(async () => {
  fake = await startSeededFakeGateway();
  ({ client, delays } = testClient(fake));
});

afterEach(() => {
  fake.reset();
  fake.clearFaults();
  delays.length = 0;
});

afterAll(async () => {
  await client.close();
  await fake.close();
});

async function apiErrorOf(promise: Promise<unknown>): Promise<GatewayApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayApiError);
  return error as GatewayApiError;
}

interface Case {
  name: string;
  key?: string;
  target?: Partial<MessageRef>;
  fault?: FakeFault;
  status: number;
  code: string;
  message: string;
}

// 4xx and 5xx other than 503 are answers about this request: each is attempted exactly once.
const cases: Case[] = [
  {
    name: "chat is empty",
    target: { chat: "" },
    status: 400,
    code: "validation_error",
    message: "chat is required",
  },
  {
    name: "the key is unknown",
    key: "wa_unknown_key_00000000",
    status: 401,
    code: "unauthorized",
    message: "authentication required",
  },
  {
    name: "the key lacks send",
    key: KEYS.readOnly,
    status: 403,
    code: "forbidden",
    message: "missing required capability: send",
  },
  {
    name: "the session belongs to another organization",
    target: { sessionId: SESSIONS.foreign },
    status: 404,
    code: "not_found",
    message: "session not found",
  },
  {
    name: "the session does not exist",
    target: { sessionId: "01HZXNOSUCHSESSION" },
    status: 404,
    code: "not_found",
    message: "session not found",
  },
  {
    name: "the gateway reports a conflict",
    fault: { kind: "status", status: 409, code: "conflict", message: "session is busy" },
    status: 409,
    code: "conflict",
    message: "session is busy",
  },
  {
    name: "the chat JID is malformed",
    target: { chat: "not-a-jid" },
    status: 500,
    code: "internal",
    message: 'invalid chat JID "not-a-jid"',
  },
  {
    name: "the session has no live WhatsApp client",
    target: { sessionId: SESSIONS.stopped },
    status: 501,
    code: "not_implemented",
    message: "live WhatsApp client is not available for this session",
  },
];

describe("gateway error codes", () => {
  for (const c of cases) {
    it(`when ${c.name}, then a GatewayApiError ${c.status} ${c.code} is thrown after one attempt`, async () => {
      if (c.fault) fake.setFault(target(c.target).sessionId, c.fault);

      const error = await apiErrorOf(client.addReaction(c.key ?? KEYS.send, target(c.target), "👍"));

      expect(error).toMatchObject({
        status: c.status,
        code: c.code,
        gatewayMessage: c.message,
        method: "POST",
      });
      expect(error.url).toBe(`${fake.url}${fake.requests[0]?.path}`);
      expect(error.message).toContain(`POST ${fake.url}/api/v1/sessions/`);
      expect(fake.requests).toHaveLength(1);
      expect(delays).toHaveLength(0);
    });
  }

  it("when a validation_error carries field details, then they are kept and readable as field errors", async () => {
    fake.setFault(SESSIONS.main, {
      kind: "status",
      status: 400,
      code: "validation_error",
      message: "validation failed",
      details: { errors: ["body.emoji: expected string", { location: "body.chat", message: "required" }] },
    });

    const error = await apiErrorOf(client.addReaction(KEYS.send, target(), "👍"));

    expect(error.code).toBe("validation_error");
    expect(error.fieldErrors).toEqual([
      "body.emoji: expected string",
      JSON.stringify({ location: "body.chat", message: "required" }),
    ]);
  });

  it("when the session's send budget is spent, then rate_limited carries retryAfterSeconds and is not retried", async () => {
    fake.setFault(SESSIONS.main, { kind: "rate_limited", retryAfterSeconds: 17 });

    const error = await apiErrorOf(client.vote(KEYS.send, target(), ["Pizza"]));

    expect(error).toMatchObject({ status: 429, code: "rate_limited", retryAfterSeconds: 17 });
    expect(fake.requests).toHaveLength(1);
    expect(delays).toHaveLength(0);
  });

  it("when the owning gateway stays unavailable, then 503 is retried up to the limit and stays a GatewayApiError", async () => {
    fake.setFault(SESSIONS.main, { kind: "unavailable" });

    const error = await apiErrorOf(client.removeReaction(KEYS.send, target()));

    expect(error).toMatchObject({ status: 503, code: "gateway_unavailable", method: "DELETE" });
    expect(fake.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it("when the gateway code is not one we know, then it is kept as sent", async () => {
    fake.setFault(SESSIONS.main, {
      kind: "status",
      status: 422,
      code: "unprocessable_thing",
      message: "odd",
    });

    const error = await apiErrorOf(client.addReaction(KEYS.send, target(), "👍"));

    expect(error).toMatchObject({ status: 422, code: "unprocessable_thing", gatewayMessage: "odd" });
    expect(fake.requests).toHaveLength(1);
  });

  it("when a key has no send permission at all, then votes are refused with forbidden", async () => {
    const error = await apiErrorOf(client.vote(KEYS.eventsOnly, target(), ["Pizza"]));

    expect(error).toMatchObject({ status: 403, code: "forbidden" });
  });
});
