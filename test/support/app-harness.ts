// Runs the real app the way main.ts does (same config parsing, same services, HTTP receiver on a
// loopback port) against a fake gateway and a fake Slack Web API, and captures every log line.
// With `socketMode`, the app runs in Socket Mode instead, against a fake Socket Mode server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { request } from "undici";
import { type AppTuning, type RunningApp, startApp } from "../../src/app.js";
import { type AppConfig, parseAppConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type GatewaySimulator, startGatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import { createSlackSender, type SlackSender } from "../../src/sandbox/slack/signed-requests.js";
import { type SlackStandIn, startSlackStandIn } from "../../src/sandbox/slack/web-api.js";
import { createServices } from "../../src/services.js";
import { type FakeSocketMode, startFakeSocketMode } from "./fake-socket-mode.js";

export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const BOT_TOKEN = "xoxb-test-bot-token-0001";
export const APP_TOKEN = "xapp-1-A0000000001-1234567890-0a1b2c3d4e5f";
export const ENCRYPTION_KEY = Buffer.alloc(32, 42).toString("base64url");
export const TEAM = "T0000000001";
export const OTHER_TEAM = "T0000000002";
export const ADMIN = "UADMIN0001";
export const MEMBER = "UMEMBER001";
export const CHANNEL = "C0000000001";
export const API_KEY = "wa_live_key_team_one_9f8e";
export const OTHER_API_KEY = "wa_live_key_team_two_7c6d";
export const SESSION = "sess_01HZX8K3M9";
export const OTHER_SESSION = "sess_02OTHERORG";
export const GROUP_CHAT = "120363012345678901@g.us";
export const MID = "3EB0C431C26A1916E07A";
export const SENDER = "6281234567890@s.whatsapp.net";

export interface Harness {
  app: RunningApp;
  appUrl: string;
  config: AppConfig;
  gateway: GatewaySimulator;
  slack: SlackStandIn;
  send: SlackSender;
  services: Awaited<ReturnType<typeof createServices>>;
  logs: string[];
  /** Configure a workspace as an admin would (key sealed through the real directory). */
  configure(
    teamId: string,
    settings?: { apiKey?: string; session?: string; visibility?: "channel" | "ephemeral" },
  ): Promise<void>;
  /**
   * Stops the app as SIGTERM would and starts it again on the same database, fakes and settings (a
   * deploy, or a crash and restart); `app`, `appUrl`, `services` and `send` then are the new ones.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Default: a fresh SQLite file in a temp folder. */
  databaseUrl?: string;
  logLevel?: string;
  /** Limits lowered so a test reaches them with a few requests. */
  tuning?: AppTuning;
  /**
   * Socket Mode (SLACK_APP_TOKEN, no signing secret) against a fake Socket Mode server. The harness
   * returns once the app is ready (connected), unless `holdHello` keeps it connecting.
   */
  socketMode?: true | { holdHello: true };
}

export interface SocketModeHarness extends Harness {
  socket: FakeSocketMode;
}

export function startHarness(
  options: HarnessOptions & { socketMode: NonNullable<HarnessOptions["socketMode"]> },
): Promise<SocketModeHarness>;
export function startHarness(options?: HarnessOptions): Promise<Harness>;
export async function startHarness(
  options: HarnessOptions = {},
): Promise<Harness & { socket: FakeSocketMode | undefined }> {
  const gateway = await startGatewaySimulator();
  const slack = await startSlackStandIn({ teamId: TEAM, appToken: APP_TOKEN });
  const socket = options.socketMode ? await startFakeSocketMode(slack) : undefined;
  if (socket && options.socketMode !== true) socket.holdHello();
  const dir = mkdtempSync(join(tmpdir(), "wa-slack-test-"));
  const transport = socket ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET };
  const config = parseAppConfig({
    GATEWAY_URL: gateway.url,
    ...transport,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    APP_ENCRYPTION_KEY: ENCRYPTION_KEY,
    DATABASE_URL: options.databaseUrl ?? `sqlite:${join(dir, "wa-slack.db")}`,
    PORT: "0",
    LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? "debug",
    ...options.env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({
    level: config.logLevel,
    destination,
    secrets: [SIGNING_SECRET, ENCRYPTION_KEY],
  });
  let services = await createServices(config, logger);
  let app = await startApp(config, services, options.tuning);
  let appUrl = `http://127.0.0.1:${app.port}`;
  if (options.socketMode === true) await waitUntilReady(appUrl);

  gateway.addKey(API_KEY, { org: "org_one", permissions: ["send"] });
  gateway.addKey(OTHER_API_KEY, { org: "org_two", permissions: ["send", "read"] });
  gateway.addSession(SESSION, { org: "org_one" });
  gateway.addSession(OTHER_SESSION, { org: "org_two" });
  slack.addUser({ id: ADMIN, teamId: TEAM, isAdmin: true });
  slack.addUser({ id: MEMBER, teamId: TEAM });
  slack.addChannel(CHANNEL);

  const harness: Harness & { socket: FakeSocketMode | undefined } = {
    socket,
    app,
    appUrl,
    config,
    gateway,
    slack,
    send: createSlackSender(appUrl, SIGNING_SECRET),
    services,
    logs,
    async configure(teamId, settings = {}) {
      await services.workspaces.save(
        teamId,
        {
          apiKey: settings.apiKey ?? API_KEY,
          defaultSessionId: settings.session ?? SESSION,
          visibility: settings.visibility ?? "ephemeral",
        },
        ADMIN,
      );
    },
    async restart() {
      await app.stop(2000);
      await services.close();
      // On the same port, as a restarted deployment would be: the gateway's webhook points there.
      const samePort = { ...config, port: app.port };
      services = await createServices(samePort, logger);
      app = await startApp(samePort, services, options.tuning);
      appUrl = `http://127.0.0.1:${app.port}`;
      if (options.socketMode === true) await waitUntilReady(appUrl);
      Object.assign(harness, { app, appUrl, services, send: createSlackSender(appUrl, SIGNING_SECRET) });
    },
    async close() {
      await app.stop(2000);
      await services.close();
      await gateway.close();
      await socket?.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Polls /readyz: in Socket Mode the app connects in the background after startApp returns. */
async function waitUntilReady(appUrl: string, timeoutMs = 15_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(`${appUrl}/readyz`);
    await res.body.dump();
    if (res.statusCode === 200) return;
    if (Date.now() > giveUp) throw new Error(`the app was not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Slack metadata for a Slack message that stands for a WhatsApp message. */
export function whatsappMetadata(overrides: Record<string, unknown> = {}) {
  return {
    event_type: "whatsapp_message",
    event_payload: { session_id: SESSION, chat: GROUP_CHAT, message_id: MID, sender: SENDER, ...overrides },
  };
}

export function permalink(channel: string, ts: string, threadTs?: string): string {
  const base = `https://acme.slack.com/archives/${channel}/p${ts.replace(".", "")}`;
  return threadTs ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}
