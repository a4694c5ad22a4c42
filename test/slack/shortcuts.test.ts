import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  MID,
  SENDER,
  SESSION,
  startHarness,
  TEAM,
  whatsappMetadata,
} from "../support/app-harness.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";
import { blockAction, messageShortcut, type OpenedView, viewSubmission } from "../support/slack-payloads.js";

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
  h.slack.reset();
  h.slack.addChannel(CHANNEL);
  await h.configure(TEAM);
});

const POLL = { name: "Lunch?", options: ["Pizza", "Sushi", "Tacos"], selectable_count: 1 };

async function shortcut(
  callbackId: string,
  opts: { ts?: string; metadata?: unknown; threadTs?: string } = {},
) {
  const responseId = `s-${Math.random().toString(36).slice(2)}`;
  const res = await h.send.interaction(
    messageShortcut({
      callbackId,
      userId: MEMBER,
      responseUrl: h.slack.responseUrl(responseId),
      ts: opts.ts ?? "1712345678.000100",
      threadTs: opts.threadTs,
      metadata: opts.metadata,
    }),
  );
  return { res, responseId };
}

/** The modal the user is looking at now: the last view opened or updated. */
function currentView(): OpenedView {
  const last = [...h.slack.calls]
    .reverse()
    .find((c) => c.method === "views.open" || c.method === "views.update");
  if (!last) throw new Error("no modal was opened");
  const id = last.method === "views.update" ? String(last.args.view_id) : [...h.slack.views.keys()].at(-1);
  return { ...(last.args.view as Omit<OpenedView, "id">), id: id ?? "" };
}

async function waitForModalText(pattern: RegExp): Promise<string> {
  const call = await h.slack.waitForCall("views.update", (c) => pattern.test(JSON.stringify(c.args.view)));
  return JSON.stringify(call.args.view);
}

describe("React on WhatsApp (wa_react)", () => {
  it("when the payload carries the metadata, then the react modal opens at once with the emoji input and quick reactions", async () => {
    const { res } = await shortcut("wa_react", { metadata: whatsappMetadata() });
    expect(res.status).toBe(200);
    const open = await h.slack.waitForCall("views.open");
    const view = open.args.view as OpenedView;
    expect(view.callback_id).toBe("wa_react_modal");
    expect(view.blocks?.some((b) => b.block_id === "emoji" && b.type === "input")).toBe(true);
    expect(view.blocks?.some((b) => b.block_id === "quick_reactions" && b.type === "actions")).toBe(true);
    expect(h.slack.callsTo("conversations.history")).toHaveLength(0);
  });

  it("when the payload lacks metadata, then a loading modal opens and is replaced after the message is read", async () => {
    h.slack.addMessage(CHANNEL, { ts: "1712345678.000200", metadata: whatsappMetadata() });
    await shortcut("wa_react", { ts: "1712345678.000200" });
    const update = await h.slack.waitForCall("views.update");
    expect((update.args.view as OpenedView).callback_id).toBe("wa_react_modal");
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
  });

  it("when the Slack message has no WhatsApp metadata, then the modal shows a clear error", async () => {
    h.slack.addMessage(CHANNEL, { ts: "1712345678.000300", text: "plain" });
    await shortcut("wa_react", { ts: "1712345678.000300" });
    const text = await waitForModalText(/no_whatsapp_metadata/);
    expect(text).toContain("WhatsApp");
  });

  it("when the user submits an emoji, then the modal shows Sending, the reaction is sent, and the modal shows the result", async () => {
    await shortcut("wa_react", { metadata: whatsappMetadata() });
    await h.slack.waitForCall("views.open");
    const view = currentView();
    const res = await h.send.interaction(
      viewSubmission({
        view,
        userId: MEMBER,
        values: { emoji: { emoji_input: { type: "plain_text_input", value: ":heart:" } } },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ response_action: "update" });
    await waitForModalText(/sent/);
    expect(h.gateway.requests.at(-1)?.body).toEqual({ chat: GROUP_CHAT, emoji: "❤️", sender: SENDER });
  });

  it("when the user submits text that is not an emoji, then the error shows under the emoji field and nothing is sent", async () => {
    await shortcut("wa_react", { metadata: whatsappMetadata() });
    await h.slack.waitForCall("views.open");
    const res = await h.send.interaction(
      viewSubmission({
        view: currentView(),
        userId: MEMBER,
        values: { emoji: { emoji_input: { type: "plain_text_input", value: "hello" } } },
      }),
    );
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors.emoji).toContain("hello");
    expect(body.errors.emoji).toMatch(/emoji/i);
    expect(h.gateway.requests).toHaveLength(0);
  });

  it("when the user clicks a quick reaction, then it is sent at once and the modal shows the result", async () => {
    await shortcut("wa_react", { metadata: whatsappMetadata() });
    await h.slack.waitForCall("views.open");
    const view = currentView();
    const res = await h.send.interaction(
      blockAction({
        view,
        userId: MEMBER,
        actionId: "quick_reaction:0",
        blockId: "quick_reactions",
        value: "👍",
      }),
    );
    expect(res.status).toBe(200);
    await waitForModalText(/sent/);
    expect(h.gateway.requests.at(-1)?.body).toMatchObject({ emoji: "👍" });
  });

  it("when the workspace posts confirmations in the channel, then the confirmation goes to the message's thread", async () => {
    await h.configure(TEAM, { visibility: "channel" });
    await shortcut("wa_react", { metadata: whatsappMetadata(), ts: "1712345678.000400" });
    await h.slack.waitForCall("views.open");
    await h.send.interaction(
      viewSubmission({
        view: currentView(),
        userId: MEMBER,
        values: { emoji: { emoji_input: { type: "plain_text_input", value: "👍" } } },
      }),
    );
    const post = await h.slack.waitForCall("chat.postMessage");
    expect(post.args).toMatchObject({ channel: CHANNEL, thread_ts: "1712345678.000400" });
  });
});

