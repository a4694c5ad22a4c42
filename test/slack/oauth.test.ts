import type { Installation } from "@slack/bolt";
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  API_KEY,
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  MID,
  OTHER_API_KEY,
  startHarness,
  TEAM,
} from "../support/app-harness.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";

const ENTERPRISE = "E0000000001";
const TEAM_BOT_TOKEN = "xoxb-installed-team-one-token";
const ORG_BOT_TOKEN = "xoxb-installed-org-token";

function installation(input: { teamId?: string; enterpriseId?: string; token: string }): Installation {
  const enterpriseInstall = input.enterpriseId !== undefined && input.teamId === undefined;
  return {
    team: input.teamId ? { id: input.teamId, name: "Acme" } : undefined,
    enterprise: input.enterpriseId ? { id: input.enterpriseId, name: "Acme Org" } : undefined,
    isEnterpriseInstall: enterpriseInstall,
    appId: "A0000000001",
    user: { id: "UINSTALLER", token: undefined, scopes: undefined },
    bot: { token: input.token, userId: "UBOT000001", id: "BBOT000001", scopes: ["commands", "chat:write"] },
    tokenType: "bot",
    authVersion: "v2",
  } as Installation;
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    env: {
      SLACK_BOT_TOKEN: "",
      SLACK_CLIENT_ID: "1111.2222",
      SLACK_CLIENT_SECRET: "oauth-client-secret-xyz",
      SLACK_STATE_SECRET: "oauth-state-secret-xyz",
    },
  });
  const store = h.services.installationStore;
  if (!store) throw new Error("the OAuth install must come with an installation store");
  await store.storeInstallation(installation({ teamId: TEAM, token: TEAM_BOT_TOKEN }));
  await store.storeInstallation(installation({ enterpriseId: ENTERPRISE, token: ORG_BOT_TOKEN }));
});
afterAll(async () => {
  expectNoSecretsLeaked(
    h,
    harnessSecrets({
      extra: [TEAM_BOT_TOKEN, ORG_BOT_TOKEN, "oauth-client-secret-xyz", "oauth-state-secret-xyz"],
    }),
  );
  await h.close();
});
beforeEach(() => {
  h.gateway.reset();
  h.slack.reset();
  h.slack.addChannel(CHANNEL);
});

describe("multi-workspace OAuth install", () => {
  it("when a workspace installed through OAuth sends a command, then its own bot token and its own key are used", async () => {
    await h.configure(TEAM, { apiKey: API_KEY });
    const responseId = "oauth-team";
    await h.send.command({
      teamId: TEAM,
      userId: MEMBER,
      channelId: CHANNEL,
      text: `react --chat ${GROUP_CHAT} --mid ${MID} 👍`,
      responseUrl: h.slack.responseUrl(responseId),
    });
    await h.slack.waitForResponse((p) => p.id === responseId);
    expect(h.gateway.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("when an org-wide install acts, then the configuration is the enterprise's and its token is used", async () => {
    await h.configure(ENTERPRISE, { apiKey: OTHER_API_KEY, session: "sess_02OTHERORG" });
    h.slack.addMessage(CHANNEL, {
      ts: "1712000000.000001",
      metadata: {
        event_type: "whatsapp_message",
        event_payload: { session_id: "sess_02OTHERORG", chat: GROUP_CHAT, message_id: MID },
      },
    });
    const responseId = "oauth-org";
    await h.send.command({
      teamId: "T0000000099",
      enterpriseId: ENTERPRISE,
      isEnterpriseInstall: true,
      userId: MEMBER,
      channelId: CHANNEL,
      text: `react https://acme.slack.com/archives/${CHANNEL}/p1712000000000001 👍`,
      responseUrl: h.slack.responseUrl(responseId),
    });
    await h.slack.waitForResponse((p) => p.id === responseId);
    expect(h.slack.callsTo("conversations.history").at(-1)?.token).toBe(ORG_BOT_TOKEN);
    expect(h.gateway.requests.at(-1)?.headers.authorization).toBe(`Bearer ${OTHER_API_KEY}`);
  });

  it("when the installation is stored, then its tokens are sealed in the database", async () => {
    const rows = await h.services.store.listInstallations();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.sealedInstallation).not.toContain(TEAM_BOT_TOKEN);
      expect(row.sealedInstallation).not.toContain(ORG_BOT_TOKEN);
    }
  });

  it("when someone opens the install path, then they are sent to Slack's authorize page with the app's scopes", async () => {
    const res = await request(`${h.appUrl}/slack/install`);
    await res.body.dump();
    expect(res.statusCode).toBe(302);
    const location = String(res.headers.location);
    expect(location).toContain("client_id=1111.2222");
    expect(location).toContain("channels%3Ahistory");
  });
});
