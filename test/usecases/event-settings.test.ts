// The events use case against a real SQLite store and the fake gateway: the parts the CLI tests cannot
// reach (a store that fails mid-way, a delete the gateway refuses after a create it accepted, the secret
// the webhook route reads).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventsSetupError, StoreUnavailableError } from "../../src/errors.js";
import { GatewayApiError } from "../../src/gateway/errors.js";
import type { GatewayClient } from "../../src/gateway/types.js";
import {
  type GatewaySimulator,
  ORG_ROUTE_FAULT_KEYS,
  startGatewaySimulator,
} from "../../src/sandbox/gateway/simulator.js";
import { createSealer } from "../../src/secrets/sealer.js";
import { createStore } from "../../src/store/create-store.js";
import type { Store } from "../../src/store/port.js";
import { createEventSettings, webhookUrlFor } from "../../src/usecases/event-settings.js";
import { createWorkspaceDirectory } from "../../src/usecases/workspace-directory.js";
import { testClient } from "../support/gateway-fixtures.js";
import { randomKey, sampleApiKey, silentLogger } from "../support/store-fixtures.js";

const TEAM = "T0AAA";
const BASE = "https://wa-slack.example.com";
const NOW = new Date("2025-06-01T12:00:00.000Z");

let gateway: GatewaySimulator;
let client: GatewayClient;
let store: Store;
let manageKey: string;

beforeEach(async () => {
  gateway = await startGatewaySimulator();
  ({ client } = testClient(gateway));
  store = await createStore("sqlite::memory:", silentLogger());
  manageKey = sampleApiKey();
  gateway.addKey(manageKey, { org: "org_a", permissions: ["send", "events", "manage"] });
});

afterEach(async () => {
  await client.close();
  await store.close();
  await gateway.close();
});

