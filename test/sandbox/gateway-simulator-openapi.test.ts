// Keeps the fake gateway honest: its schemas and its answers are checked against the gateway's own
// OpenAPI document, and so are the bodies our client sends.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import type { GatewayClient } from "../../src/gateway/types.js";
import {
  ApiErrorSchema,
  CHAT_TYPES,
  ChatSchema,
  ERROR_CODES,
  ReactionInputBodySchema,
  RetryPolicySchema,
  SESSION_STATUSES,
  SendResultBodySchema,
  VoteInputBodySchema,
  WASessionSchema,
  WebhookBodySchema,
  WebhookSchema,
} from "../../src/sandbox/gateway/schemas.js";
import type { GatewaySimulator, RecordedRequest } from "../../src/sandbox/gateway/simulator.js";
import { KEYS, SESSIONS, startSeededFakeGateway, target, testClient } from "../support/gateway-fixtures.js";

// The document lives beside the repository (../shared/reference from the repo root), in CI too.
const OPENAPI_URL = new URL("../../../shared/reference/gateway-openapi.yaml", import.meta.url);
const DOC_ID = "https://gateway.invalid/openapi.json";

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | object;
  enum?: string[];
}

interface OpenApiDoc {
  components: { schemas: Record<string, JsonSchema> };
  paths: Record<string, Record<string, unknown>>;
}

const doc = parse(readFileSync(OPENAPI_URL, "utf8")) as OpenApiDoc;
// ajv is CommonJS: under NodeNext the default import is its module.exports, whose `default` is the class.
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
// OpenAPI's numeric formats are not JSON Schema's; teach them so values are still checked.
ajv.addFormat("int32", { type: "number", validate: Number.isInteger });
ajv.addFormat("int64", { type: "number", validate: Number.isInteger });
ajv.addFormat("double", { type: "number", validate: () => true });
ajv.addFormat("float", { type: "number", validate: () => true });
ajv.addFormat("binary", true);
// Only components: `$ref`s inside the document point at #/components/schemas/…, resolved against this id.
ajv.addSchema({ $id: DOC_ID, components: doc.components });

function validator(name: string) {
  const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/${name}`);
  if (!validate) throw new Error(`schema ${name} not found in the OpenAPI document`);
  return (value: unknown): string[] =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${name}${e.instancePath} ${e.message}`);
}

const validateSendResult = validator("SendResult");
const validateApiError = validator("ApiError");
const validateWASession = validator("WASession");
const validateReactionInput = validator("ReactionInputBody");
const validateVoteInput = validator("VoteInputBody");
const validateWebhook = validator("Webhook");
const validateListWebhook = validator("ListWebhook");
const validateWebhookBody = validator("WebhookBody");
const validateListChat = validator("ListChat");

function schemaOf(name: string): JsonSchema {
  const schema = doc.components.schemas[name];
  if (!schema) throw new Error(`schema ${name} not found in the OpenAPI document`);
  return schema;
}

function fieldsOf(schema: z.ZodObject): { all: string[]; required: string[] } {
  const all = Object.keys(schema.shape).sort();
  const required = all.filter((key) => !schema.shape[key]?.safeParse(undefined).success).sort();
  return { all, required };
}

describe("the fake's schemas mirror the OpenAPI document", () => {
  const mirrors: [string, z.ZodObject][] = [
    ["ReactionInputBody", ReactionInputBodySchema],
    ["VoteInputBody", VoteInputBodySchema],
    ["SendResult", SendResultBodySchema],
    ["ApiError", ApiErrorSchema],
    ["WASession", WASessionSchema],
    ["RetryPolicy", RetryPolicySchema],
    ["WebhookBody", WebhookBodySchema],
    ["Webhook", WebhookSchema],
    ["Chat", ChatSchema],
  ];
  for (const [name, mirror] of mirrors) {
    it(`when comparing ${name}, then fields, required fields and additionalProperties:false agree`, () => {
      const schema = schemaOf(name);
      const { all, required } = fieldsOf(mirror);

      expect(all).toEqual(Object.keys(schema.properties ?? {}).sort());
      expect(required).toEqual([...(schema.required ?? [])].sort());
      expect(schema.additionalProperties).toBe(false);
      expect(mirror.safeParse({ ...mirror.parse(sampleOf(name)), unexpected: 1 }).success).toBe(false);
    });
  }

  it("when comparing ErrorDetail, then the codes, fields and required fields agree", () => {
    const detail = schemaOf("ErrorDetail");
    const inner = ApiErrorSchema.shape.error;

    expect([...ERROR_CODES].sort()).toEqual([...(detail.properties?.code?.enum ?? [])].sort());
    expect(fieldsOf(inner)).toEqual({
      all: Object.keys(detail.properties ?? {}).sort(),
      required: [...(detail.required ?? [])].sort(),
    });
  });

  it("when comparing session statuses, then the WASession status enum agrees", () => {
    expect([...SESSION_STATUSES].sort()).toEqual(
      [...(schemaOf("WASession").properties?.status?.enum ?? [])].sort(),
    );
  });

  it("when comparing chat types, then the Chat type enum agrees", () => {
    expect([...CHAT_TYPES].sort()).toEqual([...(schemaOf("Chat").properties?.type?.enum ?? [])].sort());
  });

  it("when looking up the routes the fake serves, then the document has each of them", () => {
    expect(Object.keys(doc.paths["/api/v1/webhooks"] ?? {})).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(doc.paths["/api/v1/webhooks/{id}"] ?? {})).toEqual(
      expect.arrayContaining(["get", "delete"]),
    );
    expect(Object.keys(doc.paths["/api/v1/sessions/{session}/chats"] ?? {})).toContain("get");
    expect(Object.keys(doc.paths["/api/v1/sessions/{session}/messages/{mid}/reaction"] ?? {})).toEqual(
      expect.arrayContaining(["post", "delete"]),
    );
    expect(Object.keys(doc.paths["/api/v1/sessions/{session}/messages/{mid}/vote"] ?? {})).toContain("post");
    expect(Object.keys(doc.paths["/api/v1/sessions/{session}"] ?? {})).toContain("get");
  });
});

