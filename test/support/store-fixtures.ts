// Shared bits for store tests: a silent logger, fresh keys, temp folders, sample records.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Installation } from "@slack/bolt";
import { createLogger, type Logger } from "../../src/logger.js";

export function silentLogger(): Logger {
  return createLogger({ level: "silent", pretty: false });
}

/** A logger whose lines land in `lines`, to check what the store reports. */
export function capturingLogger(lines: string[], level = "info"): Logger {
  return createLogger({
    level,
    pretty: false,
    destination: { write: (line: string) => void lines.push(line) },
  });
}

export function randomKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** A temp folder, removed by the returned cleanup. */
export function tempFolder(prefix = "wa-slack-store-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Looks like a real gateway key; the random tail makes a leak easy to find in raw bytes. */
export function sampleApiKey(): string {
  return `wa_live_${randomBytes(18).toString("hex")}`;
}

export function sampleBotToken(): string {
  return `xoxb-1111-2222-${randomBytes(12).toString("hex")}`;
}

export function sampleInstallation(teamId: string, botToken = sampleBotToken()): Installation<"v2", false> {
  return {
    team: { id: teamId, name: "Acme" },
    enterprise: undefined,
    user: { id: "U0INSTALLER", token: undefined, scopes: undefined },
    bot: { token: botToken, scopes: ["commands", "chat:write"], id: "B0BOT", userId: "U0BOT" },
    appId: "A0APP",
    tokenType: "bot",
    isEnterpriseInstall: false,
    authVersion: "v2",
  };
}

export function sampleOrgInstallation(
  enterpriseId: string,
  botToken = sampleBotToken(),
): Installation<"v2", true> {
  return {
    team: undefined,
    enterprise: { id: enterpriseId, name: "Acme Org" },
    user: { id: "U0ORGADMIN", token: `xoxp-9-${randomBytes(8).toString("hex")}`, scopes: ["identify"] },
    bot: { token: botToken, scopes: ["commands"], id: "B0ORG", userId: "U0ORGBOT" },
    appId: "A0APP",
    tokenType: "bot",
    isEnterpriseInstall: true,
    authVersion: "v2",
  };
}
