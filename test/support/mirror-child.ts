// The mirror set up and run the way an operator does it, for tests that kill the app: the operator CLI
// (run in-process, as `npx wa-slack …` would run) saves the workspace, registers the webhook and links
// the chats on the app's database; the built app (`node dist/main.js`) runs as one or more child
// processes on that database, against the fake gateway and the fake Slack.
import { Readable } from "node:stream";
import { runCli } from "../../src/cli/main.js";
import { type GatewaySimulator, startGatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import { type SlackStandIn, startSlackStandIn } from "../../src/sandbox/slack/web-api.js";
import {
  ADMIN,
  API_KEY,
  BOT_TOKEN,
  ENCRYPTION_KEY,
  MEMBER,
  SESSION,
  SIGNING_SECRET,
  TEAM,
} from "./app-harness.js";
import { MANAGE_KEY, ORG } from "./mirror-helpers.js";
import { type ChildApp, spawnBuiltApp } from "./reliability-child.js";

export interface MirrorWorld {
  gateway: GatewaySimulator;
  slack: SlackStandIn;
  databaseUrl: string;
  /** Where the CLI and the app run (the CLI reads `.env` there; the app's relative paths start there). */
  cwd: string;
  /** Runs `wa-slack <argv>` with the app's configuration; `stdin` is what is piped in (a key). */
  operator(argv: string[], stdin?: string): Promise<string>;
  /** The built app on this world's database; port 0 picks a free one (read it from the "up" line). */
  spawnApp(options?: AppOptions): ChildApp;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default debug; trace adds graphile-worker's workers as they start (their ids). */
  logLevel?: string;
}

export async function startMirrorWorld(options: { databaseUrl: string; cwd: string }): Promise<MirrorWorld> {
  const gateway = await startGatewaySimulator();
  gateway.addKey(API_KEY, { org: ORG, permissions: ["send"] });
  gateway.addKey(MANAGE_KEY, { org: ORG, permissions: ["manage"] });
  gateway.addSession(SESSION, { org: ORG });
  const slack = await startSlackStandIn({ teamId: TEAM });
  slack.addUser({ id: ADMIN, teamId: TEAM, isAdmin: true });
  slack.addUser({ id: MEMBER, teamId: TEAM });

  const env = {
    GATEWAY_URL: gateway.url,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    APP_ENCRYPTION_KEY: ENCRYPTION_KEY,
    DATABASE_URL: options.databaseUrl,
  };

  return {
    gateway,
    slack,
    databaseUrl: options.databaseUrl,
    cwd: options.cwd,
    async operator(argv, stdin = "") {
      let stdout = "";
      let stderr = "";
      const code = await runCli(argv, {
        stdin: Readable.from(stdin === "" ? [] : [stdin]),
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        env,
        cwd: options.cwd,
        stdinIsTTY: false,
      });
      if (code !== 0) throw new Error(`wa-slack ${argv.join(" ")} exited ${code}: ${stderr}`);
      return stdout;
    },
    spawnApp({ port = 0, logLevel = "debug" } = {}) {
      return spawnBuiltApp(
        {
          ...env,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          PORT: String(port),
          LOG_LEVEL: logLevel,
        },
        options.cwd,
      );
    },
    async close() {
      await gateway.close();
      await slack.close();
    },
  };
}

/** The workspace saved with its gateway key and session, as `wa-slack workspace set` does. */
export async function configureWorkspace(world: MirrorWorld): Promise<void> {
  await world.operator(["workspace", "set", TEAM, "--session", SESSION], API_KEY);
}

/** Each chat linked to its channel (the channel is made at the fake Slack first: the app must be in it). */
export async function linkChats(
  world: MirrorWorld,
  links: readonly { chat: string; channel: string }[],
): Promise<void> {
  for (const { chat, channel } of links) {
    world.slack.addChannel(channel);
    await world.operator(["link", "add", TEAM, "--channel", channel, "--chat", chat]);
  }
}

/** The webhook registered at the gateway for `baseUrl`, with the manage key piped in. */
export async function registerWebhook(world: MirrorWorld, baseUrl: string): Promise<void> {
  await world.operator(["events", "webhook", TEAM, "--url", baseUrl], MANAGE_KEY);
}

/** Starts the app and waits for it to serve; returns it with its port. */
export async function startApp(
  world: MirrorWorld,
  options: AppOptions = {},
): Promise<{ app: ChildApp; port: number }> {
  const app = world.spawnApp(options);
  const up = await app.waitForLine((line) => line.msg === "wa-slack is up", 20_000);
  return { app, port: Number(up.port) };
}

/** SIGKILL, as the kernel's OOM killer or a pulled plug does it; resolves once the process is gone. */
export async function killHard(app: ChildApp): Promise<number> {
  app.child.kill("SIGKILL");
  const exit = await app.exited;
  return exit.at;
}

/** Everything a child printed, for the secrets check. */
export function outputOf(app: ChildApp): string {
  return app.lines.map((line) => line.raw).join("\n") + app.stderr.join("");
}
