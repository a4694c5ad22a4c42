import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { ActionId, BlockId, COMMAND, ShortcutId, ViewId } from "../../src/slack/ids.js";
import { REGISTERED } from "../../src/slack/listeners/index.js";
import { BOT_SCOPES } from "../../src/slack/scopes.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8")) as {
  features: {
    slash_commands: { command: string; usage_hint?: string }[];
    shortcuts: { name: string; type: string; callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
};
// Slack's manifest schema lives beside the project (shared/reference), as it does in CI.
const schemaPath = join(root, "..", "shared", "reference", "slack-manifest.schema.1.0.0.json");

describe("manifest.json", () => {
  it.runIf(existsSync(schemaPath))("when checked against Slack's manifest schema, then it is valid", () => {
    const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
    // ajv is CommonJS: under NodeNext the default import is module.exports, whose `default` is the class.
    const ajv = new Ajv.default({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("when compared with the code, then it declares exactly the command the app registers, with a usage hint", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([...REGISTERED.commands]);
    expect(manifest.features.slash_commands[0]?.command).toBe(COMMAND);
    const hint = manifest.features.slash_commands[0]?.usage_hint ?? "";
    for (const sub of ["link", "links", "react", "unreact", "vote", "status", "config", "help"]) {
      expect(hint).toMatch(new RegExp(`(^|\\| )${sub}\\b`));
    }
  });

  it("when compared with the code, then its message shortcuts are exactly the callback_ids the app registers", () => {
    const shortcuts = manifest.features.shortcuts;
    expect(shortcuts.every((s) => s.type === "message")).toBe(true);
    expect(shortcuts.map((s) => s.callback_id).sort()).toEqual([...REGISTERED.messageShortcuts].sort());
    expect(Object.values(ShortcutId).sort()).toEqual([...REGISTERED.messageShortcuts].sort());
    expect(shortcuts.find((s) => s.callback_id === "wa_react")?.name).toBe("React on WhatsApp");
    expect(shortcuts.find((s) => s.callback_id === "wa_unreact")?.name).toBe("Remove WhatsApp reaction");
    expect(shortcuts.find((s) => s.callback_id === "wa_vote")?.name).toBe("Vote in WhatsApp poll");
  });

  it("when compared with the code, then it subscribes to exactly the events the app handles", () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([...REGISTERED.events].sort());
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it("when every id is listed, then each is used by the app outside ids.ts, and every modal and action it registers has one", () => {
    const sources = readSources(join(root, "src")).filter((file) => !file.path.endsWith("/slack/ids.ts"));
    const code = sources.map((file) => file.text).join("\n");
    const groups = { ShortcutId, ViewId, BlockId, ActionId };
    for (const [group, ids] of Object.entries(groups)) {
      for (const key of Object.keys(ids)) {
        expect(code, `${group}.${key} is used nowhere`).toMatch(new RegExp(`\\b${group}\\.${key}\\b`));
      }
    }
    expect([...REGISTERED.viewSubmissions].sort()).toEqual(Object.values(ViewId).sort());
    for (const id of REGISTERED.blockActions) expect(Object.values(ActionId)).toContain(id);
  });

  it("when compared with the code, then it asks for exactly the scopes the features use", () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual([...BOT_SCOPES].sort());
  });
});

function readSources(folder: string): { path: string; text: string }[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return readSources(path);
    return name.endsWith(".ts") ? [{ path, text: readFileSync(path, "utf8") }] : [];
  });
}
