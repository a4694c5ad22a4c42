// The client operations the mirror needs: webhooks, realtime tickets and the chat list, with the same
// typed errors and deadlines as the rest, and no repeat of a create that may have reached the gateway.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayApiError, GatewayProtocolError, GatewayUnavailableError } from "../../src/gateway/errors.js";
import type { GatewayClient } from "../../src/gateway/types.js";
import { type GatewaySimulator, ORG_ROUTE_FAULT_KEYS } from "../../src/sandbox/gateway/simulator.js";
import { KEYS, ORG, SESSIONS, startSeededFakeGateway, testClient } from "../support/gateway-fixtures.js";

let fake: GatewaySimulator;
let client: GatewayClient;
let delays: number[];

const REGISTRATION = {
  url: "https://wa-slack.example.com/gateway/events",
  events: ["*"],
  secret: "whsec_change_me_32_random_bytes",
};

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
      throw new Error("expected the operation to fail");
    },
    (e: unknown) => e,
  );
}

describe("createWebhook", () => {
  it("when the key may manage, then it POSTs exactly {url, events, secret} and returns the new id", async () => {
    const created = await client.createWebhook(KEYS.manage, REGISTRATION);

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/api/v1/webhooks");
    expect(request?.body).toStrictEqual(REGISTRATION);
    expect(request?.response?.status).toBe(201);
    expect(created).toStrictEqual({ id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/) });
    expect(request?.response?.body).toMatchObject(created);
    expect(fake.webhooks.find((w) => w.id === created.id)).toMatchObject({
      ...REGISTRATION,
      organizationId: ORG,
    });
  });

  it("when the key lacks manage, then GatewayApiError 403 forbidden", async () => {
    const error = await failureOf(client.createWebhook(KEYS.eventsOnly, REGISTRATION));

    expect(error).toBeInstanceOf(GatewayApiError);
    expect(error).toMatchObject({
      status: 403,
      code: "forbidden",
      gatewayMessage: "missing required capability: manage",
    });
  });

  it("when the gateway answers 503, then it is not repeated: the webhook may exist already", async () => {
    fake.setFault(ORG_ROUTE_FAULT_KEYS.webhooks, { kind: "unavailable" });

    const error = await failureOf(client.createWebhook(KEYS.manage, REGISTRATION));

    expect(error).toBeInstanceOf(GatewayApiError);
    expect(error).toMatchObject({ status: 503, code: "gateway_unavailable" });
    expect(fake.requests).toHaveLength(1);
    expect(delays).toHaveLength(0);
  });

  it("when the connection breaks mid-answer, then it is not repeated and the outcome is unknown", async () => {
    fake.setFault(ORG_ROUTE_FAULT_KEYS.webhooks, { kind: "reset" });

    const error = await failureOf(client.createWebhook(KEYS.manage, REGISTRATION));

    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect(error).toMatchObject({
      code: "gateway_no_answer",
      message: `POST ${fake.url}/api/v1/webhooks: connection closed mid-response`,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it("when a proxy answers 502 (the gateway never saw it), then it is retried and succeeds", async () => {
    fake.setFault(ORG_ROUTE_FAULT_KEYS.webhooks, { kind: "html502", times: 1 });

    const created = await client.createWebhook(KEYS.manage, REGISTRATION);

    expect(fake.requests.map((r) => r.response?.status)).toEqual([502, 201]);
    expect(fake.webhooks.map((w) => w.id)).toContain(created.id);
    expect(delays).toHaveLength(1);
  });

  it("when the 201 body has no id, then GatewayProtocolError", async () => {
    fake.setFault(ORG_ROUTE_FAULT_KEYS.webhooks, {
      kind: "raw",
      status: 201,
      body: JSON.stringify({ url: REGISTRATION.url }),
      contentType: "application/json",
    });

    const error = await failureOf(client.createWebhook(KEYS.manage, REGISTRATION));

    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect((error as Error).message).toContain(
      `POST ${fake.url}/api/v1/webhooks: 201 response is not a webhook (id: `,
    );
  });
});

describe("deleteWebhook", () => {
  it("when the webhook exists, then it is DELETEd without a body and stops existing", async () => {
    const { id } = await client.createWebhook(KEYS.manage, REGISTRATION);
    fake.reset();

    await expect(client.deleteWebhook(KEYS.manage, id)).resolves.toBeUndefined();

    expect(fake.requests.map((r) => [r.method, r.path, r.body, r.response?.status])).toEqual([
      ["DELETE", `/api/v1/webhooks/${id}`, undefined, 204],
    ]);
    expect(fake.webhooks.map((w) => w.id)).not.toContain(id);
  });

  it("when the webhook is already gone (404), then deleting counts as done", async () => {
    await expect(client.deleteWebhook(KEYS.manage, "01K0NOSUCHWEBHOOK000000000")).resolves.toBeUndefined();

    expect(fake.requests.map((r) => r.response?.status)).toEqual([404]);
  });

  it("when the gateway is briefly unavailable, then the delete is repeated (it is idempotent)", async () => {
    const { id } = await client.createWebhook(KEYS.manage, REGISTRATION);
    fake.reset();
    fake.setFault(ORG_ROUTE_FAULT_KEYS.webhooks, { kind: "unavailable", times: 1 });

    await client.deleteWebhook(KEYS.manage, id);

    expect(fake.requests.map((r) => r.response?.status)).toEqual([503, 204]);
  });

  it("when the key lacks manage, then GatewayApiError 403", async () => {
    const error = await failureOf(client.deleteWebhook(KEYS.send, "01K0WEBHOOK000000000000001"));

    expect(error).toMatchObject({ status: 403, code: "forbidden" });
  });
});

describe("createRealtimeTicket", () => {
  it("when there is no cursor, then it asks for the organization's events only", async () => {
    const ticket = await client.createRealtimeTicket(KEYS.eventsOnly, {});

    expect(fake.requests[0]?.path).toBe("/api/v1/realtime/ticket");
    expect(fake.requests[0]?.body).toStrictEqual({ scope: "organization" });
    expect(ticket).toStrictEqual(fake.requests[0]?.response?.body);
    expect(ticket).toMatchObject({ expiresInSeconds: 30, url: `/api/v1/realtime?ticket=${ticket.ticket}` });
    expect(ticket.ticket).toMatch(/^rt_/);
  });

  it("when there is a cursor, then it is sent as since", async () => {
    await client.createRealtimeTicket(KEYS.eventsOnly, { since: "evt_01K0AAAAAAAAAAAAAAAAAAAAB9" });

    expect(fake.requests[0]?.body).toStrictEqual({
      scope: "organization",
      since: "evt_01K0AAAAAAAAAAAAAAAAAAAAB9",
    });
  });

  it("when the key lacks events, then GatewayApiError 403 forbidden", async () => {
    const error = await failureOf(client.createRealtimeTicket(KEYS.sendRead, {}));

    expect(error).toMatchObject({
      status: 403,
      code: "forbidden",
      gatewayMessage: "missing required capability: events",
    });
  });

  it("when the gateway answers 503, then no second ticket is asked for within the call", async () => {
    fake.refuseRealtimeTickets(503);

    const error = await failureOf(client.createRealtimeTicket(KEYS.eventsOnly, {}));

    expect(error).toMatchObject({ status: 503, code: "gateway_unavailable" });
    expect(fake.requests).toHaveLength(1);
  });
});

describe("listChats", () => {
  const session = "01HZX8K3M9CHATS000000000";

  beforeAll(() => {
    fake.addSession(session, { org: ORG, waJid: "6281234567890@s.whatsapp.net" });
    fake.addChat(session, {
      jid: "120363021234567890@g.us",
      type: "group",
      name: "Lunch crew 🍜",
    });
    fake.addChat(session, {
      jid: "136150496886855@lid",
      type: "dm",
      name: "Tine",
      aliases: ["6285550001111@s.whatsapp.net"],
    });
    for (let i = 0; i < 448; i++)
      fake.addChat(session, { jid: `62800000${String(i).padStart(4, "0")}@s.whatsapp.net`, type: "dm" });
  });

  it("when a session has more chats than a page, then every page is read and each chat is reduced", async () => {
    const chats = await client.listChats(KEYS.readOnly, session);

    expect(chats).toHaveLength(450);
    expect(chats.slice(0, 3)).toStrictEqual([
      { jid: "120363021234567890@g.us", type: "group", name: "Lunch crew 🍜", aliases: [] },
      { jid: "136150496886855@lid", type: "dm", name: "Tine", aliases: ["6285550001111@s.whatsapp.net"] },
      { jid: "628000000000@s.whatsapp.net", type: "dm", aliases: [] },
    ]);
    expect(fake.requests.map((r) => r.path.split("&")[0])).toEqual([
      `/api/v1/sessions/${session}/chats?limit=200`,
      `/api/v1/sessions/${session}/chats?limit=200`,
      `/api/v1/sessions/${session}/chats?limit=200`,
    ]);
    expect(fake.requests.map((r) => new URL(r.path, fake.url).searchParams.has("cursor"))).toEqual([
      false,
      true,
      true,
    ]);
  });

  it("when the session has no chats (data: null), then the list is empty", async () => {
    await expect(client.listChats(KEYS.readOnly, SESSIONS.main)).resolves.toStrictEqual([]);
  });

  it("when the key lacks read, then GatewayApiError 403", async () => {
    const error = await failureOf(client.listChats(KEYS.send, session));

    expect(error).toMatchObject({
      status: 403,
      code: "forbidden",
      gatewayMessage: "missing required capability: read",
    });
  });

  it("when the session is another organization's, then GatewayApiError 404", async () => {
    const error = await failureOf(client.listChats(KEYS.readOnly, SESSIONS.foreign));

    expect(error).toMatchObject({ status: 404, code: "not_found" });
  });

  it("when the gateway hands back the same cursor again, then GatewayProtocolError instead of a loop", async () => {
    fake.setFault(SESSIONS.main, {
      kind: "raw",
      status: 200,
      body: JSON.stringify({ data: [], nextCursor: "again" }),
      contentType: "application/json",
    });

    const error = await failureOf(client.listChats(KEYS.readOnly, SESSIONS.main));

    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect((error as Error).message).toBe(
      `GET ${fake.url}/api/v1/sessions/${SESSIONS.main}/chats?limit=200&cursor=again: 200 response hands out cursors without end (2 pages)`,
    );
    expect(fake.requests).toHaveLength(2);
  });

  it("when a page is briefly unavailable, then that page is retried and the list completes", async () => {
    fake.setFault(session, { kind: "unavailable", times: 1 });

    const chats = await client.listChats(KEYS.readOnly, session);

    expect(chats).toHaveLength(450);
    expect(fake.requests.map((r) => r.response?.status)).toEqual([503, 200, 200, 200]);
  });
});

describe("another organization", () => {
  it("when its key deletes our webhook, then the gateway says not_found and the webhook stays", async () => {
    const { id } = await client.createWebhook(KEYS.manage, REGISTRATION);

    await client.deleteWebhook(KEYS.otherOrg, id);

    expect(fake.webhooks.find((w) => w.id === id)?.organizationId).toBe(ORG);
    expect(fake.requests.at(-1)?.response?.status).toBe(404);
  });
});
