// `wa-slack events …` in-process, against a real SQLite store and the fake gateway on loopback.
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GatewaySimulator, startGatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import { createSealer } from "../../src/secrets/sealer.js";
import { createStore } from "../../src/store/create-store.js";
import type { Store } from "../../src/store/port.js";
import { createEventSettings } from "../../src/usecases/event-settings.js";
import { createWorkspaceDirectory } from "../../src/usecases/workspace-directory.js";
import { testClient } from "../support/gateway-fixtures.js";
import { silentLogger } from "../support/store-fixtures.js";
import { type CliContext, createCliHarness } from "./cli-harness.js";

const cli = createCliHarness("wa-slack-cli-events-", () =>
  gateway.webhooks.flatMap((w) => (w.secret === undefined ? [] : [w.secret])),
);
const { run } = cli;
afterAll(() => cli.cleanup());

const ORG = "org_events";
const TEAM = "T0AAA";
const BASE = "https://wa-slack.example.com";
const HOOK_URL = `${BASE}/gateway/events/${TEAM}`;

let gateway: GatewaySimulator;
/** send and events: what a workspace's stored key usually has. */
let sendKey: string;
/** Only manage: what an operator pipes in to register a webhook. */
let manageKey: string;
let allKey: string;

beforeEach(async () => {
  gateway = await startGatewaySimulator();
  sendKey = cli.newApiKey();
  manageKey = cli.newApiKey();
  allKey = cli.newApiKey();
  gateway.addKey(sendKey, { org: ORG, permissions: ["send", "events"] });
  gateway.addKey(manageKey, { org: ORG, permissions: ["manage"] });
  gateway.addKey(allKey, { org: ORG, permissions: ["send", "events", "manage"] });
});

afterEach(async () => {
  await gateway.close();
});

/** A working folder whose workspace T0AAA is configured with `storedKey`. */
async function configured(storedKey: string): Promise<CliContext> {
  const ctx = cli.workspaceFolder({ GATEWAY_URL: gateway.url });
  const set = await run(["workspace", "set", TEAM, "--session", "S1"], ctx, { stdin: storedKey });
  expect(set.code).toBe(0);
  return ctx;
}

async function openStore(ctx: CliContext): Promise<Store> {
  return createStore(ctx.env.DATABASE_URL as string, silentLogger(), { cwd: ctx.cwd });
}

function bearerOf(index: number): string | undefined {
  const header = gateway.requests[index]?.headers.authorization;
  return typeof header === "string" ? header.replace(/^Bearer /, "") : undefined;
}

