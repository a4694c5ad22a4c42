// Tenant isolation: the gateway key used for a request is always the one of the workspace whose Slack
// installation authorized it (team, or enterprise for an org-wide install), whoever acts and wherever
// the channel lives; only that workspace's own admins and owners change its configuration; and status
// shows keys masked. The fake gateway records the Authorization header of every call it gets.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeModalContext } from "../../src/slack/blocks/modal-context.js";
import { ViewId } from "../../src/slack/ids.js";
import {
  ADMIN,
  API_KEY,
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  OTHER_API_KEY,
  OTHER_SESSION,
  OTHER_TEAM,
  permalink,
  SENDER,
  SESSION,
  startHarness,
  TEAM,
  whatsappMetadata,
} from "../support/app-harness.js";
import { eventually, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";
import { messageShortcut, viewSubmission } from "../support/slack-payloads.js";
import { sampleInstallation, sampleOrgInstallation } from "../support/store-fixtures.js";

const ENTERPRISE = "E0000000001";
const ORG_KEY = "wa_live_key_org_wide_5b4a";
const ORG_SESSION = "sess_03ORGWIDE";
const THIRD_TEAM = "T0000000003";
/** An admin of OTHER_TEAM, acting in a channel TEAM shares with it (Slack Connect). */
const EXTERNAL_ADMIN = "UEXTADMIN1";

/** The keys the gateway got for the requests about one message id. */
function keysUsedFor(h: Harness, mid: string): string[] {
  return h.gateway.requests
    .filter((r) => r.path.includes(`/messages/${mid}/`))
    .map((r) => String(r.headers.authorization).replace(/^Bearer /, ""));
}

function setUpGateway(h: Harness) {
  h.gateway.addKey(ORG_KEY, { org: "org_three", permissions: ["send"] });
  h.gateway.addSession(ORG_SESSION, { org: "org_three" });
  h.slack.addUser({ id: EXTERNAL_ADMIN, teamId: OTHER_TEAM, isAdmin: true });
}

describe("one bot token serving several workspaces", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    setUpGateway(h);
    await h.configure(TEAM);
    await h.configure(OTHER_TEAM, { apiKey: OTHER_API_KEY, session: OTHER_SESSION });
    await h.configure(ENTERPRISE, { apiKey: ORG_KEY, session: ORG_SESSION });
  });
  afterAll(async () => {
    expectNoSecretsLeaked(h, harnessSecrets({ extra: [ORG_KEY] }));
    await h.close();
  });
  beforeEach(() => {
    h.slack.clearFaults();
  });

  it("when two workspaces act, then each request carries its own workspace's key and never the other's", async () => {
    const one = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_T1 👍`, { team: TEAM });
    const two = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_T2 👍`, { team: OTHER_TEAM });
    expect(textOf(await one.reply())).toContain("sent");
    expect(textOf(await two.reply())).toContain("sent");
    expect(keysUsedFor(h, "MID_T1")).toEqual([API_KEY]);
    expect(keysUsedFor(h, "MID_T2")).toEqual([OTHER_API_KEY]);
  });

  it("when a workspace names another organization's session, then its own key is still the one used, and the gateway says not_found", async () => {
    const run = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_FOREIGN --session ${OTHER_SESSION} 👍`);
    expect(textOf(await run.reply())).toContain("not_found");
    expect(keysUsedFor(h, "MID_FOREIGN")).toEqual([API_KEY]);
  });

  it("when an org-wide install is used from any of its workspaces, then the enterprise's key is used", async () => {
    const run = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_ORG 👍`, {
      team: THIRD_TEAM,
      enterpriseId: ENTERPRISE,
      isEnterpriseInstall: true,
    });
    expect(textOf(await run.reply())).toContain("sent");
    expect(keysUsedFor(h, "MID_ORG")).toEqual([ORG_KEY]);
  });

  it("when a workspace of an enterprise has its own install, then its team key is used, not the enterprise's", async () => {
    const run = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_TEAM_IN_ORG 👍`, {
      team: TEAM,
      enterpriseId: ENTERPRISE,
      isEnterpriseInstall: false,
    });
    expect(textOf(await run.reply())).toContain("sent");
    expect(keysUsedFor(h, "MID_TEAM_IN_ORG")).toEqual([API_KEY]);
  });

  it("when a workspace without its own configuration belongs to a configured enterprise, then it is not configured and no key is borrowed", async () => {
    const run = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_NO_FALLBACK 👍`, {
      team: THIRD_TEAM,
      enterpriseId: ENTERPRISE,
      isEnterpriseInstall: false,
    });
    expect(textOf(await run.reply())).toContain("not_configured");
    expect(keysUsedFor(h, "MID_NO_FALLBACK")).toEqual([]);
  });

  it("when a user from another workspace uses a shortcut in a shared channel, then the key of the workspace that received it is used", async () => {
    const responseId = "iso-shared-shortcut";
    const payload = messageShortcut({
      callbackId: "wa_unreact",
      userId: EXTERNAL_ADMIN,
      responseUrl: h.slack.responseUrl(responseId),
      ts: "1712345678.777777",
      metadata: whatsappMetadata({ message_id: "MID_SHARED" }),
    });
    // The acting user's own team differs from the team the request came to.
    (payload.user as { team_id: string }).team_id = OTHER_TEAM;
    await h.send.interaction(payload);
    await h.slack.waitForResponse((p) => p.id === responseId, 15_000);
    expect(keysUsedFor(h, "MID_SHARED")).toEqual([API_KEY]);
  });

  it("when a modal opened through a shared channel is submitted from the other workspace, then the key of the workspace where the app is installed is used", async () => {
    const responseId = "iso-shared-modal";
    const ctx = {
      workspaceId: TEAM,
      userId: EXTERNAL_ADMIN,
      channelId: CHANNEL,
      responseUrl: h.slack.responseUrl(responseId),
      target: { sessionId: SESSION, chat: GROUP_CHAT, messageId: "MID_SHARED_MODAL", sender: SENDER },
    };
    const payload = viewSubmission({
      view: { id: "VSHARED001", callback_id: ViewId.react, private_metadata: encodeModalContext(ctx) },
      userId: EXTERNAL_ADMIN,
      teamId: OTHER_TEAM,
      values: { emoji: { emoji_input: { type: "plain_text_input", value: "👍" } } },
    });
    (payload.view as Record<string, unknown>).app_installed_team_id = TEAM;
    const res = await h.send.interaction(payload);
    expect(res.status).toBe(200);
    await h.slack.waitForResponse((p) => p.id === responseId, 15_000);
    expect(keysUsedFor(h, "MID_SHARED_MODAL")).toEqual([API_KEY]);
  });

  it("when a form's private_metadata names another workspace, then the key is still the one of the workspace that sent the request", async () => {
    const responseId = "iso-metadata";
    const ctx = {
      workspaceId: OTHER_TEAM,
      userId: MEMBER,
      channelId: CHANNEL,
      responseUrl: h.slack.responseUrl(responseId),
      target: { sessionId: SESSION, chat: GROUP_CHAT, messageId: "MID_METADATA", sender: SENDER },
    };
    await h.send.interaction(
      viewSubmission({
        view: { id: "VMETA00001", callback_id: ViewId.react, private_metadata: encodeModalContext(ctx) },
        userId: MEMBER,
        values: { emoji: { emoji_input: { type: "plain_text_input", value: "👍" } } },
      }),
    );
    await h.slack.waitForResponse((p) => p.id === responseId, 15_000);
    expect(keysUsedFor(h, "MID_METADATA")).toEqual([API_KEY]);
  });

  it("when each workspace asks for its status, then it sees only its own key, masked", async () => {
    const one = textOf(await (await wa(h, "status", { team: TEAM })).reply());
    const two = textOf(await (await wa(h, "status", { team: OTHER_TEAM })).reply());
    expect(one).toContain(`wa_…${API_KEY.slice(-4)}`);
    expect(one).not.toContain(OTHER_API_KEY.slice(-4));
    expect(two).toContain(`wa_…${OTHER_API_KEY.slice(-4)}`);
    expect(two).not.toContain(API_KEY.slice(-4));
    for (const key of [API_KEY, OTHER_API_KEY, ORG_KEY]) {
      expect(one).not.toContain(key);
      expect(two).not.toContain(key);
    }
  });
});

