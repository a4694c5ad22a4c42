import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayApiError, GatewayProtocolError, GatewayUnavailableError } from "../../src/gateway/errors.js";
import type { GatewayClient } from "../../src/gateway/types.js";
import type { GatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import { KEYS, OWN_JID, SESSIONS, startSeededFakeGateway, testClient } from "../support/gateway-fixtures.js";

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

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the probe to fail");
    },
    (e: unknown) => e,
  );
}

describe("probeSession", () => {
  it("when the key may read the session, then ok with its status and own JID, from a bodiless GET", async () => {
    const probe = await client.probeSession(KEYS.sendRead, SESSIONS.main);

    expect(probe).toStrictEqual({ kind: "ok", status: "working", waJid: OWN_JID });
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.method).toBe("GET");
    expect(request?.path).toBe(`/api/v1/sessions/${SESSIONS.main}`);
    expect(request?.body).toBeUndefined();
    expect(request?.headers.authorization).toBe(`Bearer ${KEYS.sendRead}`);
    expect(request?.headers["content-type"]).toBeUndefined();
  });

  it("when the session is not paired yet, then ok with its status and no JID", async () => {
    const probe = await client.probeSession(KEYS.sendRead, SESSIONS.unpaired);

    expect(probe).toStrictEqual({ kind: "ok", status: "scan_qr_code", waJid: undefined });
  });

  it("when the session id needs encoding, then the segment is encoded", async () => {
    await client.probeSession(KEYS.sendRead, SESSIONS.odd);

    expect(fake.requests[0]?.path).toBe("/api/v1/sessions/sess%2Fa%20b%3F%23%25");
  });

  it("when the key authenticates but may not read, then key_valid_no_read (the gateway answered)", async () => {
    const probe = await client.probeSession(KEYS.send, SESSIONS.main);

    expect(probe).toStrictEqual({ kind: "key_valid_no_read" });
    expect(fake.requests).toHaveLength(1);
  });

  it("when the key is unknown, then GatewayApiError unauthorized", async () => {
    const error = await failureOf(client.probeSession("wa_unknown_key_00000000", SESSIONS.main));

    expect(error).toBeInstanceOf(GatewayApiError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized", method: "GET" });
  });

  it("when the session belongs to another organization, then GatewayApiError not_found", async () => {
    const error = await failureOf(client.probeSession(KEYS.sendRead, SESSIONS.foreign));

    expect(error).toBeInstanceOf(GatewayApiError);
    expect(error).toMatchObject({ status: 404, code: "not_found" });
  });

  it("when a 403 is not forbidden, then it is an error rather than key_valid_no_read", async () => {
    fake.setFault(SESSIONS.main, { kind: "status", status: 403, code: "conflict", message: "odd" });

    const error = await failureOf(client.probeSession(KEYS.sendRead, SESSIONS.main));

    expect(error).toBeInstanceOf(GatewayApiError);
    expect(error).toMatchObject({ status: 403, code: "conflict" });
  });

  it("when the gateway stays unavailable, then the common retries run and the 503 error comes back", async () => {
    fake.setFault(SESSIONS.main, { kind: "unavailable" });

    const error = await failureOf(client.probeSession(KEYS.sendRead, SESSIONS.main));

    expect(error).toBeInstanceOf(GatewayApiError);
    expect(error).toMatchObject({ status: 503, code: "gateway_unavailable" });
    expect(fake.requests).toHaveLength(3);
  });

  it("when a proxy answers 502 every time, then GatewayUnavailableError", async () => {
    fake.setFault(SESSIONS.main, { kind: "html502" });

    const error = await failureOf(client.probeSession(KEYS.sendRead, SESSIONS.main));

    expect(error).toBeInstanceOf(GatewayUnavailableError);
  });

  it("when the session has fields we do not know or null ones, then the probe still reads what it needs", async () => {
    fake.setFault(SESSIONS.main, {
      kind: "raw",
      status: 200,
      body: JSON.stringify({ id: SESSIONS.main, status: "failed", waJid: null, brandNew: { nested: true } }),
      contentType: "application/json",
    });

    const probe = await client.probeSession(KEYS.sendRead, SESSIONS.main);

    expect(probe).toStrictEqual({ kind: "ok", status: "failed", waJid: undefined });
  });

  it("when the 200 body is not an object, then GatewayProtocolError", async () => {
    fake.setFault(SESSIONS.main, { kind: "raw", status: 200, body: "[]", contentType: "application/json" });

    const error = await failureOf(client.probeSession(KEYS.sendRead, SESSIONS.main));

    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(error).toMatchObject({ status: 200 });
  });
});