describe("Remove WhatsApp reaction (wa_unreact)", () => {
  it("when a member uses it, then the reaction is removed at once and the member is told", async () => {
    const { responseId } = await shortcut("wa_unreact", { metadata: whatsappMetadata() });
    const post = await h.slack.waitForResponse((p) => p.id === responseId);
    expect(h.gateway.requests.at(-1)).toMatchObject({
      method: "DELETE",
      path: `/api/v1/sessions/${SESSION}/messages/${MID}/reaction`,
      body: { chat: GROUP_CHAT, sender: SENDER },
    });
    expect(JSON.stringify(post.body)).toMatch(/removed/i);
  });

  it("when the gateway does not know the session, then the error is ephemeral and names not_found", async () => {
    const { responseId } = await shortcut("wa_unreact", {
      metadata: whatsappMetadata({ session_id: "sess_missing" }),
    });
    const post = await h.slack.waitForResponse((p) => p.id === responseId);
    expect(post.body.response_type ?? "ephemeral").toBe("ephemeral");
    expect(JSON.stringify(post.body)).toContain("not_found");
  });
});

describe("Vote in WhatsApp poll (wa_vote)", () => {
  it("when the poll is single choice, then radio buttons list its options", async () => {
    await shortcut("wa_vote", { metadata: whatsappMetadata({ poll: POLL }) });
    const open = await h.slack.waitForCall("views.open");
    const view = open.args.view as OpenedView;
    const block = view.blocks?.find((b) => b.block_id === "options");
    expect(block?.element?.type).toBe("radio_buttons");
    expect(JSON.stringify(block)).toContain("Sushi");
  });

  it("when the poll has 12 options, then a multi select lists them all", async () => {
    const options = Array.from({ length: 12 }, (_, i) => `Option ${i + 1}`);
    await shortcut("wa_vote", {
      metadata: whatsappMetadata({ poll: { name: "Big", options, selectable_count: 0 } }),
    });
    const open = await h.slack.waitForCall("views.open");
    const block = (open.args.view as OpenedView).blocks?.find((b) => b.block_id === "options");
    expect(block?.element?.type).toBe("multi_static_select");
    expect(block?.element?.options as unknown[]).toHaveLength(12);
  });

  it("when a long option is chosen, then its exact text is voted though the label was shortened", async () => {
    const long = `${"Very long option text ".repeat(4)}end`;
    await shortcut("wa_vote", {
      metadata: whatsappMetadata({ poll: { name: "Long", options: ["Short", long], selectable_count: 1 } }),
    });
    await h.slack.waitForCall("views.open");
    const view = currentView();
    const block = view.blocks?.find((b) => b.block_id === "options");
    const second = (block?.element?.options as { text: { text: string }; value: string }[] | undefined)?.[1];
    expect(second?.text.text.length).toBeLessThanOrEqual(75);
    await h.send.interaction(
      viewSubmission({
        view,
        userId: MEMBER,
        values: { options: { options_input: { type: "radio_buttons", selected_option: second } } },
      }),
    );
    await waitForModalText(/sent/);
    expect(h.gateway.requests.at(-1)?.body).toEqual({ chat: GROUP_CHAT, sender: SENDER, options: [long] });
  });

  it("when two options are chosen in a single-choice poll, then the modal shows the error under options", async () => {
    await shortcut("wa_vote", { metadata: whatsappMetadata({ poll: { ...POLL, selectable_count: 1 } }) });
    await h.slack.waitForCall("views.open");
    const view = currentView();
    const res = await h.send.interaction(
      viewSubmission({
        view,
        userId: MEMBER,
        values: {
          options: {
            options_input: {
              type: "checkboxes",
              selected_options: [
                { text: { type: "plain_text", text: "Pizza" }, value: "0" },
                { text: { type: "plain_text", text: "Sushi" }, value: "1" },
              ],
            },
          },
        },
      }),
    );
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors.options).toMatch(/one|only/i);
    expect(h.gateway.requests).toHaveLength(0);
  });

  it("when the user chooses to clear the vote, then an empty option list is sent", async () => {
    await shortcut("wa_vote", { metadata: whatsappMetadata({ poll: POLL }) });
    await h.slack.waitForCall("views.open");
    const view = currentView();
    await h.send.interaction(
      viewSubmission({
        view,
        userId: MEMBER,
        values: {
          clear_vote: {
            clear_vote_input: {
              type: "checkboxes",
              selected_options: [{ text: { type: "plain_text", text: "Clear" }, value: "clear" }],
            },
          },
        },
      }),
    );
    await h.slack.waitForCall("views.update", (c) =>
      /validation_error|cleared/.test(JSON.stringify(c.args.view)),
    );
    expect(h.gateway.requests.at(-1)?.body).toEqual({ chat: GROUP_CHAT, sender: SENDER, options: [] });
  });

  it("when the poll is unknown, then a text input takes one option a line", async () => {
    await shortcut("wa_vote", { metadata: whatsappMetadata() });
    await h.slack.waitForCall("views.open");
    const view = currentView();
    const block = view.blocks?.find((b) => b.block_id === "options");
    expect(block?.element?.type).toBe("plain_text_input");
    await h.send.interaction(
      viewSubmission({
        view,
        userId: MEMBER,
        values: { options: { options_input: { type: "plain_text_input", value: "Pizza\n\n Sushi \n" } } },
      }),
    );
    await waitForModalText(/sent/);
    expect(h.gateway.requests.at(-1)?.body).toEqual({
      chat: GROUP_CHAT,
      sender: SENDER,
      options: ["Pizza", "Sushi"],
    });
  });

  it("when the user closed the modal before the result, then the result comes as an ephemeral message", async () => {
    h.gateway.setFault(SESSION, { latencyMs: 300 });
    const { responseId } = await shortcut("wa_vote", { metadata: whatsappMetadata({ poll: POLL }) });
    await h.slack.waitForCall("views.open");
    const view = currentView();
    await h.send.interaction(
      viewSubmission({
        view,
        userId: MEMBER,
        values: { options: { options_input: { type: "radio_buttons", selected_option: { value: "1" } } } },
      }),
    );
    h.slack.closeView(view.id);
    const post = await h.slack.waitForResponse((p) => p.id === responseId);
    expect(JSON.stringify(post.body)).toContain("Sushi");
  });
});
