// Transport faults, proxies, broken bodies, retries, deadlines and the caller's abort signal.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayApiError, GatewayProtocolError, GatewayUnavailableError } from "../../src/gateway/errors.js";
import type { GatewayClient } from "../../src/gateway/types.js";
import type { GatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
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
  fake.setLatency(0);
  delays.length = 0;
});

afterAll(async () => {
  await client.close();
  await fake.close();
});

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the operation to fail");
    },
    (e: unknown) => e,
  );
}

const reactionUrl = () =>
  `${fake.url}/api/v1/sessions/${SESSIONS.main}/messages/3EB0C431C26A1916E07A/reaction`;
const voteUrl = () => `${fake.url}/api/v1/sessions/${SESSIONS.main}/messages/3EB0C431C26A1916E07A/vote`;

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("proxies and broken connections", () => {
  it("when a proxy keeps answering an HTML 502, then every attempt is made and the result is GatewayUnavailableError", async () => {
    fake.setFault(SESSIONS.main, { kind: "html502" });

    const error = await failureOf(client.addReaction(KEYS.send, target(), "👍"));

    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect(error).toMatchObject({
      code: "gateway_unreachable",
      mayHaveArrived: false,
      message: `POST ${reactionUrl()}: 502 from a proxy (non-JSON body)`,
    });
    expect(fake.requests).toHaveLength(3);
  });

  it("when a proxy keeps answering an empty 504, then the result is GatewayUnavailableError after every attempt", async () => {
    fake.setFault(SESSIONS.main, { kind: "empty504" });

    const error = await failureOf(client.vote(KEYS.send, target(), ["Pizza"]));

    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect(error).toMatchObject({
      code: "gateway_no_answer",
      mayHaveArrived: true,
      message: `POST ${voteUrl()}: 504 from a proxy (non-JSON body)`,
    });
    expect(fake.requests).toHaveLength(3);
  });

  it("when a 502 happens fewer times than the attempt limit, then the operation recovers", async () => {
    fake.setFault(SESSIONS.main, { kind: "html502", times: 2 });

    const result = await client.addReaction(KEYS.send, target(), "👍");

    expect(result.status).toBe("sent");
    expect(fake.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it("when the gateway is briefly unavailable (503), then the operation recovers on a later attempt", async () => {
    fake.setFault(SESSIONS.main, { kind: "unavailable", times: 1 });

    const result = await client.removeReaction(KEYS.send, target());

    expect(result.status).toBe("sent");
    expect(fake.requests).toHaveLength(2);
  });

  it("when the connection is reset mid-response every time, then the result is GatewayUnavailableError after every attempt", async () => {
    fake.setFault(SESSIONS.main, { kind: "reset" });

    const error = await failureOf(client.addReaction(KEYS.send, target(), "👍"));

    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect(error).toMatchObject({
      code: "gateway_no_answer",
      mayHaveArrived: true,
      message: `POST ${reactionUrl()}: connection closed mid-response`,
    });
    expect(fake.requests).toHaveLength(3);
  });

  it("when the connection is reset once, then the retry succeeds", async () => {
    fake.setFault(SESSIONS.main, { kind: "reset", times: 1 });

    const result = await client.vote(KEYS.send, target(), ["Pizza"]);

    expect(result.status).toBe("sent");
    expect(fake.requests).toHaveLength(2);
  });

  it("when nothing listens on the port, then the result is GatewayUnavailableError naming a refused connection", async () => {
    const closedPort = await unusedPort();
    const { client: nowhere, delays: waits } = testClient({ url: `http://127.0.0.1:${closedPort}` });
    try {
      const error = await failureOf(nowhere.addReaction(KEYS.send, target(), "👍"));

      expect(error).toBeInstanceOf(GatewayUnavailableError);
      expect(error).toMatchObject({
        code: "gateway_unreachable",
        mayHaveArrived: false,
        message: `POST http://127.0.0.1:${closedPort}/api/v1/sessions/${SESSIONS.main}/messages/3EB0C431C26A1916E07A/reaction: connection refused`,
      });
      expect(waits).toHaveLength(2);
    } finally {
      await nowhere.close();
    }
  });

  it("when the client is closed, then later calls fail with GatewayUnavailableError and close can be repeated", async () => {
    const { client: closing } = testClient(fake);
    await closing.close();
    await closing.close();

    const error = await failureOf(closing.addReaction(KEYS.send, target(), "👍"));

    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect(error).toMatchObject({
      code: "gateway_unreachable",
      message: `POST ${reactionUrl()}: the gateway client is closed`,
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("bodies that are not the gateway's protocol", () => {
  it("when a 200 body is not valid JSON, then GatewayProtocolError with the status, not retried", async () => {
    fake.setFault(SESSIONS.main, { kind: "malformed_json" });

    const error = await failureOf(client.addReaction(KEYS.send, target(), "👍"));

    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(error).toMatchObject({ status: 200 });
    expect(fake.requests).toHaveLength(1);
  });

  it("when a 200 body is JSON without mode, then GatewayProtocolError naming SendResult", async () => {
    fake.setFault(SESSIONS.main, {
      kind: "raw",
      status: 200,
      body: '{"ok":true}',
      contentType: "application/json",
    });

    const error = await failureOf(client.addReaction(KEYS.send, target(), "👍"));

    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(error).toMatchObject({ code: "gateway_protocol_error", status: 200 });
    expect((error as Error).message).toContain(
      `POST ${reactionUrl()}: 200 response does not match SendResult (mode: `,
    );
  });

  it("when an error status carries JSON that is not the error envelope, then GatewayProtocolError with that status", async () => {
    fake.setFault(SESSIONS.main, {
      kind: "raw",
      status: 400,
      body: '{"message":"bad"}',
      contentType: "application/json",
    });

    const error = await failureOf(client.vote(KEYS.send, target(), ["Pizza"]));

    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(error).toMatchObject({ status: 400 });
    expect(fake.requests).toHaveLength(1);
  });

  it("when an error status carries plain text, then GatewayProtocolError, not retried", async () => {
    fake.setFault(SESSIONS.main, {
      kind: "raw",
      status: 500,
      body: "panic: oops",
      contentType: "text/plain",
    });

    const error = await failureOf(client.removeReaction(KEYS.send, target()));

    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(error).toMatchObject({ status: 500 });
    expect(fake.requests).toHaveLength(1);
  });

  it("when a 200 body streams far past the cap, then reading stops and GatewayProtocolError is thrown", async () => {
    fake.setFault(SESSIONS.main, { kind: "huge_body", bytes: 50 * 1024 * 1024 });

    const error = await failureOf(client.addReaction(KEYS.send, target(), "👍"));

    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect((error as Error).message).toBe(
      `POST ${reactionUrl()}: 200 response body is larger than 65536 bytes`,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it("when a 200 declares a content-length past the cap, then the body is not read", async () => {
    fake.setFault(SESSIONS.main, { kind: "huge_body", bytes: 1024 * 1024, withContentLength: true });
    const { client: small } = testClient(fake, { maxResponseBytes: 1024 });
    try {
      const error = await failureOf(small.addReaction(KEYS.send, target(), "👍"));

      expect(error).toBeInstanceOf(GatewayProtocolError);
      expect((error as Error).message).toBe(
        `POST ${reactionUrl()}: 200 response body is larger than 1024 bytes`,
      );
    } finally {
      await small.close();
    }
  });

  it("when an error body is huge, then it is capped too and the status is kept", async () => {
    fake.setFault(SESSIONS.main, {
      kind: "raw",
      status: 500,
      body: "e".repeat(200_000),
      contentType: "text/plain",
    });

    const error = await failureOf(client.addReaction(KEYS.send, target(), "👍"));

    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(error).toMatchObject({ status: 500 });
  });

  it("after a capped body, then the client still works for the next call", async () => {
    fake.setFault(SESSIONS.main, { kind: "huge_body", bytes: 10 * 1024 * 1024, times: 1 });
    await failureOf(client.addReaction(KEYS.send, target(), "👍"));

    const result = await client.addReaction(KEYS.send, target(), "👍");

    expect(result.status).toBe("sent");
  });
});

describe("deadlines", () => {
  it("when the gateway confirms a reaction after 6 s, then the default deadline waits for the real SendResult", async () => {
    // Within the gateway's own 15 s bound: a working gateway, not an unknown outcome.
    fake.setFault(SESSIONS.main, { latencyMs: 6_000 });
    const { client: patient } = testClient(fake);
    try {
      const result = await patient.addReaction(KEYS.send, target(), "👍");

      expect(fake.requests).toHaveLength(1);
      expect(result).toStrictEqual(fake.requests[0]?.response?.body);
      expect(result).toMatchObject({ mode: "sync", status: "sent" });
    } finally {
      await patient.close();
    }
  });

  it("when the gateway never answers, then the call ends at the deadline with gateway_no_answer", async () => {
    fake.setFault(SESSIONS.main, { latencyMs: 60_000 });
    const { client: hurried } = testClient(fake, { timeouts: { totalMs: 400 } });
    try {
      const error = await failureOf(hurried.vote(KEYS.send, target(), ["Pizza"]));

      expect(error).toBeInstanceOf(GatewayUnavailableError);
      expect(error).toMatchObject({
        code: "gateway_no_answer",
        mayHaveArrived: true,
        message: `POST ${voteUrl()}: no complete answer within the 400 ms deadline (1 attempt)`,
      });
      expect(fake.requests).toHaveLength(1);
    } finally {
      await hurried.close();
    }
  });

  it("when the gateway is slower than the total deadline, then GatewayUnavailableError and no further attempt", async () => {
    fake.setFault(SESSIONS.main, { latencyMs: 10_000 });
    const { client: hurried } = testClient(fake, { timeouts: { totalMs: 300 } });
    try {
      const error = await failureOf(hurried.addReaction(KEYS.send, target(), "👍"));

      expect(error).toBeInstanceOf(GatewayUnavailableError);
      expect(error).toMatchObject({
        code: "gateway_no_answer",
        message: `POST ${reactionUrl()}: no complete answer within the 300 ms deadline (1 attempt)`,
      });
      expect(fake.requests).toHaveLength(1);
    } finally {
      await hurried.close();
    }
  });

  it("when headers do not come in time, then each attempt times out, is retried, and the result is GatewayUnavailableError", async () => {
    fake.setFault(SESSIONS.main, { latencyMs: 10_000 });
    // undici checks headers timeouts on a coarse (~1 s) timer, so two attempts keep the test short.
    const { client: impatient } = testClient(fake, {
      timeouts: { headersMs: 100, totalMs: 5_000 },
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
    });
    try {
      const error = await failureOf(impatient.removeReaction(KEYS.send, target()));

      expect(error).toBeInstanceOf(GatewayUnavailableError);
      expect(error).toMatchObject({
        code: "gateway_no_answer",
        message: `DELETE ${reactionUrl()}: no response headers in time`,
      });
      expect(fake.requests).toHaveLength(2);
    } finally {
      await impatient.close();
    }
  });

  it("when slow headers happen once, then the retry succeeds", async () => {
    fake.setFault(SESSIONS.main, { latencyMs: 10_000, times: 1 });
    const { client: impatient } = testClient(fake, { timeouts: { headersMs: 100, totalMs: 5_000 } });
    try {
      const result = await impatient.addReaction(KEYS.send, target(), "👍");

      expect(result.status).toBe("sent");
      expect(fake.requests).toHaveLength(2);
    } finally {
      await impatient.close();
    }
  });

  it("when the backoff would run past the deadline, then no sleep and no new attempt: the last error is thrown", async () => {
    fake.setFault(SESSIONS.main, { kind: "unavailable" });
    const { client: tight, delays: waits } = testClient(fake, {
      timeouts: { totalMs: 1_000 },
      retry: { maxAttempts: 5, baseDelayMs: 5_000, maxDelayMs: 5_000 },
      random: () => 0.9,
    });
    try {
      const error = await failureOf(tight.addReaction(KEYS.send, target(), "👍"));

      expect(error).toBeInstanceOf(GatewayApiError);
      expect(error).toMatchObject({ status: 503, code: "gateway_unavailable" });
      expect(fake.requests).toHaveLength(1);
      expect(waits).toHaveLength(0);
    } finally {
      await tight.close();
    }
  });

  it("when maxAttempts is 1, then a transient failure is not retried", async () => {
    fake.setFault(SESSIONS.main, { kind: "html502" });
    const { client: once } = testClient(fake, { retry: { maxAttempts: 1 } });
    try {
      const error = await failureOf(once.addReaction(KEYS.send, target(), "👍"));

      expect(error).toBeInstanceOf(GatewayUnavailableError);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await once.close();
    }
  });
});

describe("the caller's abort signal", () => {
  it("when the caller aborts while the gateway is answering, then the call rejects with the caller's reason", async () => {
    fake.setFault(SESSIONS.main, { latencyMs: 10_000 });
    const controller = new AbortController();
    const reason = new Error("user went away");

    const pending = failureOf(client.addReaction(KEYS.send, target(), "👍", controller.signal));
    await waitFor(() => fake.inFlight === 1);
    controller.abort(reason);

    expect(await pending).toBe(reason);
    expect(fake.requests).toHaveLength(1);
    await waitFor(() => fake.inFlight === 0);
  });

  it("when the signal is already aborted, then nothing is sent", async () => {
    const controller = new AbortController();
    controller.abort();

    const error = await failureOf(client.vote(KEYS.send, target(), ["Pizza"], controller.signal));

    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe("AbortError");
    expect(fake.requests).toHaveLength(0);
  });

  it("when the caller aborts during the backoff, then no further attempt is made", async () => {
    fake.setFault(SESSIONS.main, { kind: "unavailable" });
    const controller = new AbortController();
    const { client: patient } = testClient(fake, {
      retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 1_000 },
      // The real sleep, interrupted by an abort that arrives while it waits.
      sleep: (ms, signal) => {
        const sleeping = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          signal.addEventListener("abort", () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
        controller.abort();
        return sleeping;
      },
    });
    try {
      const error = await failureOf(patient.addReaction(KEYS.send, target(), "👍", controller.signal));

      expect(error).toBe(controller.signal.reason);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await patient.close();
    }
  });
});

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
