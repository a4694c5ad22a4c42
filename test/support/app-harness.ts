// Runs the real app the way main.ts does (same config parsing, same services, HTTP receiver on a
// loopback port) against a fake gateway and a fake Slack Web API, and captures every log line.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type AppTuning, type RunningApp, startApp } from "../../src/app.js";
import { type AppConfig, parseAppConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createServices } from "../../src/services.js";
import { type FakeGateway, startFakeGateway } from "./fake-gateway.js";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";
import { createSlackSender, type SlackSender } from "./slack-requests.js";

export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const BOT_TOKEN = "xoxb-test-bot-token-0001";
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
  gateway: FakeGateway;
  slack: FakeSlack;
  send: SlackSender;
  services: Awaited<ReturnType<typeof createServices>>;
  logs: string[];
  /** Configure a workspace as an admin would (key sealed through the real directory). */
  configure(
    teamId: string,
    settings?: { apiKey?: string; session?: string; visibility?: "channel" | "ephemeral" },
  ): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Default: a fresh SQLite file in a temp folder. */
  databaseUrl?: string;
  logLevel?: string;
  /** Limits lowered so a test reaches them with a few requests. */
  tuning?: AppTuning;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const gateway = await startFakeGateway();
  const slack = await startFakeSlack({ teamId: TEAM });
  const dir = mkdtempSync(join(tmpdir(), "wa-slack-test-"));
  const config = parseAppConfig({
    GATEWAY_URL: gateway.url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
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
  const services = await createServices(config, logger);
  const app = await startApp(config, services, options.tuning);
  const appUrl = `http://127.0.0.1:${app.port}`;

  gateway.addKey(API_KEY, { org: "org_one", permissions: ["send"] });
  gateway.addKey(OTHER_API_KEY, { org: "org_two", permissions: ["send", "read"] });
  gateway.addSession(SESSION, { org: "org_one" });
  gateway.addSession(OTHER_SESSION, { org: "org_two" });
  slack.addUser({ id: ADMIN, teamId: TEAM, isAdmin: true });
  slack.addUser({ id: MEMBER, teamId: TEAM });
  slack.addChannel(CHANNEL);

  return {
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
    async close() {
      await app.stop(2000);
      await services.close();
      await gateway.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
