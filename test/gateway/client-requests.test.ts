import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayApiError } from "../../src/gateway/errors.js";
import type { GatewayClient } from "../../src/gateway/types.js";
import type { GatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import { KEYS, SESSIONS, startSeededFakeGateway, target, testClient } from "../support/gateway-fixtures.js";

let fake: GatewaySimulator;
let client: GatewayClient;

beforeAll(async () => {
  fake = await startSeededFakeGateway();
  ({ client } = testClient(fake));
});

afterEach(() => {
  fake.reset();
  fake.clearFaults();
});

afterAll(async () => {
  await client.close();
  await fake.close();
});

function onlyRequest() {
  expect(fake.requests).toHaveLength(1);
  const request = fake.requests[0];
  if (!request) throw new Error("no request recorded");
  return request;
}

describe("requests the client sends", () => {
  it("when adding a reaction, then it POSTs exactly {chat, emoji, sender} with the key as a Bearer token", async () => {
    const result = await client.addReaction(KEYS.send, target(), "👍");

    const request = onlyRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/api/v1/sessions/${SESSIONS.main}/messages/3EB0C431C26A1916E07A/reaction`);
    expect(request.body).toStrictEqual({
      chat: "120363012345678901@g.us",
      emoji: "👍",
      sender: "6281111111111@s.whatsapp.net",
    });
    expect(request.headers.authorization).toBe(`Bearer ${KEYS.send}`);
    expect(request.headers["x-api-key"]).toBeUndefined();
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.accept).toBe("application/json");
    expect(result).toMatchObject({ mode: "sync", status: "sent" });
    expect(result.waMessageId).toMatch(/^3EB0[0-9A-F]{16}$/);
    expect(result).toStrictEqual(request.response?.body);
  });

  it("when removing a reaction, then it DELETEs with exactly {chat, sender} in the body", async () => {
    const result = await client.removeReaction(KEYS.send, target());

    const request = onlyRequest();
    expect(request.method).toBe("DELETE");
    expect(request.path).toBe(`/api/v1/sessions/${SESSIONS.main}/messages/3EB0C431C26A1916E07A/reaction`);
    expect(request.body).toStrictEqual({
      chat: "120363012345678901@g.us",
      sender: "6281111111111@s.whatsapp.net",
    });
    expect(request.headers["content-type"]).toBe("application/json");
    expect(result.status).toBe("sent");
  });

  it("when voting, then it POSTs exactly {chat, sender, options} to the vote path", async () => {
    await client.vote(KEYS.send, target(), ["Pizza", "Sushi"]);

    const request = onlyRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/api/v1/sessions/${SESSIONS.main}/messages/3EB0C431C26A1916E07A/vote`);
    expect(request.body).toStrictEqual({
      chat: "120363012345678901@g.us",
      sender: "6281111111111@s.whatsapp.net",
      options: ["Pizza", "Sushi"],
    });
  });

  it("when the target is the session's own message, then sender is sent as an empty string", async () => {
    await client.addReaction(KEYS.send, target({ sender: "" }), "🎉");

    expect(onlyRequest().body).toStrictEqual({ chat: "120363012345678901@g.us", emoji: "🎉", sender: "" });
  });

  it("when clearing a vote, then options [] is sent as is and the gateway's refusal comes back as its error", async () => {
    const error = await client.vote(KEYS.send, target(), []).catch((e: unknown) => e);

    expect(onlyRequest().body).toStrictEqual({
      chat: "120363012345678901@g.us",
      sender: "6281111111111@s.whatsapp.net",
      options: [],
    });
    expect(error).toBeInstanceOf(GatewayApiError);
    expect(error).toMatchObject({
      code: "validation_error",
      status: 400,
      gatewayMessage: "at least one option is required for vote",
    });
  });

  it("when ids hold reserved characters, then each path segment is percent-encoded", async () => {
    await client.addReaction(KEYS.send, target({ sessionId: SESSIONS.odd, messageId: "3EB0/x y?#" }), "👍");

    expect(onlyRequest().path).toBe(
      "/api/v1/sessions/sess%2Fa%20b%3F%23%25/messages/3EB0%2Fx%20y%3F%23/reaction",
    );
  });

  it("when a message id is '..', then it is escaped so no proxy can resolve it as a path step", async () => {
    await client.addReaction(KEYS.send, target({ messageId: ".." }), "👍");

    expect(onlyRequest().path).toBe(`/api/v1/sessions/${SESSIONS.main}/messages/%2E%2E/reaction`);
  });

  it("when adding a reaction with an empty emoji, then the gateway accepts it (its code treats it as a removal)", async () => {
    const result = await client.addReaction(KEYS.send, target(), "");

    expect(onlyRequest().body).toStrictEqual({
      chat: "120363012345678901@g.us",
      emoji: "",
      sender: "6281111111111@s.whatsapp.net",
    });
    expect(result.mode).toBe("sync");
  });

  it("when the gateway answers a status word we do not know, then the word is kept", async () => {
    fake.setFault(SESSIONS.main, {
      kind: "raw",
      status: 200,
      body: JSON.stringify({ mode: "async", outboxId: "obx_1", replayed: true, status: "scheduled" }),
      contentType: "application/json",
    });

    const result = await client.addReaction(KEYS.send, target(), "👍");

    expect(result).toStrictEqual({ mode: "async", outboxId: "obx_1", replayed: true, status: "scheduled" });
  });

  it("when the base URL ends with a slash, then paths are still joined with a single slash", async () => {
    const { client: slashed } = testClient({ url: `${fake.url}/` });
    try {
      await slashed.removeReaction(KEYS.send, target());
    } finally {
      await slashed.close();
    }

    expect(onlyRequest().path).toBe(
      `/api/v1/sessions/${SESSIONS.main}/messages/3EB0C431C26A1916E07A/reaction`,
    );
  });

  it("when many operations run at once, then no more than maxConnections reach the gateway together", async () => {
    const { client: narrow } = testClient(fake, { maxConnections: 2 });
    fake.setLatency(50);
    try {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          narrow.addReaction(KEYS.send, target({ messageId: `M${i}` }), "👍"),
        ),
      );
      expect(results.every((r) => r.status === "sent")).toBe(true);
    } finally {
      fake.setLatency(0);
      await narrow.close();
    }

    expect(fake.requests).toHaveLength(8);
    expect(fake.maxInFlight).toBeLessThanOrEqual(2);
    expect(fake.maxInFlight).toBeGreaterThanOrEqual(1);
  });
});

