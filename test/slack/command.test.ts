import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { workingNoteOf } from "../../src/sandbox/slack/signed-requests.js";
import {
  ADMIN,
  API_KEY,
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  MID,
  OTHER_TEAM,
  permalink,
  SENDER,
  SESSION,
  startHarness,
  TEAM,
  whatsappMetadata,
} from "../support/app-harness.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  expectNoSecretsLeaked(h);
  await h.close();
});
beforeEach(async () => {
  h.gateway.reset();
  h.gateway.clearFaults();
  h.slack.calls.length = 0;
  h.slack.responses.length = 0;
  h.slack.clearFaults();
  await h.configure(TEAM);
});

function blocksText(body: unknown): string {
  return JSON.stringify(body);
}

async function wa(text: string, opts: { user?: string; team?: string; responseId?: string } = {}) {
  const responseId = opts.responseId ?? `r-${Math.random().toString(36).slice(2)}`;
  const res = await h.send.command({
    teamId: opts.team ?? TEAM,
    userId: opts.user ?? MEMBER,
    channelId: CHANNEL,
    text,
    responseUrl: h.slack.responseUrl(responseId),
  });
  return { res, responseId, reply: () => h.slack.waitForResponse((p) => p.id === responseId) };
}

describe("/wa help and malformed text", () => {
  it("when a member asks for help, then the ack itself carries the usage lines", async () => {
    const { res } = await wa("help");
    expect(res.status).toBe(200);
    const body = res.json() as { text: string };
    expect(body.text).toMatch(/react/);
    expect(blocksText(body)).toContain("/wa vote");
    expect(h.gateway.requests).toHaveLength(0);
  });

  it("when the text is malformed, then the ack explains it with the usage line and nothing is sent", async () => {
    const { res } = await wa("react --chat 123@g.us");
    expect(res.status).toBe(200);
    const body = blocksText(res.json());
    expect(body).toMatch(/mid/i);
    expect(body).toContain("/wa react");
    expect(h.gateway.requests).toHaveLength(0);
  });

  it("when the subcommand is unknown, then the ack names the valid ones", async () => {
    const { res } = await wa("reactt x");
    expect(blocksText(res.json())).toMatch(/react/);
    expect(h.gateway.requests).toHaveLength(0);
  });
});

describe("/wa react", () => {
  it("when the target is given by flags, then the gateway gets exactly the documented request and the user a confirmation", async () => {
    const { res, reply } = await wa(
      `react --chat ${GROUP_CHAT} --mid ${MID} --sender ${SENDER} :+1::skin-tone-3:`,
    );
    expect(res.status).toBe(200);
    expect(workingNoteOf(res)).toBe("Sending 👍🏼 to WhatsApp…");
    const post = await reply();
    const request = h.gateway.requests.at(-1);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(`/api/v1/sessions/${SESSION}/messages/${MID}/reaction`);
    expect(request?.body).toEqual({ chat: GROUP_CHAT, emoji: "👍🏼", sender: SENDER });
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(post.body.response_type).toBe("ephemeral");
    // The outcome takes the place of the "Sending…" note.
    expect(post.body.replace_original).toBe(true);
    const text = blocksText(post.body);
    expect(text).toContain("👍🏼");
    expect(text).toContain(GROUP_CHAT);
    expect(text).toContain("sent");
  });

  it("when the target is a Slack message link, then the message is read with its metadata and the reaction sent", async () => {
    h.slack.addMessage(CHANNEL, { ts: "1712345678.123456", metadata: whatsappMetadata() });
    const { reply } = await wa(`react <${permalink(CHANNEL, "1712345678.123456")}|the message> 🎉`);
    await reply();
    const history = h.slack.callsTo("conversations.history").at(-1);
    expect(history?.args).toMatchObject({ channel: CHANNEL, latest: "1712345678.123456" });
    expect(String(history?.args.include_all_metadata)).toBe("true");
    expect(h.gateway.requests.at(-1)?.body).toEqual({ chat: GROUP_CHAT, emoji: "🎉", sender: SENDER });
  });

  it("when the link points at a thread reply, then the reply is read through conversations.replies", async () => {
    h.slack.addMessage(CHANNEL, { ts: "1712345000.000100", text: "parent" });
    h.slack.addMessage(CHANNEL, {
      ts: "1712345001.000200",
      threadTs: "1712345000.000100",
      metadata: whatsappMetadata({ message_id: "REPLYMID" }),
    });
    const { reply } = await wa(`react ${permalink(CHANNEL, "1712345001.000200", "1712345000.000100")} ❤️`);
    await reply();
    expect(h.slack.callsTo("conversations.replies")).toHaveLength(1);
    expect(h.gateway.requests.at(-1)?.path).toBe(`/api/v1/sessions/${SESSION}/messages/REPLYMID/reaction`);
  });

  it("when the app cannot see the linked channel, then the user is told to invite it and nothing is sent", async () => {
    h.slack.addChannel("CHIDDEN001", { visible: false });
    const { reply } = await wa(`react ${permalink("CHIDDEN001", "1712345678.000001")} 👍`);
    const post = await reply();
    expect(post.body.response_type ?? "ephemeral").toBe("ephemeral");
    expect(blocksText(post.body)).toMatch(/channel/i);
    expect(h.gateway.requests).toHaveLength(0);
  });

  it("when the linked message has no WhatsApp metadata, then the user is told so and nothing is sent", async () => {
    h.slack.addMessage(CHANNEL, { ts: "1712349999.000001", text: "just chat" });
    const { reply } = await wa(`react ${permalink(CHANNEL, "1712349999.000001")} 👍`);
    const post = await reply();
    expect(blocksText(post.body)).toContain("no_whatsapp_metadata");
    expect(h.gateway.requests).toHaveLength(0);
  });

  it("when the emoji is a custom workspace emoji, then the ack says so and nothing is sent", async () => {
    const { res } = await wa(`react --chat ${GROUP_CHAT} --mid ${MID} :partyparrot:`);
    expect(blocksText(res.json())).toMatch(/custom/i);
    expect(h.gateway.requests).toHaveLength(0);
  });

  it("when the workspace is set to post in the channel, then the confirmation is in_channel", async () => {
    await h.configure(TEAM, { visibility: "channel" });
    const { reply } = await wa(`react --chat ${GROUP_CHAT} --mid ${MID} 👍`);
    const post = await reply();
    expect(post.body.response_type).toBe("in_channel");
  });
});

