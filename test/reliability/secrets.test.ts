// Secret hygiene over every surface, at LOG_LEVEL=debug: commands, shortcuts, modals, a configuration
// saved with a new key, status, the Home tab, uninstall, and errors of every kind. Then no gateway key,
// bot token, signing secret or encryption key (base64, base64url, hex) may appear in any log line, any
// Slack API argument, any response_url body, any ack, or any gateway request outside its Authorization
// header; and the SQLite file (and its WAL) holds none of them, nor the encryption key's raw bytes.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ViewId } from "../../src/slack/ids.js";
import {
  ADMIN,
  API_KEY,
  BOT_TOKEN,
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  MID,
  OTHER_API_KEY,
  OTHER_SESSION,
  OTHER_TEAM,
  permalink,
  SESSION,
  SIGNING_SECRET,
  startHarness,
  TEAM,
  whatsappMetadata,
} from "../support/app-harness.js";
import { eventually, textOf, wa } from "../support/reliability-app.js";
import { ROOT } from "../support/reliability-child.js";
import {
  encryptionKeyBytes,
  encryptionKeyForms,
  expectNoSecretsLeaked,
  harnessSecrets,
  leaksIn,
} from "../support/reliability-secrets.js";
import { blockAction, messageShortcut, type OpenedView, viewSubmission } from "../support/slack-payloads.js";

// A key of its own whose base64 and base64url forms differ (it has + and /), and which the harness's
// logger does not know: if it stays out of the logs, it is because the app never writes it, not scrubbing.
const ENCRYPTION_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 73 + 251) % 256)).toString(
  "base64",
);
const NEW_KEY = "wa_01J9ZX8K2QHV0M3T6R7P4N5W8C";
const READ_ONLY_KEY = "wa_read_only_key_3e2d1c0b";
const UNKNOWN_KEY = "wa_revoked_key_9a8b7c6d5e";
const TYPED_BAD_KEY = "wa_pasted with a space 1f2e3d";
const NO_SEND_TEAM = "T0000000009";
const BAD_KEY_TEAM = "T0000000008";
const GONE_TEAM = "T0000000007";

const SECRETS = harnessSecrets({
  encryptionKey: ENCRYPTION_KEY,
  extra: [NEW_KEY, READ_ONLY_KEY, UNKNOWN_KEY, TYPED_BAD_KEY],
});

let h: Harness;
const acks: string[] = [];

beforeAll(async () => {
  h = await startHarness({ env: { APP_ENCRYPTION_KEY: ENCRYPTION_KEY, LOG_LEVEL: "debug" } });
  h.gateway.addKey(NEW_KEY, { org: "org_one", permissions: ["send", "read"] });
  h.gateway.addKey(READ_ONLY_KEY, { org: "org_one", permissions: ["read"] });
  h.gateway.addSession("sess_reset", { org: "org_one" });
  h.gateway.addSession("sess_broken", { org: "org_one" });
  h.gateway.addSession("sess_limited", { org: "org_one" });
  h.gateway.setFault("sess_reset", { kind: "reset" });
  h.gateway.setFault("sess_broken", { kind: "malformed_json" });
  h.gateway.setFault("sess_limited", { kind: "rate_limited", retryAfterSeconds: 5 });
  h.slack.addUser({ id: "UBADADMIN1", teamId: BAD_KEY_TEAM, isAdmin: true });
  h.slack.addChannel("CHIDDEN001", { visible: false });
  await h.configure(TEAM);
  await h.configure(OTHER_TEAM, { apiKey: OTHER_API_KEY, session: OTHER_SESSION });
  await h.configure(NO_SEND_TEAM, { apiKey: READ_ONLY_KEY });
  await h.configure(BAD_KEY_TEAM, { apiKey: UNKNOWN_KEY });
  await h.configure(GONE_TEAM);
});
afterAll(async () => {
  await h.close();
});

async function command(text: string, options: Parameters<typeof wa>[2] = {}) {
  const run = await wa(h, text, options);
  acks.push(run.res.body);
  return run;
}

async function replyTo(text: string, options: Parameters<typeof wa>[2] = {}) {
  return textOf(await (await command(text, options)).reply());
}

