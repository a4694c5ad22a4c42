// The sandbox as its page uses it: the real app between the gateway simulator and the Slack stand-in,
// driven through the page's own routes (the browser test drives the same routes through the page).
import { Writable } from "node:stream";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import type {
  SandboxState,
  SlackChannelView,
  SlackMessageView,
  WhatsAppChatView,
} from "../../src/sandbox/page-contract.js";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/start-sandbox.js";
import { CHATS, MANAGE_KEY, SEND_KEY } from "../../src/sandbox/world.js";

let sandbox: RunningSandbox;

beforeAll(async () => {
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  sandbox = await startSandbox({ logger: createLogger({ level: "warn", destination: quiet }) });
});

afterAll(async () => {
  // Whatever the tests did, the page never got a gateway key (the workspace's, or the one-time manage key).
  const shown = JSON.stringify(await state());
  await sandbox?.close();
  expect(shown).not.toContain(SEND_KEY);
  expect(shown).not.toContain(MANAGE_KEY);
});

async function state(): Promise<SandboxState> {
  const res = await request(new URL("sandbox/state", sandbox.url));
  return (await res.body.json()) as SandboxState;
}

async function act(route: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await request(new URL(route.slice(1), sandbox.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

/** Polls the page's state until `pick` finds something, as the page would see it arrive. */
async function eventually<T>(
  pick: (s: SandboxState) => T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const giveUp = Date.now() + timeoutMs;
  for (;;) {
    const found = pick(await state());
    if (found !== undefined && found !== false) return found;
    if (Date.now() > giveUp) throw new Error(`the sandbox never showed ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const channel = (s: SandboxState, name: string): SlackChannelView => {
  const found = s.slack.channels.find((c) => c.name === name);
  if (!found) throw new Error(`no #${name}`);
  return found;
};
const chat = (s: SandboxState, jid: string): WhatsAppChatView => {
  const found = s.whatsapp.chats.find((c) => c.jid === jid);
  if (!found) throw new Error(`no chat ${jid}`);
  return found;
};
const mirrored = (
  s: SandboxState,
  name: string,
  author: string,
  text: string,
): SlackMessageView | undefined =>
  channel(s, name).messages.find((m) => m.author.startsWith(author) && m.text.includes(text) && !m.ephemeral);

describe("the sandbox", () => {
  it("when it starts, then the page is served and WhatsApp's recent history is mirrored into the linked channels, the reply in its thread and the poll with a Vote button", async () => {
    const page = await request(sandbox.url);
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    await page.body.dump();

    const question = await eventually(
      (s) => mirrored(s, "wa-lisbon-bakery", "Maria Santos", "Thursday's delivery"),
      "Maria's question",
    );
    const reply = await eventually(
      (s) => mirrored(s, "wa-lisbon-bakery", "Acme Support", "let me check with the drivers"),
      "the account's reply",
    );
    expect(reply.threadTs).toBe(question.ts);
    const poll = await eventually((s) => mirrored(s, "wa-drivers", "Acme Support", "Poll"), "the poll");
    expect(JSON.stringify(poll.blocks)).toContain('"text":"Vote"');
    const s = await state();
    expect(chat(s, CHATS.bakery.jid).linkedChannel).toBe("wa-lisbon-bakery");
    expect(chat(s, CHATS.lunch.jid).linkedChannel).toBeUndefined();
    expect(s.slack.home).toBeDefined();
  });

  it("when someone writes on WhatsApp, then the message appears in the linked channel under their name, its text escaped", async () => {
    const res = await act("/sandbox/whatsapp/message", {
      chat: CHATS.drivers.jid,
      from: CHATS.drivers.members[1].jid,
      text: "Running late <!channel> <https://evil.example|bank>",
    });
    expect(res).toEqual({ status: 200, json: { ok: true } });
    const posted = await eventually(
      (s) => mirrored(s, "wa-drivers", "Priya Nair", "Running late"),
      "Priya's message",
    );
    expect(JSON.stringify(posted.blocks)).toContain("&lt;!channel&gt;");
    expect(JSON.stringify(posted.blocks)).not.toContain("<!channel>");
  });

  it("when the person reacts from the shortcut's modal, then WhatsApp shows the account's reaction and the Slack message says who reacted", async () => {
    const question = await eventually(
      (s) => mirrored(s, "wa-lisbon-bakery", "Maria Santos", "Thursday's delivery"),
      "Maria's question",
    );
    const bakery = channel(await state(), "wa-lisbon-bakery");
    expect(
      (await act("/sandbox/slack/shortcut", { channel: bakery.id, ts: question.ts, callbackId: "wa_react" }))
        .status,
    ).toBe(200);
    const modal = await eventually(
      (s) => s.slack.modals.find((m) => m.view.callback_id === "wa_react_modal"),
      "the react modal",
    );

    const submitted = await act("/sandbox/slack/view-submission", {
      viewId: modal.id,
      values: { emoji: { emoji_input: { type: "plain_text_input", value: "🙏" } } },
    });
    expect(submitted.status).toBe(200);

    const waMessage = await eventually(
      (s) => chat(s, CHATS.bakery.jid).messages.find((m) => m.reactions.some((r) => r.emoji === "🙏")),
      "the account's 🙏 on WhatsApp",
    );
    expect(waMessage.reactions).toContainEqual({ emoji: "🙏", by: ["Acme Support"] });
    await eventually(
      (s) =>
        JSON.stringify(mirrored(s, "wa-lisbon-bakery", "Maria Santos", "Thursday")?.blocks).includes("🙏"),
      "the reaction line on the Slack message",
    );
  });

  it("when someone votes on WhatsApp and the person votes in the Vote modal, then the Slack poll's tally moves and WhatsApp shows the account's vote", async () => {
    const s0 = await state();
    const pollMessage = chat(s0, CHATS.drivers.jid).messages.find((m) => m.poll);
    if (!pollMessage) throw new Error("no poll");
    const vote = await act("/sandbox/whatsapp/vote", {
      chat: CHATS.drivers.jid,
      id: pollMessage.id,
      from: CHATS.drivers.members[0].jid,
      options: ["Tom"],
    });
    expect(vote.status).toBe(200);
    const poll = await eventually((s) => {
      const found = mirrored(s, "wa-drivers", "Acme Support", "Poll");
      return JSON.stringify(found?.blocks).includes("1 vote*: Tom Becker") ? found : undefined;
    }, "Tom's vote in the Slack poll");

    const drivers = channel(await state(), "wa-drivers");
    const button = (poll.blocks ?? []).find((b) => b.type === "actions") as
      | { block_id: string; elements: { action_id: string; value: string }[] }
      | undefined;
    if (!button?.elements[0]) throw new Error("no Vote button");
    const clicked = await act("/sandbox/slack/block-action", {
      channel: drivers.id,
      ts: poll.ts,
      blockId: button.block_id,
      actionId: button.elements[0].action_id,
      type: "button",
      value: button.elements[0].value,
    });
    expect(clicked.status).toBe(200);
    const modal = await eventually(
      (s) =>
        s.slack.modals.find(
          (m) => m.view.callback_id === "wa_vote_modal" && JSON.stringify(m.view).includes("options_input"),
        ),
      "the vote modal",
    );
    const priya = { text: { type: "plain_text", text: "Priya" }, value: "1" };
    await act("/sandbox/slack/view-submission", {
      viewId: modal.id,
      values: { options: { options_input: { type: "radio_buttons", selected_option: priya } } },
    });

    await eventually(
      (s) =>
        chat(s, CHATS.drivers.jid)
          .messages.find((m) => m.id === pollMessage.id)
          ?.poll?.options.find((o) => o.name === "Priya")
          ?.voters.includes("Acme Support"),
      "the account's vote on WhatsApp",
    );
    await eventually(
      (s) =>
        JSON.stringify(mirrored(s, "wa-drivers", "Acme Support", "Poll")?.blocks).includes(
          "Priya — *1 vote*",
        ),
      "the account's vote in the Slack poll",
    );
  });

  it("when the person adds a Slack reaction in a channel linked with reactions, then the account reacts on WhatsApp", async () => {
    const question = await eventually(
      (s) => mirrored(s, "wa-lisbon-bakery", "Maria Santos", "Thursday's delivery"),
      "Maria's question",
    );
    const bakery = channel(await state(), "wa-lisbon-bakery");
    const reacted = await act("/sandbox/slack/reaction", {
      channel: bakery.id,
      ts: question.ts,
      name: "tada",
      on: true,
    });
    expect(reacted.status).toBe(200);
    await eventually(
      (s) =>
        chat(s, CHATS.bakery.jid).messages[0]?.reactions.some(
          (r) => r.emoji === "🎉" && r.by.includes("Acme Support"),
        ),
      "the account's 🎉 on WhatsApp",
    );
  });

  it("when the gateway is down, then a reaction from /wa is answered with an error only the person sees, and the gateway's return ends it", async () => {
    const question = await eventually(
      (s) => mirrored(s, "wa-lisbon-bakery", "Maria Santos", "Thursday's delivery"),
      "Maria's question",
    );
    const bakery = channel(await state(), "wa-lisbon-bakery");
    expect((await act("/sandbox/gateway/mode", { mode: "down" })).status).toBe(200);
    try {
      const link = `https://acme.slack.com/archives/${bakery.id}/p${question.ts.replace(".", "")}`;
      expect(
        (await act("/sandbox/slack/command", { channel: bakery.id, text: `react ${link} :eyes:` })).status,
      ).toBe(200);
      const error = await eventually(
        (s) =>
          channel(s, "wa-lisbon-bakery").messages.find(
            (m) => m.ephemeral && /unavailable|down|try again/i.test(m.text),
          ),
        "an ephemeral error",
        30_000,
      );
      expect(error.text).not.toContain("wa_sandbox");
      expect((await state()).gateway.mode).toBe("down");
    } finally {
      await act("/sandbox/gateway/mode", { mode: "normal" });
    }
  });

  it("when the page sends something that is not what a route takes, then it gets a 400 that says what is wrong, a file outside the page is not served, and the sandbox keeps serving", async () => {
    const bad = await act("/sandbox/whatsapp/message", {
      chat: CHATS.drivers.jid,
      from: "nobody@s.whatsapp.net",
      text: "hi",
    });
    expect(bad).toEqual({
      status: 400,
      json: { ok: false, error: "That person is not in “Delivery drivers”." },
    });
    const malformed = await act("/sandbox/slack/reaction", {
      channel: "C1",
      ts: "not-a-ts",
      name: "x",
      on: true,
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatch(/ts/);
    const unknown = await act("/sandbox/nothing", {});
    expect(unknown.status).toBe(404);
    for (const path of ["favicon.ico", "..%2f..%2fpackage.json", "%2e%2e/manifest.json", ".env"]) {
      const res = await request(new URL(path, sandbox.url));
      await res.body.dump();
      expect(res.statusCode, path).toBe(404);
    }
    expect((await request(new URL("sandbox/state", sandbox.url))).statusCode).toBe(200);
  });
});
