// SIGTERM to the built app (`node dist/main.js`) in Socket Mode before it is fully started: while the
// socket cannot connect (apps.connections.open keeps failing), and while start-up itself still waits on
// Slack. Either way the app stops cleanly and exits 0, with no stack trace.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GatewaySimulator, startGatewaySimulator } from "../../src/sandbox/gateway/simulator.js";
import { type SlackStandIn, startSlackStandIn } from "../../src/sandbox/slack/web-api.js";
import { APP_TOKEN, BOT_TOKEN, ENCRYPTION_KEY, TEAM } from "../support/app-harness.js";
import { type FakeSocketMode, startFakeSocketMode } from "../support/fake-socket-mode.js";
import { type ChildApp, ensureBuilt, spawnBuiltApp } from "../support/reliability-child.js";
import { harnessSecrets, leaksIn } from "../support/reliability-secrets.js";

let gateway: GatewaySimulator;
let slack: SlackStandIn;
let socket: FakeSocketMode;
let dir: string;
let app: ChildApp | undefined;

beforeAll(async () => {
  ensureBuilt();
  gateway = await startGatewaySimulator();
  slack = await startSlackStandIn({ teamId: TEAM, appToken: APP_TOKEN });
  socket = await startFakeSocketMode(slack);
  dir = mkdtempSync(join(tmpdir(), "wa-slack-socket-shutdown-"));
});

beforeEach(() => {
  // Slack's Socket Mode endpoint is down: the client keeps retrying, so the app never connects.
  slack.setFault("apps.connections.open", { kind: "http", status: 503 });
});

afterEach(() => {
  if (app && app.child.exitCode === null) app.child.kill("SIGKILL");
  slack.clearFaults();
  slack.reset();
});

afterAll(async () => {
  await socket.close();
  await slack.close();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

function spawnSocketModeApp(): ChildApp {
  app = spawnBuiltApp(
    {
      GATEWAY_URL: gateway.url,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      APP_ENCRYPTION_KEY: ENCRYPTION_KEY,
      DATABASE_URL: `sqlite:${join(dir, "wa-slack.db")}`,
      PORT: "0",
      LOG_LEVEL: "debug",
    },
    dir,
  );
  return app;
}

async function get(port: number, path: string): Promise<{ status: number; body: unknown }> {
  const res = await request(`http://127.0.0.1:${port}${path}`);
  return { status: res.statusCode, body: await res.body.json() };
}

function expectCleanOutput(child: ChildApp) {
  const stderr = child.stderr.join("");
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain("failed to start");
  const output = child.lines.map((l) => l.raw).join("\n") + stderr;
  expect(leaksIn(output, harnessSecrets({ extra: [APP_TOKEN] }))).toEqual([]);
  expect(child.lines.some((l) => l.json?.msg === "stopped")).toBe(true);
}

describe("SIGTERM in Socket Mode before the app is connected", () => {
  it("when SIGTERM comes while the socket cannot connect, then the app, up but not ready, stops and exits 0", async () => {
    const child = spawnSocketModeApp();
    const up = await child.waitForLine((l) => l.msg === "wa-slack is up");
    const port = Number(up.port);
    expect(up.mode).toBe("socket");
    const open = await slack.waitForCall("apps.connections.open", undefined, 15_000);
    expect(open.token).toBe(APP_TOKEN);
    expect(await get(port, "/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await get(port, "/readyz")).toEqual({ status: 503, body: { status: "connecting to Slack" } });

    child.child.kill("SIGTERM");
    expect(await child.exited).toMatchObject({ code: 0, signal: null });
    expect(child.lines.some((l) => l.json?.msg === "connected to Slack (Socket Mode)")).toBe(false);
    expect(socket.opened).toBe(0);
    expectCleanOutput(child);
  });

  it("when SIGTERM comes while start-up still waits on Slack (auth.test), then start-up ends, the app stops and exits 0", async () => {
    slack.setFault("auth.test", { kind: "latency", ms: 1500, times: 1 });
    const child = spawnSocketModeApp();
    await slack.waitForCall("auth.test", undefined, 15_000);

    child.child.kill("SIGTERM");
    expect(await child.exited).toMatchObject({ code: 0, signal: null });
    expect(child.lines.some((l) => l.json?.msg === "stopping: start-up interrupted")).toBe(true);
    expectCleanOutput(child);
  });
});