describe("who may change the configuration", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    setUpGateway(h);
    await h.configure(TEAM);
  });
  afterAll(async () => {
    expectNoSecretsLeaked(h, harnessSecrets({ extra: [ORG_KEY, "wa_stolen_key_0000000001"] }));
    await h.close();
  });

  async function submitConfig(userId: string, teamId = TEAM) {
    return h.send.interaction(
      viewSubmission({
        view: { id: "VCONFIG001", callback_id: ViewId.config, private_metadata: "{}" },
        userId,
        teamId,
        values: {
          api_key: { api_key_input: { type: "plain_text_input", value: "wa_stolen_key_0000000001" } },
          session: { session_input: { type: "plain_text_input", value: "sess_stolen" } },
          visibility: { visibility_input: { type: "radio_buttons", selected_option: { value: "channel" } } },
        },
      }),
    );
  }

  async function expectConfigUnchanged() {
    const config = await h.services.workspaces.get(TEAM);
    expect(config?.apiKey).toBe(API_KEY);
    expect(config?.defaultSessionId).toBe(SESSION);
  }

  it("when a member who is not an admin submits the configuration, then it is refused under the key field and nothing changes", async () => {
    const res = await submitConfig(MEMBER);
    expect(res.json()).toMatchObject({
      response_action: "errors",
      errors: { api_key: expect.stringMatching(/admins/) },
    });
    await expectConfigUnchanged();
  });

  it("when an admin of another workspace runs /wa config in a shared channel, then they are refused and no modal opens", async () => {
    const opens = h.slack.callsTo("views.open").length;
    const run = await wa(h, "config", { user: EXTERNAL_ADMIN });
    expect(textOf(await run.reply())).toMatch(/Only workspace admins and owners/);
    expect(h.slack.callsTo("views.open").length).toBe(opens);
  });

  it("when an admin of another workspace submits this workspace's configuration, then it is refused and nothing changes", async () => {
    const res = await submitConfig(EXTERNAL_ADMIN);
    expect(res.json()).toMatchObject({ response_action: "errors" });
    await expectConfigUnchanged();
  });

  it("when this workspace's admin submits it, then it is saved (the check is not simply closed)", async () => {
    const res = await submitConfig(ADMIN);
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    await eventually(
      async () => (await h.services.workspaces.get(TEAM))?.apiKey === "wa_stolen_key_0000000001",
      "saved",
    );
    await h.configure(TEAM);
  });
});