describe("/wa unreact and vote", () => {
  it("when a member removes a reaction, then DELETE carries {chat, sender} only", async () => {
    const { reply } = await wa(`unreact --chat ${GROUP_CHAT} --mid ${MID}`);
    const post = await reply();
    const request = h.gateway.requests.at(-1);
    expect(request?.method).toBe("DELETE");
    expect(request?.body).toEqual({ chat: GROUP_CHAT, sender: "" });
    expect(blocksText(post.body)).toMatch(/removed/i);
  });

  it("when a member votes with quoted options, then the exact option texts are sent", async () => {
    h.slack.addMessage(CHANNEL, {
      ts: "1712340000.000001",
      metadata: whatsappMetadata({
        poll: { name: "Lunch?", options: ["Pizza Margherita", "Sushi"], selectable_count: 0 },
      }),
    });
    const { reply } = await wa(`vote ${permalink(CHANNEL, "1712340000.000001")} “Pizza Margherita” Sushi`);
    const post = await reply();
    expect(h.gateway.requests.at(-1)?.path).toBe(`/api/v1/sessions/${SESSION}/messages/${MID}/vote`);
    expect(h.gateway.requests.at(-1)?.body).toEqual({
      chat: GROUP_CHAT,
      sender: SENDER,
      options: ["Pizza Margherita", "Sushi"],
    });
    expect(blocksText(post.body)).toContain("Pizza Margherita");
  });

  it("when a vote names an option the poll does not have, then the user is told and nothing is sent", async () => {
    h.slack.addMessage(CHANNEL, {
      ts: "1712340000.000002",
      metadata: whatsappMetadata({
        poll: { name: "Lunch?", options: ["Pizza", "Sushi"], selectable_count: 1 },
      }),
    });
    const { reply } = await wa(`vote ${permalink(CHANNEL, "1712340000.000002")} Tacos`);
    const post = await reply();
    expect(blocksText(post.body)).toContain("Tacos");
    expect(h.gateway.requests).toHaveLength(0);
  });

  it("when a member clears a vote, then options [] is sent and the gateway's refusal is shown as an ephemeral error", async () => {
    const { reply } = await wa(`vote --chat ${GROUP_CHAT} --mid ${MID} --clear`);
    const post = await reply();
    expect(h.gateway.requests.at(-1)?.body).toEqual({ chat: GROUP_CHAT, sender: "", options: [] });
    expect(post.body.response_type ?? "ephemeral").toBe("ephemeral");
    expect(blocksText(post.body)).toContain("validation_error");
  });

  it("when a vote has no options, then the poll-vote modal opens", async () => {
    h.slack.addMessage(CHANNEL, {
      ts: "1712340000.000003",
      metadata: whatsappMetadata({
        poll: { name: "Lunch?", options: ["Pizza", "Sushi"], selectable_count: 1 },
      }),
    });
    await wa(`vote ${permalink(CHANNEL, "1712340000.000003")}`);
    const update = await h.slack.waitForCall("views.update");
    const view = update.args.view as {
      callback_id: string;
      blocks: { block_id?: string; element?: { type: string } }[];
    };
    expect(view.callback_id).toBe("wa_vote_modal");
    const options = view.blocks.find((b) => b.block_id === "options");
    expect(options?.element?.type).toBe("radio_buttons");
  });
});

