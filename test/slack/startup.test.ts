import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { parseAppConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type SlackStandIn, startSlackStandIn } from "../../src/sandbox/slack/web-api.js";
import { createServices } from "../../src/services.js";
import { BOT_TOKEN, ENCRYPTION_KEY, SIGNING_SECRET } from "../support/app-harness.js";

let slack: SlackStandIn | undefined;
let dir: string | undefined;
afterEach(async () => {
  await slack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function startWith(apiUrl: string) {
  dir = mkdtempSync(join(tmpdir(), "wa-slack-start-"));
  const config = parseAppConfig({
    GATEWAY_URL: "http://127.0.0.1:9",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: apiUrl,
    APP_ENCRYPTION_KEY: ENCRYPTION_KEY,
    DATABASE_URL: `sqlite:${join(dir, "db.sqlite")}`,
    PORT: "0",
  });
  const logger = createLogger({
    level: "silent",
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  });
  const services = await createServices(config, logger);
  try {
    const app = await startApp(config, services);
    await app.stop(100);
  } finally {
    await services.close();
  }
}

describe("starting with a single bot token", () => {
  it("when Slack rejects the token, then the start fails with one clear message naming SLACK_BOT_TOKEN", async () => {
    slack = await startSlackStandIn();
    slack.setFault("auth.test", { kind: "error", error: "invalid_auth" });
    await expect(startWith(slack.apiUrl)).rejects.toThrow(/Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)/);
  });

  it("when Slack cannot be reached, then the start fails saying so instead of crashing later", async () => {
    await expect(startWith("http://127.0.0.1:9/api/")).rejects.toThrow(/Could not reach Slack/);
  });

  it("when the token is good, then the bot's ids are learned once and the app starts", async () => {
    slack = await startSlackStandIn();
    await startWith(slack.apiUrl);
    expect(slack.callsTo("auth.test")).toHaveLength(1);
  });
});
