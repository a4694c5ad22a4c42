// The API key goes only into the Authorization header: never into an error, a stack or a log line.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient } from "../../src/gateway/client.js";
import type { GatewayClient } from "../../src/gateway/types.js";
import type { FakeFault, GatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import {
  captureLogs,
  KEYS,
  ORG,
  recordingSleep,
  SESSIONS,
  startSeededFakeGateway,
  target,
} from "../support/gateway-fixtures.js";

// A login-JWT-shaped token: the app's log scrubber has no pattern for it, so only the client's own
// care keeps it out (the capture logger does not scrub anyway).
const JWT_LIKE = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.QmVhcmVyU2lnbmF0dXJl";
const UNKNOWN = "wa_never_registered_key_42";
const SECRETS = [KEYS.send, KEYS.sendRead, KEYS.readOnly, JWT_LIKE, UNKNOWN];

let fake: GatewaySimulator;
let client: GatewayClient;
let lines: string[];
let refusedUrl: string;
const errors: unknown[] = [];

function everythingAbout(error: unknown): string {
  // inspect walks the message, the stack, every own property and the whole cause chain.
  return `${String(error)}\n${inspect(error, { depth: 10, showHidden: true })}`;
}

beforeAll(async () => {
  fake = await startSeededFakeGateway();
  fake.addKey(JWT_LIKE, { org: ORG, permissions: ["send", "read"] });
  const logs = captureLogs();
  lines = logs.lines;
  client = createGatewayClient({
    baseUrl: fake.url,
    logger: logs.logger,
    sleep: recordingSleep().sleep,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    timeouts: { totalMs: 500 },
  });
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  refusedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await client.close();
  await fake.close();
});

const faults: FakeFault[] = [
  { kind: "rate_limited", retryAfterSeconds: 3 },
  { kind: "unavailable" },
  { kind: "html502" },
  { kind: "empty504" },
  { kind: "reset" },
  { kind: "malformed_json" },
  { kind: "huge_body", bytes: 200_000 },
  { kind: "status", status: 409, code: "conflict", message: "busy" },
  { kind: "raw", status: 500, body: "<h1>oops</h1>", contentType: "text/html" },
  { latencyMs: 2_000 },
];

describe("the API key stays secret", () => {
  it("when operations succeed and fail in every way, then no error and no log line contains a key", async () => {
    const collect = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => {
          errors.push(e);
        },
      );

    for (const key of [KEYS.send, JWT_LIKE]) {
      await client.addReaction(key, target(), "👍");
      await client.removeReaction(key, target());
      await client.vote(key, target(), ["Pizza"]);
      await client.probeSession(key, SESSIONS.main);
      await collect(client.vote(key, target(), []));
      await collect(client.addReaction(key, target({ chat: "bad" }), "👍"));
      await collect(client.addReaction(key, target({ sessionId: SESSIONS.foreign }), "👍"));
      for (const fault of faults) {
        fake.setFault(SESSIONS.main, fault);
        await collect(client.addReaction(key, target(), "👍"));
        await collect(client.probeSession(key, SESSIONS.main));
        fake.clearFaults();
      }
      const aborted = new AbortController();
      aborted.abort();
      await collect(client.addReaction(key, target(), "👍", aborted.signal));
    }
    await collect(client.addReaction(UNKNOWN, target(), "👍"));
    await collect(client.probeSession(KEYS.readOnly, SESSIONS.foreign));
    await collect(client.addReaction(KEYS.readOnly, target(), "👍"));
    const nowhere = createGatewayClient({
      baseUrl: refusedUrl,
      logger: captureLogs().logger,
      retry: { maxAttempts: 1 },
    });
    await collect(nowhere.addReaction(KEYS.send, target(), "👍"));
    await nowhere.close();

    // 2 keys × (3 refusals + 10 faults × 2 calls + 1 abort) + 3 + refused; huge and malformed 200s fail too.
    expect(errors.length).toBeGreaterThanOrEqual(40);
    for (const error of errors) {
      const text = everythingAbout(error);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/Bearer /);
    }

    expect(lines.length).toBeGreaterThan(50);
    const log = lines.join("");
    for (const secret of SECRETS) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/authorization|Bearer|x-api-key/i);
  });

  it("when a request is made, then a debug line per attempt names method, url, status, attempt and ms only", () => {
    const attempts = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === "gateway request");

    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts[0]).toMatchObject({
      level: 20,
      component: "gateway",
      method: "POST",
      url: `${fake.url}/api/v1/sessions/${SESSIONS.main}/messages/3EB0C431C26A1916E07A/reaction`,
      status: 200,
      attempt: 1,
      ms: expect.any(Number),
    });
    expect(attempts.some((entry) => entry.attempt === 2)).toBe(true);
  });
});