function sampleOf(name: string): object {
  switch (name) {
    case "SendResult":
      return { mode: "sync" };
    case "ApiError":
      return { error: { code: "internal", message: "x" } };
    case "RetryPolicy":
      return { policy: "exponential", delaySeconds: 2, attempts: 15 };
    case "Webhook":
      return {
        id: "w",
        organizationId: "o",
        url: "https://x.invalid",
        events: ["*"],
        retryPolicy: { policy: "exponential", delaySeconds: 2, attempts: 15 },
        active: true,
        createdAt: 1,
        updatedAt: 1,
      };
    case "Chat":
      return {
        id: 1,
        sessionId: "s",
        jid: "1@g.us",
        type: "group",
        unreadCount: 0,
        archived: false,
        pinned: false,
      };
    case "WASession":
      return {
        id: "s",
        organizationId: "o",
        gatewayId: "g",
        status: "working",
        isAdminSession: false,
        autoRead: false,
        presenceTyping: false,
        ratePerMin: 1,
        ratePerHour: 1,
        createdAt: 1,
        updatedAt: 1,
      };
    default:
      return {};
  }
}

describe("the fake's traffic validates against the OpenAPI document", () => {
  let fake: GatewaySimulator;
  let client: GatewayClient;
  let traffic: RecordedRequest[] = [];
  let fromClient: RecordedRequest[] = [];

  beforeAll(async () => {
    fake = await startSeededFakeGateway();
    ({ client } = testClient(fake, { retry: { maxAttempts: 1 } }));
    const settle = (p: Promise<unknown>) => p.catch(() => undefined);

    // Through the client: every operation, succeeding and failing.
    await client.addReaction(KEYS.send, target(), "👍");
    await client.addReaction(KEYS.send, target({ sender: "" }), "");
    await client.removeReaction(KEYS.send, target());
    await client.vote(KEYS.send, target(), ["Pizza", "Sushi"]);
    await client.probeSession(KEYS.sendRead, SESSIONS.main);
    await client.probeSession(KEYS.sendRead, SESSIONS.unpaired);
    fake.addChat(SESSIONS.main, { jid: "120363021234567890@g.us", type: "group", name: "Lunch crew" });
    fake.addChat(SESSIONS.main, {
      jid: "136150496886855@lid",
      type: "dm",
      aliases: ["6285550001111@s.whatsapp.net"],
    });
    await client.listChats(KEYS.readOnly, SESSIONS.main);
    await client.listChats(KEYS.readOnly, SESSIONS.unpaired);
    const webhook = await client.createWebhook(KEYS.manage, {
      url: "https://wa-slack.example.com/gateway/events",
      events: ["*"],
      secret: "whsec_test",
    });
    await settle(client.probeSession(KEYS.send, SESSIONS.main));
    await settle(client.vote(KEYS.send, target(), []));
    await settle(client.addReaction(KEYS.send, target({ chat: "" }), "👍"));
    await settle(client.addReaction(KEYS.send, target({ chat: "bad" }), "👍"));
    await settle(client.addReaction("wa_unknown_key_000000", target(), "👍"));
    await settle(client.addReaction(KEYS.readOnly, target(), "👍"));
    await settle(client.addReaction(KEYS.send, target({ sessionId: SESSIONS.foreign }), "👍"));
    await settle(client.addReaction(KEYS.send, target({ sessionId: SESSIONS.stopped }), "👍"));
    fake.setFault(SESSIONS.main, { kind: "rate_limited", retryAfterSeconds: 5, times: 1 });
    await settle(client.addReaction(KEYS.send, target(), "👍"));
    fake.setFault(SESSIONS.main, { kind: "unavailable", times: 1 });
    await settle(client.removeReaction(KEYS.send, target()));
    fake.clearFaults();
    fromClient = [...fake.requests];

    // Straight HTTP: what the client never sends must still get a schema-conformant error.
    const post = (path: string, body: string | undefined, method = "POST") =>
      fetch(`${fake.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${KEYS.send}`, "content-type": "application/json" },
        body,
      }).then((r) => r.arrayBuffer());
    const reaction = `/api/v1/sessions/${SESSIONS.main}/messages/3EB0AA/reaction`;
    const manage = { authorization: `Bearer ${KEYS.manage}`, "content-type": "application/json" };
    await fetch(`${fake.url}/api/v1/webhooks`, { headers: manage }).then((r) => r.arrayBuffer());
    await fetch(`${fake.url}/api/v1/webhooks/${webhook.id}`, { headers: manage }).then((r) =>
      r.arrayBuffer(),
    );
    await fetch(`${fake.url}/api/v1/webhooks`, {
      method: "POST",
      headers: manage,
      body: JSON.stringify({
        url: "https://example.com/hooks",
        events: ["message"],
        sessionId: SESSIONS.main,
        customHeaders: { "X-Tenant": "acme" },
        retryPolicy: { policy: "exponential", delaySeconds: 2, attempts: 3 },
        active: false,
      }),
    }).then((r) => r.arrayBuffer());
    await fetch(`${fake.url}/api/v1/webhooks`, {
      method: "POST",
      headers: manage,
      body: JSON.stringify({ url: "not a url", events: ["*"] }),
    }).then((r) => r.arrayBuffer());
    await post(reaction, '{"chat":"120363012345678901@g.us","emoji":"👍","extra":true}');
    await post(reaction, "{not json");
    await post(reaction, undefined, "DELETE");
    await post(`/api/v1/sessions/${SESSIONS.main}/messages/3EB0AA/vote`, '{"chat":"1@g.us","options":[3]}');
    await post(`/api/v1/sessions/${SESSIONS.main}/messages/3EB0AA/vote`, '{"chat":"1@g.us","options":null}');
    await post("/api/v1/nowhere", "{}");

    traffic = [...fake.requests];
  });

  afterAll(async () => {
    await client.close();
    await fake.close();
  });

  it("when the fake answers 200 to a send, then the body is a SendResult", () => {
    const sends = traffic.filter(
      (r) => r.response?.status === 200 && r.method !== "GET" && r.path.includes("/messages/"),
    );
    expect(sends.length).toBeGreaterThanOrEqual(4);
    for (const r of sends) expect(validateSendResult(r.response?.body)).toEqual([]);
  });

  it("when the fake answers a webhook, a webhook list or a chat list, then the body is the document's", () => {
    const answers = traffic.filter((r) => r.response && r.response.status < 300);
    const bodies = (match: (r: RecordedRequest) => boolean) =>
      answers.filter(match).map((r) => r.response?.body);

    const webhooks = bodies((r) => /^\/api\/v1\/webhooks(\/[^/]+)?$/.test(r.path) && r.method !== "GET");
    const one = bodies((r) => /^\/api\/v1\/webhooks\/[^/]+$/.test(r.path) && r.method === "GET");
    const lists = bodies((r) => r.path === "/api/v1/webhooks" && r.method === "GET");
    const chats = bodies((r) => r.path.includes("/chats"));
    expect([webhooks.length, one.length, lists.length, chats.length]).toEqual([2, 1, 1, 2]);
    for (const body of [...webhooks, ...one]) expect(validateWebhook(body)).toEqual([]);
    for (const body of lists) expect(validateListWebhook(body)).toEqual([]);
    for (const body of chats) expect(validateListChat(body)).toEqual([]);
  });

  it("when the client registers a webhook, then its body is a WebhookBody", () => {
    const sent = fromClient.filter((r) => r.path === "/api/v1/webhooks");
    expect(sent).toHaveLength(1);
    for (const r of sent) expect(validateWebhookBody(r.body)).toEqual([]);
  });

  it("when the fake answers 200 to a session read, then the body is a WASession", () => {
    const reads = traffic.filter(
      (r) => r.response?.status === 200 && r.method === "GET" && /^\/api\/v1\/sessions\/[^/]+$/.test(r.path),
    );
    expect(reads).toHaveLength(2);
    for (const r of reads) expect(validateWASession(r.response?.body)).toEqual([]);
  });

  it("when the fake answers an error, then the body is an ApiError", () => {
    const failures = traffic.filter((r) => r.response && r.response.status >= 400);
    const statuses = new Set(failures.map((r) => r.response?.status));
    expect([...statuses].sort()).toEqual([400, 401, 403, 404, 422, 429, 500, 501, 503]);
    for (const r of failures) expect(validateApiError(r.response?.body)).toEqual([]);
  });

  it("when the client sends a body, then it is a ReactionInputBody or a VoteInputBody", () => {
    const sent = fromClient.filter((r) => r.method !== "GET" && r.path.includes("/messages/"));
    expect(sent.length).toBeGreaterThanOrEqual(10);
    for (const r of sent) {
      expect(typeof r.body).toBe("object");
      const validate = r.path.endsWith("/vote") ? validateVoteInput : validateReactionInput;
      expect(validate(r.body)).toEqual([]);
    }
  });
});