let shortcutCount = 0;
async function shortcut(callbackId: string, metadata: unknown, extra: { ts?: string } = {}) {
  shortcutCount += 1;
  const responseId = `secrets-shortcut-${shortcutCount}`;
  const res = await h.send.interaction(
    messageShortcut({
      callbackId,
      userId: MEMBER,
      responseUrl: h.slack.responseUrl(responseId),
      ts: extra.ts ?? `1712399999.${String(shortcutCount).padStart(6, "0")}`,
      metadata,
    }),
  );
  acks.push(res.body);
  return responseId;
}

/** The newest modal opened with this callback_id, as the user sees it. */
async function openedModal(callbackId: string): Promise<OpenedView> {
  let found: OpenedView | undefined;
  await eventually(() => {
    const view = [...h.slack.views.values()].reverse().find((v) => v.view.callback_id === callbackId);
    found = view && { ...(view.view as Omit<OpenedView, "id">), id: view.id };
    return found !== undefined;
  }, `a ${callbackId} modal is open`);
  if (!found) throw new Error("unreachable");
  return found;
}

async function submit(view: OpenedView, userId: string, values: Record<string, Record<string, unknown>>) {
  const res = await h.send.interaction(viewSubmission({ view, userId, values }));
  acks.push(res.body);
  return res;
}

function configValues(apiKey: string) {
  return {
    api_key: { api_key_input: { type: "plain_text_input", value: apiKey } },
    session: { session_input: { type: "plain_text_input", value: SESSION } },
    visibility: { visibility_input: { type: "radio_buttons", selected_option: { value: "ephemeral" } } },
  };
}

function event(team: string, body: Record<string, unknown>) {
  return h.send.eventCallback({ teamId: team, event: body });
}