describe("options checked up front", () => {
  it("when the base URL is not an http(s) URL, then creating the client fails with a message saying what to give", () => {
    expect(() => testClient({ url: "gw.example.com" })).toThrow(/baseUrl must be an absolute http\(s\) URL/);
    expect(() => testClient({ url: "ftp://gw.example.com" })).toThrow(/http or https/);
  });

  it("when the base URL carries credentials, then creating the client fails", () => {
    expect(() => testClient({ url: "https://user:pw@gw.example.com" })).toThrow(
      /must not contain credentials/,
    );
  });

  it("when a retry or timeout option is out of range, then every problem is named", () => {
    expect(() =>
      testClient({ url: "https://gw.example.com" }, { retry: { maxAttempts: 0 }, timeouts: { totalMs: -1 } }),
    ).toThrow(/retry\.maxAttempts[\s\S]*timeouts\.totalMs|timeouts\.totalMs[\s\S]*retry\.maxAttempts/);
  });

  it("when the key is empty or holds a line break, then the call fails before anything is sent", async () => {
    await expect(client.addReaction("", target(), "👍")).rejects.toThrow(TypeError);
    await expect(client.addReaction("wa_bad\r\nx-evil: 1", target(), "👍")).rejects.toThrow(
      /cannot be sent in an HTTP header/,
    );
    expect(fake.requests).toHaveLength(0);
  });
});