async function showJson(ctx: CliContext) {
  const result = await run(["events", "show", TEAM, "--json"], ctx);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe("events webhook", () => {
  it("when a manage key is piped, then the gateway gets the webhook for every event with a fresh 64-hex secret, stored only sealed", async () => {
    const ctx = await configured(sendKey);

    const result = await run(["events", "webhook", TEAM, "--url", `${BASE}/`], ctx, {
      stdin: `${manageKey}\n`,
    });

    expect(result.code).toBe(0);
    expect(gateway.webhooks).toHaveLength(1);
    const webhook = gateway.webhooks[0];
    expect(webhook).toMatchObject({ organizationId: ORG, url: HOOK_URL, events: ["*"] });
    const secret = cli.secret(webhook?.secret as string);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(bearerOf(0)).toBe(manageKey);
    expect(result.stdout).toContain(`webhook ${webhook?.id}`);
    expect(result.stdout).toContain(HOOK_URL);
    expect(result.stdout).toContain("not stored");
    expect(result.stderr).toBe("");
    for (const printed of [result.stdout, result.stderr]) expect(printed).not.toContain(secret);

    const bytes = cli.databaseBytes(ctx);
    expect(bytes).toContain(HOOK_URL);
    expect(bytes).not.toContain(secret);
    expect(bytes).not.toContain(manageKey);

    // The sealed secret is the one the gateway signs with: the webhook route can open it.
    const store = await openStore(ctx);
    try {
      const sealer = createSealer({
        current: Buffer.from(ctx.env.APP_ENCRYPTION_KEY as string, "base64url"),
      });
      const { client } = testClient(gateway);
      const settings = createEventSettings({
        store,
        sealer,
        gateway: client,
        workspaces: createWorkspaceDirectory({ store, sealer }),
      });
      expect(await settings.webhookSecret(TEAM)).toBe(secret);
      await client.close();
    } finally {
      await store.close();
    }

    // The manage key was used, not kept: the workspace still has its own key.
    const workspace = await run(["workspace", "show", TEAM, "--json"], ctx);
    expect(JSON.parse(workspace.stdout).maskedKey).toBe(`wa_…${sendKey.slice(-4)}`);
  });

  it("when stdin is a terminal and Enter is pressed alone, then it prompts hidden and uses the stored key", async () => {
    const ctx = await configured(allKey);
    const stdin = new PassThrough();
    const pending = run(["events", "webhook", TEAM, "--url", BASE], ctx, { stdin, tty: true });
    setTimeout(() => stdin.write("\r"), 10);

    const result = await pending;

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Gateway API key with the manage permission for ${TEAM} (input hidden`);
    expect(bearerOf(0)).toBe(allKey);
  });

  it("when nothing is piped, then the workspace's stored key registers the webhook", async () => {
    const ctx = await configured(allKey);

    const result = await run(["events", "webhook", TEAM, "--url", BASE], ctx);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Registered with the workspace's stored key.");
    expect(bearerOf(0)).toBe(allKey);
    expect(gateway.webhooks.map((w) => w.url)).toEqual([HOOK_URL]);
    expect(await showJson(ctx)).toMatchObject({
      mode: "webhook",
      webhook: { id: gateway.webhooks[0]?.id, url: HOOK_URL, secretSet: true },
    });
  });

  it("when the base URL has a path, then the route is added below it", async () => {
    const ctx = await configured(allKey);

    const result = await run(["events", "webhook", TEAM, "--url", "http://127.0.0.1:8080/wa//"], ctx);

    expect(result.code).toBe(0);
    expect(gateway.webhooks.map((w) => w.url)).toEqual([`http://127.0.0.1:8080/wa/gateway/events/${TEAM}`]);
  });

  it("when run again, then the new webhook replaces the old one, which is deleted at the gateway", async () => {
    const ctx = await configured(sendKey);
    await run(["events", "webhook", TEAM, "--url", BASE], ctx, { stdin: manageKey });
    const first = gateway.webhooks[0];

    const again = await run(["events", "webhook", TEAM, "--url", "https://new.example.com"], ctx, {
      stdin: manageKey,
    });

    expect(again.code).toBe(0);
    expect(gateway.webhooks).toHaveLength(1);
    const second = gateway.webhooks[0];
    expect(second?.id).not.toBe(first?.id);
    expect(second?.url).toBe(`https://new.example.com/gateway/events/${TEAM}`);
    expect(second?.secret).not.toBe(first?.secret);
    expect(again.stdout).toContain(`The previous webhook ${first?.id} was deleted at the gateway.`);
    // Created before the old one goes, so no event falls between the two.
    expect(gateway.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/v1/webhooks",
      "POST /api/v1/webhooks",
      `DELETE /api/v1/webhooks/${first?.id}`,
    ]);
    expect((await showJson(ctx)).webhook).toMatchObject({ id: second?.id, url: second?.url });
  });

  it("when the key lacks manage, then it says to pipe a key that has it, exits 4 and changes nothing", async () => {
    const ctx = await configured(sendKey);

    const result = await run(["events", "webhook", TEAM, "--url", BASE], ctx);

    expect(result.code).toBe(4);
    expect(result.stderr).toContain("stored key lacks the manage permission (403)");
    expect(result.stderr).toContain(`echo "$MANAGE_KEY" | npx wa-slack events webhook ${TEAM} --url ${BASE}`);
    expect(result.stdout).toBe("");
    expect(gateway.webhooks).toHaveLength(0);
    expect(await showJson(ctx)).toMatchObject({ mode: "off", webhook: null });
  });

  it("when the piped key is unknown to the gateway, then it says the key was rejected, exit 4", async () => {
    const ctx = await configured(sendKey);

    const result = await run(["events", "webhook", TEAM, "--url", BASE], ctx, { stdin: cli.newApiKey() });

    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/rejected the key on standard input \(401\)/);
  });

  it("when the workspace is not configured, then it says how to configure it, exit 1, and the gateway is not called", async () => {
    const ctx = cli.workspaceFolder({ GATEWAY_URL: gateway.url });

    const result = await run(["events", "webhook", "T0NEW", "--url", BASE], ctx, { stdin: manageKey });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Workspace T0NEW is not configured");
    expect(result.stderr).toContain('echo "$KEY" | npx wa-slack workspace set T0NEW');
    expect(gateway.requests).toHaveLength(0);
  });

  it.each([
    ["http://wa-slack.example.com", /must start with https:\/\//],
    ["wa-slack.example.com", /not an absolute URL/],
    ["https://wa-slack.example.com/?team=1", /query/],
    ["https://wa-slack.example.com/#top", /fragment/],
    ["https://ops:hunter2@wa-slack.example.com", /user name or password/],
    [`https://wa-slack.example.com/gateway/events/${TEAM}`, /base URL only/],
  ])(
    "when --url is %s, then it is refused with the usage, exit 2, before anything is read or called",
    async (url, message) => {
      const ctx = await configured(allKey);

      const result = await run(["events", "webhook", TEAM, "--url", url], ctx, { stdin: manageKey });

      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain("Usage: ");
      expect(result.stderr).not.toContain("hunter2");
      expect(gateway.requests).toHaveLength(0);
    },
  );

  it.each([
    [["events", "webhook", TEAM], /Missing --url <public base URL>/],
    [["events", "webhook", "--url", BASE], /Missing <team_id>/],
    [["events", "webhook", "team-a", "--url", BASE], /not a Slack team id/],
  ])("when run with %j, then it explains with the usage, exit 2", async (argv, message) => {
    const result = await run(argv, await configured(allKey));

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("when the key is given as an argument, then it is refused without being echoed", async () => {
    const ctx = await configured(allKey);

    const result = await run(["events", "webhook", TEAM, manageKey, "--url", BASE], ctx);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/standard input only/);
    expect(gateway.requests).toHaveLength(0);
  });

  it("when the piped key is malformed, then it is refused without repeating it, exit 2", async () => {
    const ctx = await configured(allKey);

    const result = await run(["events", "webhook", TEAM, "--url", BASE], ctx, {
      stdin: `${manageKey} ${manageKey}`,
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no spaces/);
    expect(gateway.requests).toHaveLength(0);
  });

  it("when the gateway cannot be reached, then it says to check GATEWAY_URL, exit 4", async () => {
    const ctx = await configured(allKey);

    const result = await run(
      ["events", "webhook", TEAM, "--url", BASE],
      { ...ctx, env: { ...ctx.env, GATEWAY_URL: "http://127.0.0.1:1" } },
      { stdin: manageKey },
    );

    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/could not be reached.*Check GATEWAY_URL/s);
    expect((await showJson(ctx)).mode).toBe("off");
  });
});

describe("events realtime and off", () => {
  it("when realtime is chosen and the stored key may delete the webhook, then it is deleted and the mode is realtime", async () => {
    const ctx = await configured(allKey);
    await run(["events", "webhook", TEAM, "--url", BASE], ctx);
    const webhookId = gateway.webhooks[0]?.id;

    const result = await run(["events", "realtime", TEAM], ctx);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("realtime WebSocket");
    expect(result.stdout).toContain(`The previous webhook ${webhookId} was deleted at the gateway.`);
    expect(result.stderr).toBe("");
    expect(gateway.webhooks).toHaveLength(0);
    expect(await showJson(ctx)).toMatchObject({ mode: "realtime", webhook: null, updatedBy: "cli" });
  });

  it("when the stored key may not delete the webhook, then realtime is still chosen and a warning names the webhook", async () => {
    const ctx = await configured(sendKey);
    await run(["events", "webhook", TEAM, "--url", BASE], ctx, { stdin: manageKey });
    const webhookId = gateway.webhooks[0]?.id as string;

    const result = await run(["events", "realtime", TEAM], ctx);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `Warning: the previous webhook ${webhookId} (${HOOK_URL}) is still registered`,
    );
    expect(result.stderr).toContain("lacks the manage permission");
    expect(result.stderr).toContain(`DELETE /api/v1/webhooks/${webhookId}`);
    expect(gateway.webhooks).toHaveLength(1);
    expect(await showJson(ctx)).toMatchObject({
      mode: "realtime",
      webhook: { id: webhookId, url: HOOK_URL, secretSet: false },
    });
    expect((await run(["events", "show", TEAM], ctx)).stdout).toContain("left at the gateway");

    // A later registration with a manage key clears what was left behind.
    const webhook = await run(["events", "webhook", TEAM, "--url", BASE], ctx, { stdin: manageKey });
    expect(webhook.stdout).toContain(`The previous webhook ${webhookId} was deleted at the gateway.`);
    expect(gateway.webhooks.map((w) => w.id)).not.toContain(webhookId);
  });

  it("when events are turned off, then the webhook is deleted and show says off", async () => {
    const ctx = await configured(allKey);
    await run(["events", "webhook", TEAM, "--url", BASE], ctx);

    const result = await run(["events", "off", TEAM], ctx);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Workspace ${TEAM} receives no events now`);
    expect(gateway.webhooks).toHaveLength(0);
    const show = await run(["events", "show", TEAM], ctx);
    expect(show.stdout).toMatch(/Events: {6}off/);
    expect(show.stdout).toMatch(/Webhook: {5}none/);
  });

  it("when realtime or off name an unknown workspace, then exit 1", async () => {
    const ctx = cli.workspaceFolder({ GATEWAY_URL: gateway.url });
    for (const sub of ["realtime", "off", "show"]) {
      const result = await run(["events", sub, "T0NONE"], ctx);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Workspace T0NONE is not configured");
    }
  });
});

describe("events show", () => {
  it("when events arrived, then show tells the mode, the webhook without its secret, the last event and the inbox", async () => {
    const ctx = await configured(allKey);
    await run(["events", "webhook", TEAM, "--url", BASE], ctx);
    const webhook = gateway.webhooks[0];
    const secret = cli.secret(webhook?.secret as string);
    const store = await openStore(ctx);
    const arrivedAt = new Date("2025-06-01T12:00:00.000Z");
    const key = { workspaceId: TEAM, sessionId: "S1", chatJid: "120363012345678901@g.us" };
    for (const eventId of ["evt_01A", "evt_01B", "evt_01C"]) {
      await store.acceptEvent({
        ...key,
        eventId,
        eventType: "message",
        waMessageId: eventId,
        envelope: "{}",
        receivedAt: arrivedAt,
      });
    }
    const [first] = await store.pendingEvents(key, 1);
    await store.finishEvent(first?.id as number, "parked", "could not render");
    await store.recordEventArrival({ workspaceId: TEAM, lastEventId: "evt_01C", lastEventAt: arrivedAt });
    await store.close();

    const text = await run(["events", "show", TEAM], ctx);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Workspace:   ${TEAM}`);
    expect(text.stdout).toMatch(/Events: {6}webhook/);
    expect(text.stdout).toContain(`Webhook:     ${webhook?.id} -> ${HOOK_URL} (secret: set)`);
    expect(text.stdout).toContain("Last event:  evt_01C at 2025-06-01T12:00:00.000Z");
    expect(text.stdout).toContain("Inbox:       2 pending, 1 parked");
    expect(text.stdout).toMatch(/Changed by: {2}cli at \d{4}-/);

    const json = await showJson(ctx);
    expect(json).toEqual({
      workspaceId: TEAM,
      mode: "webhook",
      webhook: { id: webhook?.id, url: HOOK_URL, secretSet: true },
      lastEvent: { id: "evt_01C", at: "2025-06-01T12:00:00.000Z" },
      inbox: { pending: 2, parked: 1 },
      updatedBy: "cli",
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(JSON.stringify(json)).not.toContain(secret);
  });

  it("when the mode was never chosen, then show says off and never set", async () => {
    const ctx = await configured(sendKey);

    const show = await run(["events", "show", TEAM], ctx);

    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/Events: {6}off/);
    expect(show.stdout).toContain("Last event:  none yet");
    expect(show.stdout).toContain("Changed by:  never set");
  });
});

describe("events configuration", () => {
  it("when GATEWAY_URL is missing, then events commands name it, exit 2, and workspace commands still run", async () => {
    const ctx = await configured(sendKey);
    const withoutGateway = { ...ctx, env: { ...ctx.env, GATEWAY_URL: undefined } };

    for (const argv of [
      ["events", "show", TEAM],
      ["events", "off", TEAM],
      ["events", "realtime", TEAM],
    ]) {
      const result = await run(argv, withoutGateway);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("GATEWAY_URL is required");
    }
    const webhook = await run(["events", "webhook", TEAM, "--url", BASE], withoutGateway, {
      stdin: manageKey,
    });
    expect(webhook.code).toBe(2);
    expect(webhook.stderr).toContain("GATEWAY_URL is required");

    expect((await run(["workspace", "show", TEAM], withoutGateway)).code).toBe(0);
    expect((await run(["audit", TEAM], withoutGateway)).code).toBe(0);
    expect((await run(["link", "list", TEAM], withoutGateway)).code).toBe(0);
  });
});