describe("every surface, at debug level", () => {
  it("when the encryption key is chosen for this file, then its base64 and base64url forms differ", () => {
    const [base64, , base64url] = encryptionKeyForms(ENCRYPTION_KEY);
    expect(base64).not.toBe(base64url);
    expect(h.config.logLevel).toBe("debug");
  });

  it("when /wa is used for help, mistakes, every action and status, then each is answered", async () => {
    h.slack.addMessage(CHANNEL, { ts: "1712390000.000001", metadata: whatsappMetadata() });
    h.slack.addMessage(CHANNEL, {
      ts: "1712390000.000002",
      metadata: whatsappMetadata({
        poll: { name: "Lunch?", options: ["Pizza", "Sushi"], selectable_count: 1 },
      }),
    });
    h.slack.addMessage(CHANNEL, { ts: "1712390000.000003", text: "no metadata" });
    await command("help");
    await command("react --chat nonsense");
    expect(await replyTo(`react --chat ${GROUP_CHAT} --mid ${MID} :+1::skin-tone-3:`)).toContain("sent");
    expect(await replyTo(`react ${permalink(CHANNEL, "1712390000.000001")} 🎉`)).toContain("sent");
    expect(await replyTo(`unreact --chat ${GROUP_CHAT} --mid ${MID}`)).toMatch(/removed/i);
    expect(await replyTo(`vote ${permalink(CHANNEL, "1712390000.000002")} Sushi`)).toContain("Sushi");
    expect(await replyTo(`vote --chat ${GROUP_CHAT} --mid ${MID} --clear`)).toContain("validation_error");
    await command(`vote ${permalink(CHANNEL, "1712390000.000002")}`);
    await openedModal(ViewId.vote);
    expect(await replyTo("status")).toContain(`wa_…${API_KEY.slice(-4)}`);
    expect(await replyTo("status", { team: OTHER_TEAM })).toContain(`wa_…${OTHER_API_KEY.slice(-4)}`);
    expect(await replyTo(`react --chat ${GROUP_CHAT} --mid ${MID} 👍`, { team: OTHER_TEAM })).toContain(
      "sent",
    );
  });

  it("when errors of every kind happen, then each is answered in plain words", async () => {
    const expectations: [string, Parameters<typeof wa>[2], RegExp][] = [
      [`react --chat ${GROUP_CHAT} --mid ${MID} 👍`, { team: "T0NOCONFIG" }, /not_configured/],
      [`react --chat ${GROUP_CHAT} --mid ${MID} 👍`, { team: BAD_KEY_TEAM }, /unauthorized/],
      [`react --chat ${GROUP_CHAT} --mid ${MID} 👍`, { team: NO_SEND_TEAM }, /forbidden/],
      [`react --chat ${GROUP_CHAT} --mid ${MID} --session ${OTHER_SESSION} 👍`, {}, /not_found/],
      [`react --chat ${GROUP_CHAT} --mid ${MID} --session sess_limited 👍`, {}, /rate_limited/],
      [`react --chat ${GROUP_CHAT} --mid ${MID} --session sess_broken 👍`, {}, /gateway_protocol_error/],
      [`react --chat ${GROUP_CHAT} --mid ${MID} --session sess_reset 👍`, {}, /gateway_no_answer/],
      [`react --chat 123@s.whatsapp.net.invalid --mid ${MID} 👍`, {}, /.+/],
      [`react ${permalink("CHIDDEN001", "1712390000.000009")} 👍`, {}, /channel_not_visible/],
      [`react ${permalink(CHANNEL, "1712390000.000003")} 👍`, {}, /no_whatsapp_metadata/],
      [`react ${permalink(CHANNEL, "1712390000.000404")} 👍`, {}, /message_not_found/],
      ["config", { user: MEMBER }, /admins and owners/],
      ["status", { team: BAD_KEY_TEAM }, /unauthorized/],
    ];
    for (const [text, options, words] of expectations) {
      const run = await command(text, options);
      // An action's ack is a "Sending…" note, and its outcome follows; anything else is answered in the ack or after it.
      const acked = run.res.body;
      const answer = acked === "" || acked.includes("Sending") ? textOf(await run.reply()) : acked;
      expect(answer).toMatch(words);
    }
    h.slack.setFault("views.open", { kind: "error", error: "expired_trigger_id", times: 1 });
    expect(await replyTo("config", { user: ADMIN })).toContain("expired_trigger_id");
    h.slack.setFault("views.open", { kind: "ratelimited", retryAfterSeconds: 9, times: 1 });
    expect(await replyTo("config", { user: ADMIN })).toContain("slack_rate_limited");
  });

  it("when the shortcuts, their modals and a quick reaction are used, then each acts", async () => {
    const unreact = await shortcut("wa_unreact", whatsappMetadata());
    expect(textOf(await h.slack.waitForResponse((p) => p.id === unreact, 15_000))).toMatch(/removed/i);

    await shortcut("wa_react", whatsappMetadata());
    const react = await openedModal(ViewId.react);
    await submit(react, MEMBER, {
      emoji: { emoji_input: { type: "plain_text_input", value: "not an emoji" } },
    });
    await submit(react, MEMBER, { emoji: { emoji_input: { type: "plain_text_input", value: ":heart:" } } });
    const quick = await h.send.interaction(
      blockAction({
        view: react,
        userId: MEMBER,
        actionId: "quick_reaction:0",
        blockId: "quick_reactions",
        value: "👍",
      }),
    );
    acks.push(quick.body);

    await shortcut(
      "wa_vote",
      whatsappMetadata({ poll: { name: "Lunch?", options: ["Pizza", "Sushi"], selectable_count: 1 } }),
    );
    const vote = await openedModal(ViewId.vote);
    await submit(vote, MEMBER, {
      options: { options_input: { type: "radio_buttons", selected_option: { value: "1" } } },
    });
    await shortcut("wa_react", undefined, { ts: "1712390000.000003" });
    await eventually(
      () => JSON.stringify(h.slack.calls).includes("no_whatsapp_metadata"),
      "the no-metadata modal",
    );
    expect(await h.app.inFlight.drain(10_000)).toBe(true);
  });

  it("when an admin saves a new key in the configuration modal, then the key is used from then on and shown only masked", async () => {
    await command("config", { user: ADMIN });
    const modal = await openedModal(ViewId.config);
    expect(JSON.stringify(modal)).not.toContain(API_KEY);
    const bad = await submit(modal, ADMIN, configValues(TYPED_BAD_KEY));
    expect(bad.json()).toMatchObject({ response_action: "errors" });
    const saved = await submit(modal, ADMIN, configValues(NEW_KEY));
    expect(saved.status).toBe(200);
    await eventually(
      async () => (await h.services.workspaces.get(TEAM))?.apiKey === NEW_KEY,
      "the new key is saved",
    );
    expect(await replyTo("status")).toContain(`wa_…${NEW_KEY.slice(-4)}`);
    await command(`react --chat ${GROUP_CHAT} --mid MID_NEW_KEY 👍`).then((run) => run.reply());
    const used = h.gateway.requests.filter((r) => r.path.includes("/MID_NEW_KEY/"));
    expect(used.map((r) => r.headers.authorization)).toEqual([`Bearer ${NEW_KEY}`]);
  });

  it("when the Home tab opens and a workspace uninstalls, then both are handled", async () => {
    const home = await event(TEAM, {
      type: "app_home_opened",
      user: ADMIN,
      channel: "D0000000001",
      tab: "home",
    });
    acks.push(home.body);
    await h.slack.waitForCall("views.publish", (c) => c.args.user_id === ADMIN);
    const gone = await event(GONE_TEAM, { type: "app_uninstalled" });
    acks.push(gone.body);
    await eventually(
      async () => (await h.services.workspaces.get(GONE_TEAM)) === undefined,
      "the workspace is forgotten",
    );
    expect(await h.app.inFlight.drain(10_000)).toBe(true);
  });
});

