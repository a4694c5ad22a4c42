// The fake gateway's event side behaves like the gateway's code (gateway-events.md): envelopes and
// payloads shaped like the reference examples, signed webhook deliveries with retries, and the realtime
// WebSocket's tickets, replay rules, heartbeats and refusals.
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createUlidFactory } from "../../src/mirror/ulid.js";
import {
  type BuiltEvent,
  contactMessage,
  EXAMPLE_NEWSLETTER_JID,
  editedEvent,
  locationMessage,
  mediaMessage,
  newsletterUpdateEvent,
  pollMessage,
  pollRecapEvent,
  pollVoteEvent,
  reactionEvent,
  replyMessage,
  revokedEvent,
  STATUS_BROADCAST_JID,
  sessionStatusEvent,
  textMessage,
} from "../../src/sandbox/gateway/event-payloads.js";
import { signWebhookBody } from "../../src/sandbox/gateway/events.js";
import type { GatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import { KEYS, ORG, OTHER_ORG, SESSIONS, startSeededFakeGateway } from "../support/gateway-fixtures.js";

// The examples live beside the repository (../shared/reference from the repo root), as the OpenAPI does.
const EXAMPLES = new URL("../../../shared/reference/gateway-events/", import.meta.url);

function example(name: string): { event: string; payload: unknown; [key: string]: unknown } {
  return JSON.parse(readFileSync(new URL(name, EXAMPLES), "utf8"));
}

let fake: GatewaySimulator;

beforeAll(async () => {
  fake = await startSeededFakeGateway();
  fake.setDeliveryPolicy({ baseDelayMs: 5, maxAttempts: 4, timeoutMs: 2_000 });
  fake.setHeartbeatMs(100);
});

afterEach(() => {
  fake.reset();
  fake.clearFaults();
  fake.resumeDeliveries();
  fake.setDeliveryPolicy({ order: "oldest_first" });
});

afterAll(async () => {
  await fake.close();
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const manage = { authorization: `Bearer ${KEYS.manage}`, "content-type": "application/json" };

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = manage) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

describe("payload builders", () => {
  const group = "120363021234567890@g.us";
  const cases: [string, BuiltEvent][] = [
    [
      "event-message-group-text-reply.json",
      replyMessage({
        waMessageId: "3EB0A1B2C3D4E5F60718",
        timestamp: 1752572399000,
        body: "@205227043110954 agreed, see you at 7",
        quotedMessageId: "3EB0FFEE001122334455",
        quotedSenderLid: "205227043110954@lid",
        quotedBody: "Dinner tonight?",
        mentions: { "205227043110954@lid": { pushName: "Budi", tag: "Bud" } },
      }),
    ],
    [
      "event-message-from-me-dm.json",
      textMessage({
        waMessageId: "3AB1C2D3E4F5061728394A",
        chatJid: "6289876543210@s.whatsapp.net",
        senderJid: "6281111111111@s.whatsapp.net",
        fromMe: true,
        body: "On my way (sent from the phone)",
        timestamp: 1752572500000,
        pushName: "Office Phone",
      }),
    ],
    [
      "event-message-dm-lid-chat.json",
      textMessage({
        waMessageId: "AC9800FFFC4C8B1E6CB27FB31306A941",
        chatJid: "136150496886855@lid",
        senderJid: "6285550001111@s.whatsapp.net",
        senderLid: "136150496886855@lid",
        body: "Hi, is the shop open today?",
        timestamp: 1752572600000,
        pushName: "Tine",
      }),
    ],
    [
      "event-message-image.json",
      mediaMessage({
        kind: "image",
        waMessageId: "3EB0IMAGE0000000001",
        caption: "receipt for lunch",
        timestamp: 1752572699000,
      }),
    ],
    [
      "event-message-document-no-caption.json",
      mediaMessage({
        kind: "document",
        waMessageId: "3EB0DOC00000000001",
        senderLid: "205227043110953@lid",
        pushName: "Alice",
        timestamp: 1752572709000,
      }),
    ],
    [
      "event-message-location.json",
      locationMessage({
        waMessageId: "3EB0LOC00000000001",
        senderLid: "205227043110953@lid",
        pushName: "Alice",
        timestamp: 1752572719000,
        location: { latitude: -6.2, longitude: 106.8, name: "Monas" },
      }),
    ],
    [
      "event-message-contact-card.json",
      contactMessage({
        waMessageId: "3EB0VCARD000000001",
        senderLid: "205227043110953@lid",
        pushName: "Alice",
        timestamp: 1752572729000,
        contact: {
          displayName: "Bengkel Jaya",
          vcard:
            "BEGIN:VCARD\nVERSION:3.0\nFN:Bengkel Jaya\nTEL;type=CELL;waid=6281300000000:+62 813-0000-0000\nEND:VCARD",
        },
      }),
    ],
    [
      "event-message-poll.json",
      pollMessage({
        waMessageId: "3EB0POLL0000000001",
        timestamp: 1752572799000,
        poll: { name: "Lunch where?", options: ["Padang", "Sushi", "Warteg"], selectableCount: 1 },
      }),
    ],
    [
      "event-message-poll-multi-timed.json",
      pollMessage({
        waMessageId: "3EB0POLL0000000002",
        senderLid: "205227043110953@lid",
        pushName: "Alice",
        timestamp: 1752572809000,
        poll: {
          name: "Which days work?",
          options: ["Mon", "Tue", "Wed"],
          selectableCount: 0,
          endTime: 1752659200000,
          hideVotes: true,
        },
      }),
    ],
    [
      "event-message-reaction-add.json",
      reactionEvent({
        waMessageId: "3EB0REACT000000001",
        senderLid: "205227043110954@lid",
        pushName: "Budi",
        timestamp: 1752573099000,
        emoji: "❤",
        targetId: "3EB0POLL0000000001",
      }),
    ],
    [
      "event-message-reaction-removed.json",
      reactionEvent({
        waMessageId: "3EB0REACT000000002",
        senderLid: "205227043110954@lid",
        pushName: "Budi",
        timestamp: 1752573159000,
        targetId: "3EB0POLL0000000001",
      }),
    ],
    [
      "event-message-reaction-from-me-skin-tone.json",
      reactionEvent({
        waMessageId: "3EB0REACT000000003",
        chatJid: "6289876543210@s.whatsapp.net",
        senderJid: "6281111111111@s.whatsapp.net",
        fromMe: true,
        pushName: "Office Phone",
        timestamp: 1752573169000,
        emoji: "👍🏽",
        targetId: "3AB1C2D3E4F5061728394A",
      }),
    ],
    [
      "event-message-edited.json",
      editedEvent({
        waMessageId: "3EB0EDIT0000000001",
        timestamp: 1752572899000,
        body: "@205227043110954 agreed, see you at 8",
        targetId: "3EB0A1B2C3D4E5F60718",
      }),
    ],
    [
      "event-message-revoked.json",
      revokedEvent({
        waMessageId: "3EB0REVOKE00000001",
        timestamp: 1752572999000,
        targetId: "3EB0A1B2C3D4E5F60718",
      }),
    ],
    [
      "event-poll-vote-resolved.json",
      pollVoteEvent({
        waMessageId: "3EB0VOTE0000000001",
        senderJid: "6281234567891@s.whatsapp.net",
        senderLid: "205227043110955@lid",
        pushName: "Citra",
        timestamp: 1752573199000,
        targetId: "3EB0POLL0000000001",
        selectedOptions: ["Sushi"],
      }),
    ],
    [
      "event-poll-vote-unresolved-hash.json",
      pollVoteEvent({
        waMessageId: "3EB0VOTE0000000003",
        senderLid: "205227043110956@lid",
        pushName: "Dewi",
        timestamp: 1752573269000,
        targetId: "3EB0POLLOLD0000001",
        selectedOptions: ["670bd9ced0c6bc3fab9bcce97185cdb5a6c6008f0bb7a33c5e432b7faa0e27ed"],
      }),
    ],
    [
      "event-poll-vote-cleared-or-undecryptable.json",
      pollVoteEvent({
        waMessageId: "3EB0VOTE0000000002",
        senderLid: "205227043110955@lid",
        pushName: "Citra",
        timestamp: 1752573259000,
        targetId: "3EB0POLL0000000001",
      }),
    ],
    [
      "event-poll-recap.json",
      pollRecapEvent({
        pollMessageId: "3EB0POLL0000000002",
        chatJid: group,
        name: "Which days work?",
        options: [
          { option: "Mon", count: 1 },
          { option: "Tue", count: 2 },
          { option: "Wed", count: 0 },
        ],
        selectableCount: 0,
        endTime: 1752659200000,
        voters: [
          { voterId: "205227043110953@lid", displayName: "Alice", selectedOptions: ["Mon", "Tue"] },
          { voterId: "205227043110955@lid", displayName: "Citra", selectedOptions: ["Tue"] },
        ],
      }),
    ],
    ["event-session-status.json", sessionStatusEvent("working")],
  ];

  for (const [file, built] of cases) {
    it(`when building ${file}, then event name, fields, left-out fields and key order match the example`, () => {
      const reference = example(file);

      expect(built.event).toBe(reference.event);
      expect(JSON.stringify(built.payload)).toBe(JSON.stringify(reference.payload));
    });
  }

  it("when a status post or a newsletter update is built, then it is shaped as the gateway sends it", () => {
    const status = textMessage({ chatJid: STATUS_BROADCAST_JID, body: "Open until 9 tonight", timestamp: 1 });
    const newsletter = newsletterUpdateEvent({ action: "join" });

    expect(status.event).toBe("message");
    expect(status.payload).toMatchObject({
      chatJid: "status@broadcast",
      type: "text",
      body: "Open until 9 tonight",
    });
    expect(newsletter).toStrictEqual({
      event: "newsletter.update",
      payload: { jid: EXAMPLE_NEWSLETTER_JID, action: "join" },
    });
    expect(EXAMPLE_NEWSLETTER_JID).toMatch(/^[0-9]+@newsletter$/);
  });

  it("when every example is listed, then each event example has a builder case or is not a payload the mirror reads", () => {
    const eventExamples = readdirSync(EXAMPLES).filter((f) => f.startsWith("event-"));
    const covered = new Set(cases.map(([file]) => file));
    const notBuilt = eventExamples.filter((f) => !covered.has(f)).sort();

    expect(notBuilt).toEqual([
      "event-contact-update-pushname.json",
      "event-group-participant.json",
      "event-group-update-subject.json",
      "event-message-status-read.json",
    ]);
  });
});

describe("event envelopes", () => {
  it("when an event is emitted, then its envelope has the gateway's fields in the gateway's order", () => {
    const built = textMessage({ body: "hello" });
    const emitted = fake.emit(ORG, built.event, SESSIONS.main, built.payload);

    expect(Object.keys(JSON.parse(emitted.text))).toEqual([
      "schema",
      "id",
      "event",
      "session",
      "organization",
      "timestamp",
      "payload",
    ]);
    expect(emitted.envelope).toMatchObject({
      schema: "v1",
      event: "message",
      session: SESSIONS.main,
      organization: ORG,
      payload: built.payload,
    });
    expect(emitted.envelope.id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(fake.eventLog.at(-1)).toBe(emitted);
  });

  it("when many ids are made within one millisecond, then they sort in the order they were made", () => {
    // The time part of the ULID specification's own example, ulid(1469918176385).
    const make = createUlidFactory(() => 1_469_918_176_385);
    const ids = Array.from({ length: 500 }, () => make());

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(500);
    expect(ids.every((id) => /^01ARYZ6S41[0-9A-HJKMNP-TV-Z]{16}$/.test(id))).toBe(true);
  });

  it("when the clock steps back, then ids still sort in the order they were made", () => {
    const times = [2_000, 1_000, 1_000, 3_000];
    const make = createUlidFactory(() => times.shift() ?? 3_000);
    const ids = [make(), make(), make(), make()];

    expect([...ids].sort()).toEqual(ids);
  });

  it("when an event is redelivered, then it comes again with the same payload under a new, later id", () => {
    const built = reactionEvent({ targetId: "3EB0AAAA", emoji: "👍" });
    const first = fake.emit(ORG, built.event, SESSIONS.main, built.payload);

    const again = fake.redeliver(first.envelope.id);

    expect(again.envelope.id).not.toBe(first.envelope.id);
    expect(again.envelope.id > first.envelope.id).toBe(true);
    expect(again.envelope).toMatchObject({ event: "message.reaction", payload: first.envelope.payload });
  });
});

describe("webhook registrations", () => {
  it("when a webhook is created, then 201 with the webhook and the gateway's defaults, never the secret", async () => {
    const res = await call("POST", "/api/v1/webhooks", {
      url: "https://wa-slack.example.com/gateway/events",
      events: ["*"],
      secret: "whsec_x",
    });

    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      organizationId: ORG,
      url: "https://wa-slack.example.com/gateway/events",
      events: ["*"],
      retryPolicy: { policy: "exponential", delaySeconds: 2, attempts: 15 },
      active: true,
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
    });
    const id = (res.body as { id: string }).id;
    expect(fake.webhooks.find((w) => w.id === id)?.secret).toBe("whsec_x");
    await call("DELETE", `/api/v1/webhooks/${id}`);
  });

  it("when the body has a field the gateway does not know, then 400 validation_error naming it", async () => {
    const res = await call("POST", "/api/v1/webhooks", {
      url: "https://x.example.com",
      events: ["*"],
      extra: 1,
    });

    expect(res).toEqual({
      status: 400,
      body: {
        error: {
          code: "validation_error",
          message: "validation failed",
          details: { errors: ["body.extra: unexpected property"] },
        },
      },
    });
  });

  it("when the url is missing, then 422 validation_error (as the OpenAPI document says)", async () => {
    const res = await call("POST", "/api/v1/webhooks", { events: ["*"] });

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      error: { code: "validation_error", message: "url must be a valid http(s) URL" },
    });
  });

  it("when the key lacks manage, then 403 for create, list, get and delete alike", async () => {
    const events = { authorization: `Bearer ${KEYS.eventsOnly}`, "content-type": "application/json" };
    const answers = [
      await call("POST", "/api/v1/webhooks", { url: "https://x.example.com" }, events),
      await call("GET", "/api/v1/webhooks", undefined, events),
      await call("GET", "/api/v1/webhooks/01K0WEBHOOK000000000000001", undefined, events),
      await call("DELETE", "/api/v1/webhooks/01K0WEBHOOK000000000000001", undefined, events),
    ];

    for (const res of answers) {
      expect(res).toEqual({
        status: 403,
        body: { error: { code: "forbidden", message: "missing required capability: manage" } },
      });
    }
  });

  it("when another organization lists, gets or deletes our webhook, then it does not exist for it", async () => {
    const created = await call("POST", "/api/v1/webhooks", { url: "https://x.example.com", events: ["*"] });
    const id = (created.body as { id: string }).id;
    const other = { authorization: `Bearer ${KEYS.otherOrg}`, "content-type": "application/json" };

    const list = await call("GET", "/api/v1/webhooks", undefined, other);
    const get = await call("GET", `/api/v1/webhooks/${id}`, undefined, other);
    const del = await call("DELETE", `/api/v1/webhooks/${id}`, undefined, other);
    const ours = await call("GET", `/api/v1/webhooks/${id}`);

    expect((list.body as { data: { id: string }[] }).data.map((w) => w.id)).not.toContain(id);
    expect([get.status, del.status, ours.status]).toEqual([404, 404, 200]);
    expect(await call("DELETE", `/api/v1/webhooks/${id}`)).toEqual({ status: 204, body: undefined });
    expect((await call("GET", `/api/v1/webhooks/${id}`)).status).toBe(404);
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that answers what `answer` says, one request at a time or not. */
async function startReceiver(answer: (n: number) => Promise<number> | number = () => 200) {
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer(async (req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    const status = await answer(received.length);
    inFlight -= 1;
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway/events`;
  return {
    url,
    received,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function registerWebhook(body: Record<string, unknown>): Promise<string> {
  const res = await call("POST", "/api/v1/webhooks", body);
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
}

describe("webhook deliveries", () => {
  it("when the gateway's test vector is signed, then the fake's signature is the vector's", () => {
    const vector = example("webhook-delivery-hmac-test-vector.json") as unknown as {
      secret: string;
      rawBody: string;
      headers: Record<string, string>;
    };

    expect(signWebhookBody(vector.secret, vector.rawBody)).toBe(vector.headers["X-Webhook-Hmac"]);
    expect(signWebhookBody(vector.secret, Buffer.from(vector.rawBody, "utf8"))).toBe(
      vector.headers["X-Webhook-Hmac"],
    );
  });

  it("when an event matches a webhook, then the exact envelope bytes are POSTed, signed, with the request id", async () => {
    const receiver = await startReceiver();
    const id = await registerWebhook({ url: receiver.url, events: ["*"], secret: "whsec_deliver" });
    try {
      const built = textMessage({ body: "signed" });
      const emitted = fake.emit(ORG, built.event, SESSIONS.main, built.payload);
      await fake.deliveriesSettled();

      expect(receiver.received).toHaveLength(1);
      const [delivery] = receiver.received;
      expect(delivery?.body).toBe(emitted.text);
      expect(delivery?.headers).toMatchObject({
        "content-type": "application/json",
        "x-webhook-request-id": emitted.envelope.id,
        "x-webhook-hmac": signWebhookBody("whsec_deliver", emitted.text),
        "x-webhook-hmac-algorithm": "sha512",
      });
      expect(delivery?.headers["x-webhook-timestamp"]).toMatch(/^\d{13}$/);
      expect(
        fake.deliveries.filter((d) => d.webhookId === id).map((d) => [d.attempt, d.status, d.ok]),
      ).toEqual([[1, 200, true]]);
    } finally {
      await call("DELETE", `/api/v1/webhooks/${id}`);
      await receiver.close();
    }
  });

  it("when a webhook has no secret, then deliveries carry no signature headers", async () => {
    const receiver = await startReceiver();
    const id = await registerWebhook({ url: receiver.url, events: ["*"] });
    try {
      fake.emit(ORG, "session.status", SESSIONS.main, { status: "working" });
      await fake.deliveriesSettled();

      expect(receiver.received[0]?.headers["x-webhook-hmac"]).toBeUndefined();
      expect(receiver.received[0]?.headers["x-webhook-hmac-algorithm"]).toBeUndefined();
    } finally {
      await call("DELETE", `/api/v1/webhooks/${id}`);
      await receiver.close();
    }
  });

  it("when the receiver fails twice, then the same delivery is retried until a 2xx, then not again", async () => {
    const receiver = await startReceiver((n) => (n <= 2 ? 500 : 204));
    const id = await registerWebhook({ url: receiver.url, events: ["*"], secret: "s" });
    try {
      const emitted = fake.emit(ORG, "session.status", SESSIONS.main, { status: "working" });
      await fake.deliveriesSettled();

      expect(receiver.received.map((r) => r.headers["x-webhook-request-id"])).toEqual([
        emitted.envelope.id,
        emitted.envelope.id,
        emitted.envelope.id,
      ]);
      expect(fake.deliveries.filter((d) => d.webhookId === id).map((d) => [d.attempt, d.status])).toEqual([
        [1, 500],
        [2, 500],
        [3, 204],
      ]);
    } finally {
      await call("DELETE", `/api/v1/webhooks/${id}`);
      await receiver.close();
    }
  });

  it("when the receiver never succeeds, then the delivery is dropped after the last attempt", async () => {
    const receiver = await startReceiver(() => 503);
    const id = await registerWebhook({ url: receiver.url, events: ["*"] });
    try {
      fake.emit(ORG, "session.status", SESSIONS.main, { status: "failed" });
      await fake.deliveriesSettled();

      expect(receiver.received).toHaveLength(4);
      expect(fake.pendingDeliveries).toBe(0);
    } finally {
      await call("DELETE", `/api/v1/webhooks/${id}`);
      await receiver.close();
    }
  });

  it("when the webhook chose its own retryPolicy, then its attempts count", async () => {
    const receiver = await startReceiver(() => 500);
    const id = await registerWebhook({
      url: receiver.url,
      events: ["*"],
      retryPolicy: { policy: "constant", delaySeconds: 2, attempts: 2 },
    });
    try {
      fake.emit(ORG, "session.status", SESSIONS.main, { status: "failed" });
      await fake.deliveriesSettled();

      expect(receiver.received).toHaveLength(2);
    } finally {
      await call("DELETE", `/api/v1/webhooks/${id}`);
      await receiver.close();
    }
  });

  it("when several events are due, then they are sent one after another, never two at once", async () => {
    const receiver = await startReceiver(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 200;
    });
    const id = await registerWebhook({ url: receiver.url, events: ["*"] });
    try {
      for (let i = 0; i < 5; i++) fake.emit(ORG, "session.status", SESSIONS.main, { status: "working" });
      await fake.deliveriesSettled();

      expect(receiver.received).toHaveLength(5);
      expect(receiver.maxInFlight).toBe(1);
    } finally {
      await call("DELETE", `/api/v1/webhooks/${id}`);
      await receiver.close();
    }
  });

  it("when deliveries are paused and resumed newest first, then they arrive out of emission order", async () => {
    const receiver = await startReceiver();
    const id = await registerWebhook({ url: receiver.url, events: ["*"] });
    try {
      fake.pauseDeliveries();
      const ids = [1, 2, 3].map(
        (n) => fake.emit(ORG, "message", SESSIONS.main, textMessage({ body: `m${n}` }).payload).envelope.id,
      );
      expect(fake.pendingDeliveries).toBe(3);
      expect(receiver.received).toHaveLength(0);

      fake.setDeliveryPolicy({ order: "newest_first" });
      fake.resumeDeliveries();
      await fake.deliveriesSettled();

      expect(receiver.received.map((r) => r.headers["x-webhook-request-id"])).toEqual([...ids].reverse());
    } finally {
      await call("DELETE", `/api/v1/webhooks/${id}`);
      await receiver.close();
    }
  });

  it("when webhooks filter by event, session or organization, then only matching events are delivered", async () => {
    const receiver = await startReceiver();
    const onlyMessages = await registerWebhook({ url: receiver.url, events: ["message"] });
    const onlyUnpaired = await registerWebhook({
      url: receiver.url,
      events: ["*"],
      sessionId: SESSIONS.unpaired,
    });
    const openApiNames = await registerWebhook({ url: receiver.url, events: ["message.received"] });
    try {
      fake.emit(ORG, "message", SESSIONS.main, textMessage({ body: "a" }).payload);
      fake.emit(ORG, "poll.vote", SESSIONS.main, pollVoteEvent({ targetId: "X" }).payload);
      fake.emit(ORG, "session.status", SESSIONS.unpaired, { status: "scan_qr_code" });
      fake.emit(OTHER_ORG, "message", SESSIONS.foreign, textMessage({ body: "b" }).payload);
      await fake.deliveriesSettled();

      const byWebhook = (id: string) => fake.deliveries.filter((d) => d.webhookId === id).length;
      expect([byWebhook(onlyMessages), byWebhook(onlyUnpaired), byWebhook(openApiNames)]).toEqual([1, 1, 0]);
    } finally {
      for (const id of [onlyMessages, onlyUnpaired, openApiNames])
        await call("DELETE", `/api/v1/webhooks/${id}`);
      await receiver.close();
    }
  });
});

interface Socket {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  closed: Promise<number>;
}

async function ticket(body: Record<string, unknown>, key: string = KEYS.eventsOnly) {
  return call("POST", "/api/v1/realtime/ticket", body, {
    authorization: `Bearer ${key}`,
    "content-type": "application/json",
  });
}

async function connect(since?: string, body: Record<string, unknown> = {}): Promise<Socket> {
  const res = await ticket({ scope: "organization", ...(since ? { since } : {}), ...body });
  expect(res.status).toBe(201);
  const ws = new WebSocket(`${fake.url.replace("http:", "ws:")}${(res.body as { url: string }).url}`);
  const frames: Record<string, unknown>[] = [];
  ws.on("message", (data) => frames.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, frames, closed };
}

const eventIds = (socket: Socket) => socket.frames.filter((f) => "id" in f).map((f) => f.id);

describe("realtime", () => {
  it("when a ticket is asked for, then 201 with a single-use rt_ ticket, 30 s and a relative url", async () => {
    const res = await ticket({ scope: "organization" });

    expect(res.status).toBe(201);
    const body = res.body as { ticket: string };
    expect(res.body).toStrictEqual({
      ticket: expect.stringMatching(/^rt_[A-Za-z0-9_-]{32}$/),
      expiresInSeconds: 30,
      url: `/api/v1/realtime?ticket=${body.ticket}`,
    });
  });

  it("when the key lacks events, then the ticket is refused with 403", async () => {
    const res = await ticket({ scope: "organization" }, KEYS.sendRead);

    expect(res).toEqual({
      status: 403,
      body: { error: { code: "forbidden", message: "missing required capability: events" } },
    });
  });

  it("when tickets are refused on purpose, then 503 or 401 comes back until that ends", async () => {
    fake.refuseRealtimeTickets(503);
    const unavailable = await ticket({ scope: "organization" });
    fake.refuseRealtimeTickets(401);
    const unauthorized = await ticket({ scope: "organization" });
    fake.refuseRealtimeTickets(undefined);
    const granted = await ticket({ scope: "organization" });

    expect([unavailable.status, unauthorized.status, granted.status]).toEqual([503, 401, 201]);
    expect(unavailable.body).toMatchObject({ error: { code: "gateway_unavailable" } });
    expect(unauthorized.body).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("when the ticket is unknown or already used, then the upgrade gets HTTP 401", async () => {
    const statusOf = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        // Ending a refused handshake reports "closed before the connection was established": expected here.
        ws.on("error", () => undefined);
        ws.on("unexpected-response", (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on("open", () => {
          resolve(101);
          ws.close();
        });
      });
    const res = await ticket({ scope: "organization" });
    const url = `${fake.url.replace("http:", "ws:")}${(res.body as { url: string }).url}`;
    const refusedBefore = fake.refusedUpgrades;

    const first = await statusOf(url);
    const reused = await statusOf(url);
    const unknown = await statusOf(`${fake.url.replace("http:", "ws:")}/api/v1/realtime?ticket=rt_nope`);

    expect([first, reused, unknown]).toEqual([101, 401, 401]);
    expect(fake.refusedUpgrades - refusedBefore).toBe(2);
  });

  it("when connected, then connected comes first, live events follow in order, and pings every heartbeat", async () => {
    const socket = await connect();
    try {
      await waitFor(() => socket.frames.length >= 1);
      const ids = [1, 2, 3].map((n) => fake.emit(ORG, "message", SESSIONS.main, { n }).envelope.id);
      fake.emit(OTHER_ORG, "message", SESSIONS.foreign, { n: 4 });
      await waitFor(() => socket.frames.filter((f) => f.event === "ping").length >= 2);

      expect(socket.frames[0]).toStrictEqual({
        event: "connected",
        timestamp: expect.any(Number),
        heartbeatSeconds: 0.1,
      });
      expect(eventIds(socket)).toEqual(ids);
      expect(socket.frames.find((f) => f.event === "ping")).toStrictEqual({
        event: "ping",
        timestamp: expect.any(Number),
      });
    } finally {
      socket.ws.close();
      await socket.closed;
    }
  });

  it("when since names a kept event, then the events after it are replayed before live ones", async () => {
    const [a, b, c] = [1, 2, 3].map((n) => fake.emit(ORG, "message", SESSIONS.main, { n }).envelope.id);
    const socket = await connect(a);
    try {
      const live = fake.emit(ORG, "message", SESSIONS.main, { n: 4 }).envelope.id;
      await waitFor(() => eventIds(socket).length >= 3);

      expect(eventIds(socket)).toEqual([b, c, live]);
      expect(fake.realtimeConnections.at(-1)).toMatchObject({ since: a, replayed: 2 });
    } finally {
      socket.ws.close();
      await socket.closed;
    }
  });

  it("when there is no since, then nothing is replayed", async () => {
    fake.emit(ORG, "message", SESSIONS.main, { n: 1 });
    const socket = await connect();
    try {
      await waitFor(() => socket.frames.some((f) => f.event === "ping"));

      expect(eventIds(socket)).toEqual([]);
    } finally {
      socket.ws.close();
      await socket.closed;
    }
  });

  it("when more than 1000 events follow since, then the replay stops at 1000", async () => {
    const first = fake.emit(ORG, "message", SESSIONS.main, { n: 0 }).envelope.id;
    const after = Array.from(
      { length: 1_005 },
      (_, n) => fake.emit(ORG, "message", SESSIONS.main, { n }).envelope.id,
    );
    const socket = await connect(first);
    try {
      await waitFor(() => eventIds(socket).length >= 1_000);

      expect(eventIds(socket)).toEqual(after.slice(0, 1_000));
    } finally {
      socket.ws.close();
      await socket.closed;
    }
  });

  it("when since was pruned or is unknown, then the replay starts at the oldest event kept", async () => {
    const gone = fake.emit(ORG, "message", SESSIONS.main, { n: 1 }).envelope.id;
    const kept = [2, 3].map((n) => fake.emit(ORG, "message", SESSIONS.main, { n }).envelope.id);
    fake.pruneEvents(2);
    const pruned = await connect(gone);
    const unknown = await connect("evt_01K0ZZZZZZZZZZZZZZZZZZZZZZ");
    try {
      await waitFor(() => eventIds(pruned).length >= 2 && eventIds(unknown).length >= 2);

      expect(fake.eventLog.map((e) => e.envelope.id)).toEqual(kept);
      expect(eventIds(pruned)).toEqual(kept);
      expect(eventIds(unknown)).toEqual(kept);
    } finally {
      for (const socket of [pruned, unknown]) {
        socket.ws.close();
        await socket.closed;
      }
    }
  });

  it("when the ticket is for one session, then only that session's events come", async () => {
    const socket = await connect(undefined, { scope: "session", session: SESSIONS.unpaired });
    try {
      fake.emit(ORG, "message", SESSIONS.main, { n: 1 });
      const mine = fake.emit(ORG, "session.status", SESSIONS.unpaired, { status: "working" }).envelope.id;
      await waitFor(() => eventIds(socket).length >= 1);

      expect(eventIds(socket)).toEqual([mine]);
    } finally {
      socket.ws.close();
      await socket.closed;
    }
  });

  it("when the client sends a data frame, then the socket is closed with 1008 and that is recorded", async () => {
    const socket = await connect();
    socket.ws.send("hello");

    expect(await socket.closed).toBe(1008);
    await waitFor(() => fake.realtimeConnections.at(-1)?.closeCode === 1008);
    expect(fake.realtimeConnections.at(-1)).toMatchObject({ clientFrames: 1, closeCode: 1008 });
  });

  it("when sockets are dropped, then they end without a close frame and none stays open", async () => {
    const socket = await connect();
    await waitFor(() => fake.openSockets >= 1);

    fake.dropSockets();

    expect(await socket.closed).toBe(1006);
    await waitFor(() => fake.openSockets === 0);
  });

  it("when sockets go silent, then they stay open but get neither pings nor events, while new ones do", async () => {
    const quiet = await connect();
    await waitFor(() => quiet.frames.length >= 1);
    fake.silenceSockets();
    const framesAtSilence = quiet.frames.length;
    const fresh = await connect();
    try {
      const id = fake.emit(ORG, "message", SESSIONS.main, { n: 1 }).envelope.id;
      await waitFor(() => fresh.frames.filter((f) => f.event === "ping").length >= 3);

      expect(eventIds(fresh)).toEqual([id]);
      expect(quiet.frames).toHaveLength(framesAtSilence);
      expect(quiet.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      for (const socket of [quiet, fresh]) {
        socket.ws.close();
        await socket.closed;
      }
    }
  });
});