async function setup(
  options: {
    storedKey?: string | null;
    store?: Store;
    gateway?: Pick<GatewayClient, "createWebhook" | "deleteWebhook">;
  } = {},
) {
  const sealer = createSealer({ current: randomKey() });
  const workspaces = createWorkspaceDirectory({ store, sealer });
  if (options.storedKey === null) {
    // A workspace whose key was never set (the configuration modal can save settings without one).
    await store.putWorkspace({
      workspaceId: TEAM,
      sealedApiKey: null,
      defaultSessionId: "S1",
      visibility: "ephemeral",
      updatedBy: "U0ADMIN",
      updatedAt: NOW,
    });
  } else {
    await workspaces.save(TEAM, { apiKey: options.storedKey ?? manageKey, defaultSessionId: "S1" }, "cli");
  }
  const settings = createEventSettings({
    store: options.store ?? store,
    workspaces,
    gateway: options.gateway ?? client,
    sealer,
    clock: () => NOW,
  });
  return { settings, sealer };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

describe("webhookUrlFor", () => {
  it.each([
    ["https://wa-slack.example.com", `${BASE}/gateway/events/T0AAA`],
    ["https://wa-slack.example.com///", `${BASE}/gateway/events/T0AAA`],
    ["  https://WA-Slack.example.com:443/  ", `${BASE}/gateway/events/T0AAA`],
    ["https://example.com/apps/wa/", "https://example.com/apps/wa/gateway/events/T0AAA"],
    ["http://localhost:3000", "http://localhost:3000/gateway/events/T0AAA"],
    ["http://127.0.0.1:3000/", "http://127.0.0.1:3000/gateway/events/T0AAA"],
  ])("when the base URL is %s, then the webhook URL is %s", (base, expected) => {
    expect(webhookUrlFor(base, TEAM)).toBe(expected);
  });

  it.each([
    "http://wa-slack.example.com",
    "http://10.0.0.5:3000",
    "ftp://wa-slack.example.com",
    "/gateway",
    "",
    "https://wa-slack.example.com/?a=1",
    "https://wa-slack.example.com/#x",
    "https://user:secret@wa-slack.example.com",
    "https://wa-slack.example.com/gateway/events",
    "https://wa-slack.example.com/x/gateway/events/T0AAA/",
  ])("when the base URL is %j, then EventsSetupError bad_webhook_url", (base) => {
    const error = (() => {
      try {
        webhookUrlFor(base, TEAM);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EventsSetupError);
    expect(error).toMatchObject({ code: "bad_webhook_url", workspaceId: TEAM });
  });
});

describe("useWebhook", () => {
  it("when the gateway refuses to delete the old webhook, then the new one is kept and the old one is reported left", async () => {
    let refuseDeletes = false;
    const { settings } = await setup({
      gateway: {
        createWebhook: (key, webhook) => client.createWebhook(key, webhook),
        deleteWebhook: (key, id) =>
          refuseDeletes
            ? Promise.reject(
                new GatewayApiError({
                  method: "DELETE",
                  url: `${gateway.url}/api/v1/webhooks/${id}`,
                  status: 403,
                  code: "forbidden",
                  message: "missing required capability: manage",
                }),
              )
            : client.deleteWebhook(key, id),
      },
    });
    const first = await settings.useWebhook({ workspaceId: TEAM, baseUrl: BASE, by: "cli" });
    refuseDeletes = true;

    const second = await settings.useWebhook({ workspaceId: TEAM, baseUrl: BASE, by: "U0ADMIN" });

    expect(second.previous).toEqual({
      kind: "left",
      webhookId: first.webhook.id,
      url: `${BASE}/gateway/events/T0AAA`,
      reason: "the key lacks the manage permission (403)",
    });
    expect(gateway.webhooks.map((w) => w.id).sort()).toEqual([first.webhook.id, second.webhook.id].sort());
    expect(await settings.show(TEAM)).toMatchObject({
      mode: "webhook",
      webhook: { id: second.webhook.id, secretSet: true },
      updatedBy: "U0ADMIN",
    });
    expect(await settings.webhookSecret(TEAM)).toBe(
      gateway.webhooks.find((w) => w.id === second.webhook.id)?.secret,
    );
  });

  it("when the store cannot record the new webhook, then it is deleted at the gateway again and the store's error surfaces", async () => {
    const failing: Store = {
      ...store,
      putEventSettings: () => Promise.reject(new StoreUnavailableError("database is gone")),
    };
    const { settings } = await setup({ store: failing });

    const error = await failureOf(settings.useWebhook({ workspaceId: TEAM, baseUrl: BASE, by: "cli" }));

    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(gateway.requests.map((r) => r.method)).toEqual(["POST", "DELETE"]);
    expect(gateway.webhooks).toHaveLength(0);
  });

  it("when a proxy gives up waiting for the registration, then it is not repeated and the error says the webhook may exist", async () => {
    gateway.setFault(ORG_ROUTE_FAULT_KEYS.webhooks, { kind: "empty504" });
    const { settings } = await setup();

    const error = await failureOf(settings.useWebhook({ workspaceId: TEAM, baseUrl: BASE, by: "cli" }));

    expect(error).toBeInstanceOf(EventsSetupError);
    expect(error).toMatchObject({ code: "gateway_unreachable" });
    expect((error as Error).message).toContain("may have registered it anyway");
    expect(gateway.requests).toHaveLength(1);
    expect(await store.getEventSettings(TEAM)).toBeUndefined();
  });

  it("when the workspace has no stored key and none is given, then no_api_key, and the gateway is not called", async () => {
    const { settings } = await setup({ storedKey: null });

    const error = await failureOf(settings.useWebhook({ workspaceId: TEAM, baseUrl: BASE, by: "cli" }));

    expect(error).toMatchObject({ code: "no_api_key" });
    expect((error as Error).message).toContain('echo "$MANAGE_KEY" | npx wa-slack events webhook T0AAA');
    expect(gateway.requests).toHaveLength(0);
  });

  it("when the workspace has no stored key but a manage key is given, then the webhook is registered with it", async () => {
    const { settings } = await setup({ storedKey: null });

    const change = await settings.useWebhook({ workspaceId: TEAM, baseUrl: BASE, manageKey, by: "cli" });

    expect(change.mode).toBe("webhook");
    expect(gateway.requests[0]?.headers.authorization).toBe(`Bearer ${manageKey}`);
  });
});

describe("useRealtime, turnOff and the secret", () => {
  it("when the workspace has no stored key, then realtime is refused with no_api_key", async () => {
    const { settings } = await setup({ storedKey: null });

    expect(await failureOf(settings.useRealtime({ workspaceId: TEAM, by: "cli" }))).toMatchObject({
      code: "no_api_key",
    });
    expect(await store.getEventSettings(TEAM)).toBeUndefined();
  });

  it("when the workspace leaves webhook mode, then the webhook route gets no secret any more", async () => {
    const { settings } = await setup();
    await settings.useWebhook({ workspaceId: TEAM, baseUrl: BASE, by: "cli" });
    const secret = gateway.webhooks[0]?.secret;
    expect(await settings.webhookSecret(TEAM)).toBe(secret);

    const realtime = await settings.useRealtime({ workspaceId: TEAM, by: "cli" });
    expect(realtime.previous.kind).toBe("deleted");
    expect(await settings.webhookSecret(TEAM)).toBeUndefined();
    expect(await store.getEventSettings(TEAM)).toEqual({
      workspaceId: TEAM,
      mode: "realtime",
      webhookId: null,
      webhookUrl: null,
      sealedWebhookSecret: null,
      updatedBy: "cli",
      updatedAt: NOW,
    });

    const off = await settings.turnOff({ workspaceId: TEAM, by: "cli" });
    expect(off).toEqual({ workspaceId: TEAM, mode: "off", webhook: undefined, previous: { kind: "none" } });
    expect(await settings.webhookSecret(TEAM)).toBeUndefined();
  });

  it("when deliveries keep coming, then the sealed secret is opened once, and again only when the webhook changes", async () => {
    const { settings, sealer } = await setup();
    let opened = 0;
    const counting = createEventSettings({
      store,
      workspaces: createWorkspaceDirectory({ store, sealer }),
      gateway: client,
      sealer: {
        seal: (plain) => sealer.seal(plain),
        open: (sealed) => {
          opened += 1;
          return sealer.open(sealed);
        },
      },
      clock: () => NOW,
    });
    await settings.useWebhook({ workspaceId: TEAM, baseUrl: BASE, by: "cli" });
    const first = gateway.webhooks.at(-1)?.secret;
    for (let i = 0; i < 5; i++) expect(await counting.webhookSecret(TEAM)).toBe(first);
    expect(opened).toBe(1);

    await settings.useWebhook({ workspaceId: TEAM, baseUrl: BASE, by: "cli" });
    const second = gateway.webhooks.at(-1)?.secret;
    expect(second).not.toBe(first);
    expect(await counting.webhookSecret(TEAM)).toBe(second);
    expect(opened).toBe(2);
    await settings.turnOff({ workspaceId: TEAM, by: "cli" });
    expect(await counting.webhookSecret(TEAM)).toBeUndefined();
  });

  it("when the workspace is unknown, then show, off and the secret say so without writing anything", async () => {
    const { settings } = await setup();

    for (const attempt of [settings.show("T0NONE"), settings.turnOff({ workspaceId: "T0NONE", by: "cli" })]) {
      expect(await failureOf(attempt)).toMatchObject({
        code: "workspace_not_configured",
        workspaceId: "T0NONE",
      });
    }
    expect(await settings.webhookSecret("T0NONE")).toBeUndefined();
    expect(await store.getEventSettings("T0NONE")).toBeUndefined();
  });
});