describe("OAuth installs: one bot token per installation", () => {
  let h: Harness;
  const TOKENS = {
    [TEAM]: "xoxb-iso-team-one-0000000001",
    [OTHER_TEAM]: "xoxb-iso-team-two-0000000002",
    [ENTERPRISE]: "xoxb-iso-org-wide-0000000003",
  };

  beforeAll(async () => {
    h = await startHarness({
      env: {
        SLACK_BOT_TOKEN: "",
        SLACK_CLIENT_ID: "1111.2222",
        SLACK_CLIENT_SECRET: "oauth-client-secret-0123456789",
        SLACK_STATE_SECRET: "oauth-state-secret-0123456789",
      },
    });
    setUpGateway(h);
    const installations = h.services.installationStore;
    if (!installations) throw new Error("the OAuth harness has no installation store");
    await installations.storeInstallation(sampleInstallation(TEAM, TOKENS[TEAM]));
    await installations.storeInstallation(sampleInstallation(OTHER_TEAM, TOKENS[OTHER_TEAM]));
    await installations.storeInstallation(sampleOrgInstallation(ENTERPRISE, TOKENS[ENTERPRISE]));
    await h.configure(TEAM);
    await h.configure(OTHER_TEAM, { apiKey: OTHER_API_KEY, session: OTHER_SESSION });
    await h.configure(ENTERPRISE, { apiKey: ORG_KEY, session: ORG_SESSION });
  });
  afterAll(async () => {
    expectNoSecretsLeaked(
      h,
      harnessSecrets({
        extra: [
          ORG_KEY,
          "oauth-client-secret-0123456789",
          "oauth-state-secret-0123456789",
          ...Object.values(TOKENS),
        ],
      }),
    );
    await h.close();
  });

  let links = 0;
  /** A link target, so the app must read the Slack message (with the installation's token) before acting. */
  async function actThroughLink(mid: string, options: Parameters<typeof wa>[2]) {
    links += 1;
    const ts = `1712350000.${String(links).padStart(6, "0")}`;
    h.slack.addMessage(CHANNEL, { ts, metadata: whatsappMetadata({ message_id: mid }) });
    const run = await wa(h, `unreact ${permalink(CHANNEL, ts)}`, options);
    await run.reply();
    const read = h.slack.calls.find(
      (c) => c.method === "conversations.history" && String(c.args.latest) === ts,
    );
    return { slackToken: read?.token, keys: keysUsedFor(h, mid) };
  }

  it("when each installation's workspace acts, then the Slack calls use its bot token and the gateway its key", async () => {
    expect(await actThroughLink("MID_OAUTH_T1", { team: TEAM })).toEqual({
      slackToken: TOKENS[TEAM],
      keys: [API_KEY],
    });
    expect(await actThroughLink("MID_OAUTH_T2", { team: OTHER_TEAM })).toEqual({
      slackToken: TOKENS[OTHER_TEAM],
      keys: [OTHER_API_KEY],
    });
    expect(
      await actThroughLink("MID_OAUTH_ORG", {
        team: THIRD_TEAM,
        enterpriseId: ENTERPRISE,
        isEnterpriseInstall: true,
      }),
    ).toEqual({ slackToken: TOKENS[ENTERPRISE], keys: [ORG_KEY] });
  });

  it("when a workspace without an installation sends a command, then its user is told the app is not installed there, and nothing is done with anyone's token or key", async () => {
    const callsBefore = h.slack.calls.length;
    const run = await wa(h, `react --chat ${GROUP_CHAT} --mid MID_NOT_INSTALLED 👍`, { team: THIRD_TEAM });
    // Bolt acknowledges (empty 200) a request it cannot authorize, and calls no listener.
    expect(run.res.status).toBe(200);
    expect(run.res.body).toBe("");
    expect(await h.app.inFlight.drain(10_000)).toBe(true);
    // The response_url needs no token: it is the only way to answer, and it is used.
    const told = h.slack.responses.filter((p) => p.id === run.responseId);
    expect(told).toHaveLength(1);
    expect(told[0]?.body.response_type).toBe("ephemeral");
    expect(textOf(told[0] ?? { body: {} })).toContain("isn't installed in this workspace");
    expect(textOf(told[0] ?? { body: {} })).toContain("not_installed");
    expect(keysUsedFor(h, "MID_NOT_INSTALLED")).toEqual([]);
    expect(h.slack.calls.slice(callsBefore)).toEqual([]);
  });

  it("when the org-wide install acts, then the message shortcut in any of its workspaces uses the org's key", async () => {
    const responseId = "iso-oauth-org-shortcut";
    const payload = messageShortcut({
      callbackId: "wa_unreact",
      userId: MEMBER,
      responseUrl: h.slack.responseUrl(responseId),
      ts: "1712345678.888888",
      metadata: whatsappMetadata({ message_id: "MID_OAUTH_ORG_SHORTCUT" }),
      teamId: THIRD_TEAM,
    });
    Object.assign(payload, { is_enterprise_install: true, enterprise: { id: ENTERPRISE, name: "Acme Org" } });
    await h.send.interaction(payload);
    await h.slack.waitForResponse((p) => p.id === responseId, 15_000);
    expect(keysUsedFor(h, "MID_OAUTH_ORG_SHORTCUT")).toEqual([ORG_KEY]);
  });
});
