import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ADMIN,
  API_KEY,
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  MID,
  startHarness,
  TEAM,
} from "../support/app-harness.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";
import { blockAction, type OpenedView, viewSubmission } from "../support/slack-payloads.js";

let h: Harness;
const NEW_KEY = "wa_rotated_key_abcd_4321";

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [NEW_KEY] }));
  await h.close();
});
beforeEach(async () => {
  h.gateway.reset();
  h.slack.reset();
  h.slack.addChannel(CHANNEL);
  await h.configure(TEAM);
});

async function openConfigAs(userId: string) {
  const responseId = `cfg-${Math.random().toString(36).slice(2)}`;
  await h.send.command({
    teamId: TEAM,
    userId,
    channelId: CHANNEL,
    text: "config",
    responseUrl: h.slack.responseUrl(responseId),
  });
  return responseId;
}

function configValues(input: { key?: string; session?: string; visibility?: string }) {
  return {
    api_key: { api_key_input: { type: "plain_text_input", value: input.key ?? null } },
    session: { session_input: { type: "plain_text_input", value: input.session ?? null } },
    visibility: {
      visibility_input: {
        type: "radio_buttons",
        selected_option: input.visibility
          ? { value: input.visibility, text: { type: "plain_text", text: "x" } }
          : null,
      },
    },
  };
}

function event(body: Record<string, unknown>) {
  return h.send.eventCallback({ teamId: TEAM, event: body });
}

describe("the configuration modal", () => {
  it("when an admin saves a new key, session and visibility, then they are stored sealed and confirmed with the key masked", async () => {
    const responseId = await openConfigAs(ADMIN);
    const open = await h.slack.waitForCall("views.open");
    const view = { ...(open.args.view as OpenedView), id: [...h.slack.views.keys()].at(-1) ?? "" };
    const res = await h.send.interaction(
      viewSubmission({
        view,
        userId: ADMIN,
        values: configValues({ key: NEW_KEY, session: "sess_new", visibility: "channel" }),
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const saved = await h.services.workspaces.get(TEAM);
    expect(saved).toMatchObject({
      apiKey: NEW_KEY,
      defaultSessionId: "sess_new",
      visibility: "channel",
      updatedBy: ADMIN,
    });
    const confirmation = await h.slack.waitForResponse((p) => p.id === responseId);
    const text = JSON.stringify(confirmation.body);
    expect(text).toContain("wa_…4321");
    expect(text).not.toContain(NEW_KEY);
    expect(confirmation.body.response_type ?? "ephemeral").toBe("ephemeral");
  });

  it("when an admin leaves the key empty, then the current key is kept", async () => {
    await openConfigAs(ADMIN);
    const open = await h.slack.waitForCall("views.open");
    const view = { ...(open.args.view as OpenedView), id: [...h.slack.views.keys()].at(-1) ?? "" };
    await h.send.interaction(
      viewSubmission({
        view,
        userId: ADMIN,
        values: configValues({ session: "sess_other", visibility: "ephemeral" }),
      }),
    );
    expect(await h.services.workspaces.get(TEAM)).toMatchObject({
      apiKey: API_KEY,
      defaultSessionId: "sess_other",
    });
  });

  it("when the key is malformed, then the error shows under the key field and nothing changes", async () => {
    await openConfigAs(ADMIN);
    const open = await h.slack.waitForCall("views.open");
    const view = { ...(open.args.view as OpenedView), id: [...h.slack.views.keys()].at(-1) ?? "" };
    const res = await h.send.interaction(
      viewSubmission({
        view,
        userId: ADMIN,
        values: configValues({ key: "not a key", visibility: "channel" }),
      }),
    );
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors.api_key).toMatch(/wa_/);
    expect(JSON.stringify(body)).not.toContain("not a key");
    expect(await h.services.workspaces.get(TEAM)).toMatchObject({ apiKey: API_KEY });
  });

  it("when a member who is not an admin submits the modal, then it is refused in the modal and nothing changes", async () => {
    await openConfigAs(ADMIN);
    const open = await h.slack.waitForCall("views.open");
    const view = { ...(open.args.view as OpenedView), id: [...h.slack.views.keys()].at(-1) ?? "" };
    const res = await h.send.interaction(
      viewSubmission({ view, userId: MEMBER, values: configValues({ key: NEW_KEY, visibility: "channel" }) }),
    );
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors.api_key).toMatch(/admin/i);
    expect(await h.services.workspaces.get(TEAM)).toMatchObject({ apiKey: API_KEY });
  });
});

describe("the App Home tab", () => {
  it("when an admin opens it, then it shows the masked key, the session, the Configure button and the last actions", async () => {
    const responseId = "home-act";
    await h.send.command({
      teamId: TEAM,
      userId: MEMBER,
      channelId: CHANNEL,
      text: `react --chat ${GROUP_CHAT} --mid ${MID} 👍`,
      responseUrl: h.slack.responseUrl(responseId),
    });
    await h.slack.waitForResponse((p) => p.id === responseId);
    const res = await event({
      type: "app_home_opened",
      user: ADMIN,
      channel: "D0000000001",
      tab: "home",
      event_ts: "1.1",
    });
    expect(res.status).toBe(200);
    const publish = await h.slack.waitForCall("views.publish");
    expect(publish.args.user_id).toBe(ADMIN);
    const text = JSON.stringify(publish.args.view);
    expect(text).toContain("wa_…9f8e");
    expect(text).not.toContain(API_KEY);
    expect(text).toContain("open_config");
    expect(text).toContain(GROUP_CHAT);
  });

  it("when a member opens it, then there is a how-to and no Configure button", async () => {
    await event({
      type: "app_home_opened",
      user: MEMBER,
      channel: "D0000000002",
      tab: "home",
      event_ts: "1.2",
    });
    const publish = await h.slack.waitForCall("views.publish", (c) => c.args.user_id === MEMBER);
    const text = JSON.stringify(publish.args.view);
    expect(text).not.toContain("open_config");
    expect(text).toContain("/wa");
  });

  it("when an admin clicks Configure on the Home tab, then the configuration modal opens", async () => {
    await h.send.interaction(
      blockAction({ userId: ADMIN, actionId: "open_config", blockId: "home_actions" }),
    );
    const open = await h.slack.waitForCall("views.open");
    expect((open.args.view as OpenedView).callback_id).toBe("wa_config_modal");
  });
});

describe("uninstalling", () => {
  it("when the app is uninstalled, then the workspace's key is removed", async () => {
    expect((await h.services.workspaces.get(TEAM))?.apiKey).toBe(API_KEY);
    const res = await event({ type: "app_uninstalled" });
    expect(res.status).toBe(200);
    await expect.poll(async () => await h.services.store.getWorkspace(TEAM)).toBeUndefined();
  });

  it("when only a user token is revoked, then the workspace keeps its key", async () => {
    await event({ type: "tokens_revoked", tokens: { oauth: ["UUSER00001"], bot: [] } });
    // Everything the listener does after its ack is tracked: once drained, it has run to the end.
    expect(await h.app.inFlight.drain(5000)).toBe(true);
    expect((await h.services.workspaces.get(TEAM))?.apiKey).toBe(API_KEY);
  });
});