describe("errors from the gateway and the configuration", () => {
  it("when the workspace has no key, then the user is told an admin must run /wa config and the gateway is not called", async () => {
    const { reply } = await wa(`react --chat ${GROUP_CHAT} --mid ${MID} 👍`, { team: OTHER_TEAM });
    const post = await reply();
    const text = blocksText(post.body);
    expect(text).toContain("not_configured");
    expect(text).toContain("/wa config");
    expect(h.gateway.requests).toHaveLength(0);
  });

  it("when the gateway rejects the key, then the error says the key was rejected and names /wa config", async () => {
    await h.configure(TEAM, { apiKey: "wa_unknown_key_0000" });
    const { reply } = await wa(`react --chat ${GROUP_CHAT} --mid ${MID} 👍`);
    const text = blocksText((await reply()).body);
    expect(text).toContain("unauthorized");
    expect(text).toContain("/wa config");
    expect(text).not.toContain("wa_unknown_key_0000");
  });

  it("when the session belongs to another organization, then not_found is shown in plain words", async () => {
    const { reply } = await wa(`react --chat ${GROUP_CHAT} --mid ${MID} --session sess_02OTHERORG 👍`);
    const text = blocksText((await reply()).body);
    expect(text).toContain("not_found");
  });

  it("when the session is rate limited, then the user is told when to retry", async () => {
    h.gateway.setFault(SESSION, { kind: "rate_limited", retryAfterSeconds: 42 });
    const { reply } = await wa(`react --chat ${GROUP_CHAT} --mid ${MID} 👍`);
    const text = blocksText((await reply()).body);
    expect(text).toContain("42 seconds");
    expect(h.gateway.requests).toHaveLength(1);
  });

  it("when the gateway is slower than Slack's deadline, then the ack comes first and the result follows", async () => {
    h.gateway.setFault(SESSION, { latencyMs: 3500 });
    const { res, reply } = await wa(`react --chat ${GROUP_CHAT} --mid ${MID} 👍`);
    expect(res.status).toBe(200);
    // The ack is back while the gateway is still working on the request.
    expect(h.slack.responses).toHaveLength(0);
    const post = await reply();
    expect(blocksText(post.body)).toContain("sent");
  });
});

describe("/wa status and /wa config", () => {
  it("when a member asks for the status, then the key is shown masked and the gateway's answer reported", async () => {
    const { reply } = await wa("status");
    const text = blocksText((await reply()).body);
    expect(text).toContain("wa_…9f8e");
    expect(text).not.toContain(API_KEY);
    expect(text).toContain(SESSION);
  });

  it("when an admin runs /wa config, then the configuration modal opens with the key field empty", async () => {
    await wa("config", { user: ADMIN });
    const open = await h.slack.waitForCall("views.open");
    const view = open.args.view as {
      callback_id: string;
      blocks: { block_id?: string; element?: { initial_value?: string } }[];
    };
    expect(view.callback_id).toBe("wa_config_modal");
    expect(view.blocks.find((b) => b.block_id === "api_key")?.element?.initial_value).toBeUndefined();
    expect(view.blocks.find((b) => b.block_id === "session")?.element?.initial_value).toBe(SESSION);
    expect(JSON.stringify(view)).not.toContain(API_KEY);
  });

  it("when a member who is not an admin runs /wa config, then they get an ephemeral refusal and no modal", async () => {
    const { reply } = await wa("config", { user: MEMBER });
    const text = blocksText((await reply()).body);
    expect(text).toMatch(/admin/i);
    expect(h.slack.callsTo("views.open")).toHaveLength(0);
  });
});