describe("what the app produced", () => {
  it("when everything above has run, then no secret is in a log line, a Slack call, a response_url body, an ack or a gateway request", () => {
    expectNoSecretsLeaked(h, SECRETS);
    expect(leaksIn(acks.join("\n"), SECRETS)).toEqual([]);
    // Every gateway key went to the gateway, and only in the Authorization header.
    const authorizations = new Set(h.gateway.requests.map((r) => r.headers.authorization));
    for (const key of [API_KEY, NEW_KEY, OTHER_API_KEY, READ_ONLY_KEY, UNKNOWN_KEY]) {
      expect(authorizations).toContain(`Bearer ${key}`);
    }
    // The bot token went to Slack, and only in its Authorization header (the fake lifts it into `token`).
    expect(h.slack.calls.every((c) => c.token === BOT_TOKEN)).toBe(true);
    // And the run was big enough to mean something.
    expect(h.logs.length).toBeGreaterThan(300);
    expect(h.logs.some((l) => l.includes('"level":20'))).toBe(true);
  });

  it("when the SQLite file and its WAL are read as bytes, then no key, token or secret is in them", () => {
    const file = h.config.databaseUrl.replace(/^sqlite:/, "");
    const files = [file, `${file}-wal`].filter(existsSync);
    const bytes = files.map((f) => readFileSync(f).toString("latin1")).join("\n");
    expect(bytes).toContain(TEAM);
    const raw = encryptionKeyBytes(ENCRYPTION_KEY).toString("latin1");
    expect(leaksIn(bytes, [...SECRETS, raw, SIGNING_SECRET])).toEqual([]);
    for (const key of [API_KEY, NEW_KEY, READ_ONLY_KEY, UNKNOWN_KEY, OTHER_API_KEY]) {
      // Not even the tail that a masked key shows next to the prefix.
      expect(bytes).not.toContain(key.slice(3));
    }
  });
});

describe("the suite itself", () => {
  // Every file that runs the app through the harness also proves, on everything that app said, that no
  // secret leaked: the check covers every surface those files drive, not only the ones above.
  // Every test file anywhere under test/ that starts the app harness.
  const CHECKED = readdirSync(join(ROOT, "test"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => join("test", f))
    .filter((file) => readFileSync(join(ROOT, file), "utf8").includes("startHarness("));

  it("when a reliability or integration test file starts the app harness, then it checks the harness's output for secrets", () => {
    const unchecked = CHECKED.filter((file) => {
      const text = readFileSync(join(ROOT, file), "utf8");
      return text.includes("startHarness(") && !text.includes("expectNoSecretsLeaked(");
    });
    expect(unchecked).toEqual([]);
    expect(CHECKED.length).toBeGreaterThan(8);
  });
});
