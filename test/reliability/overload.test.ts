// Overload: more work in progress than the app lets in. New actions are refused in their own ack, with
// a message saying nothing was sent, and never reach the gateway; what was let in finishes; the app
// takes work again once the backlog is gone. The limit is lowered (AppTuning) so forty commands reach it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workingNoteOf } from "../../src/sandbox/slack/signed-requests.js";
import { ACTION_SURFACES } from "../../src/slack/admit-actions.js";
import { REGISTERED } from "../../src/slack/listeners/index.js";
import {
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  startHarness,
  TEAM,
  whatsappMetadata,
} from "../support/app-harness.js";
import { textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";
import { blockAction, messageShortcut, type OpenedView, viewSubmission } from "../support/slack-payloads.js";

const LIMIT = 12;
const BUSY = "Too many WhatsApp actions are in progress right now, so nothing was sent";
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ tuning: { maxWorkInProgress: LIMIT } });
  await h.configure(TEAM);
});
afterAll(async () => {
  h.gateway.setLatency(0);
  expectNoSecretsLeaked(h);
  await h.close();
});

const react = (mid: string) => wa(h, `react --chat ${GROUP_CHAT} --mid ${mid} 👍`);
const ackText = (body: string) => (body === "" ? "" : textOf({ body: JSON.parse(body) }));

describe("overload at the door", () => {
  it("when more commands arrive than the app lets in, then the rest are refused in their ack, never reach the gateway, and the app takes work again after", async () => {
    h.gateway.setLatency(400);
    h.gateway.reset();
    const mids = Array.from({ length: 40 }, (_, i) => `BUSY_${i}`);
    const runs = await Promise.all(mids.map(async (mid) => ({ mid, ...(await react(mid)) })));
    expect(runs.every((run) => run.res.status === 200)).toBe(true);
    const refused = runs.filter((run) => ackText(run.res.body).includes(BUSY));
    const admitted = runs.filter((run) => ackText(run.res.body).includes("Sending 👍 to WhatsApp…"));
    expect(refused.length + admitted.length).toBe(40);
    expect(refused.length).toBeGreaterThan(0);
    expect(admitted.length).toBeGreaterThan(0);
    expect(admitted.length).toBeLessThanOrEqual(LIMIT);
    // A refusal in the ack is ephemeral (the ack's default) and says what to do.
    expect(ackText(refused[0]?.res.body ?? "")).toContain("Try again in a moment");

    const posts = await Promise.all(admitted.map((run) => run.reply(30_000)));
    expect(posts.every((p) => textOf(p).includes("sent"))).toBe(true);
    expect(await h.app.inFlight.drain(10_000)).toBe(true);
    const reached = (mid: string) => h.gateway.requests.some((r) => r.path.includes(`/${mid}/`));
    expect(admitted.every((run) => reached(run.mid))).toBe(true);
    expect(refused.some((run) => reached(run.mid))).toBe(false);
    for (const run of refused) {
      expect(h.slack.responses.some((p) => p.id === run.responseId)).toBe(false);
    }
    expect(h.logs.filter((l) => l.includes("overloaded: new actions are refused"))).toHaveLength(1);

    h.gateway.setLatency(0);
    const after = await react("AFTER_BUSY");
    expect(workingNoteOf(after.res)).toBe("Sending 👍 to WhatsApp…");
    expect(textOf(await after.reply())).toContain("sent");
    expect(h.logs.some((l) => l.includes("overload over") && l.includes(`"refused":${refused.length}`))).toBe(
      true,
    );
  });

  it("when a modal is used during overload, then a submission shows the error under its field, a quick reaction shows it in the modal, and nothing is sent", async () => {
    h.gateway.setLatency(1_500);
    h.gateway.reset();
    h.slack.reset();
    h.slack.addChannel(CHANNEL);
    const reactModal = await openModal("wa_react", whatsappMetadata());
    const voteModal = await openModal("wa_vote", whatsappMetadata({ poll: POLL }));
    // Fill the app to its limit with commands waiting on the slow gateway.
    const backlog = await Promise.all(Array.from({ length: LIMIT }, (_, i) => react(`FILL_${i}`)));

    const reactRes = await h.send.interaction(
      viewSubmission({
        view: reactModal,
        userId: MEMBER,
        values: { emoji: { emoji_input: { type: "plain_text_input", value: ":heart:" } } },
      }),
    );
    expect(reactRes.json()).toEqual({
      response_action: "errors",
      errors: { emoji: expect.stringContaining(BUSY) },
    });

    const pizza = { text: { type: "plain_text", text: "Pizza" }, value: "0" };
    const voteRes = await h.send.interaction(
      viewSubmission({
        view: voteModal,
        userId: MEMBER,
        values: { options: { options_input: { type: "radio_buttons", selected_option: pizza } } },
      }),
    );
    expect(voteRes.json()).toEqual({
      response_action: "errors",
      errors: { options: expect.stringContaining(BUSY) },
    });

    const clickRes = await h.send.interaction(
      blockAction({
        view: reactModal,
        userId: MEMBER,
        actionId: "quick_reaction:1",
        blockId: "quick_reactions",
        value: "❤️",
      }),
    );
    expect(clickRes.status).toBe(200);
    const shown = await h.slack.waitForCall(
      "views.update",
      (c) => c.args.view_id === reactModal.id && JSON.stringify(c.args.view).includes("overloaded"),
    );
    expect(JSON.stringify(shown.args.view)).toContain(BUSY);

    await Promise.all(
      backlog.filter((run) => ackText(run.res.body).includes("Sending")).map((run) => run.reply(30_000)),
    );
    expect(h.gateway.requests.length).toBeGreaterThan(0);
    expect(h.gateway.requests.some((r) => JSON.stringify(r.body).includes("❤"))).toBe(false);
    expect(h.gateway.requests.some((r) => JSON.stringify(r.body).includes("Pizza"))).toBe(false);
  });

  it.each([
    ["wa_unreact", "acts at once"],
    ["wa_react", "opens the react modal"],
    ["wa_vote", "opens the poll-vote modal"],
  ])(
    "when the %s shortcut (which %s) is used during overload, then it is refused to its user alone and nothing is sent or opened",
    async (callbackId) => {
      h.gateway.setLatency(1_500);
      h.gateway.reset();
      h.slack.reset();
      h.slack.addChannel(CHANNEL);
      const backlog = await Promise.all(
        Array.from({ length: LIMIT }, (_, i) => react(`FILL_${callbackId}_${i}`)),
      );
      const responseId = `overload-refused-${callbackId}`;
      const res = await h.send.interaction(
        messageShortcut({
          callbackId,
          userId: MEMBER,
          responseUrl: h.slack.responseUrl(responseId),
          ts: "1712345678.000200",
          metadata: whatsappMetadata({ message_id: `SHORTCUT_${callbackId}`, poll: POLL }),
        }),
      );
      expect(res.status).toBe(200);
      const told = await h.slack.waitForResponse((post) => post.id === responseId);
      expect(told.body.response_type).toBe("ephemeral");
      expect(textOf(told)).toContain(BUSY);
      await Promise.all(
        backlog.filter((run) => ackText(run.res.body).includes("Sending")).map((run) => run.reply(30_000)),
      );
      expect(await h.app.inFlight.drain(10_000)).toBe(true);
      expect(h.gateway.requests.some((r) => r.path.includes(`SHORTCUT_${callbackId}`))).toBe(false);
      expect(h.slack.callsTo("views.open")).toHaveLength(0);
    },
  );
});

describe("the door", () => {
  it("when a surface the app listens on can act on WhatsApp, then it is one the door checks", () => {
    const checked = (body: Record<string, unknown>) => ACTION_SURFACES.some((s) => s.matches(body));
    for (const sub of ["react", "unreact", "vote"]) {
      expect(checked({ command: "/wa", text: `${sub} --chat x@g.us --mid M 👍` })).toBe(true);
    }
    for (const sub of ["help", "status", "config", ""]) {
      expect(checked({ command: "/wa", text: sub })).toBe(false);
    }
    for (const callbackId of REGISTERED.messageShortcuts) {
      expect(checked({ type: "message_action", callback_id: callbackId })).toBe(true);
    }
    expect(checked({ type: "view_submission", view: { callback_id: "wa_react_modal" } })).toBe(true);
    expect(checked({ type: "view_submission", view: { callback_id: "wa_vote_modal" } })).toBe(true);
    expect(checked({ type: "view_submission", view: { callback_id: "wa_config_modal" } })).toBe(false);
    expect(checked({ type: "block_actions", actions: [{ action_id: "quick_reaction:2" }] })).toBe(true);
    expect(checked({ type: "block_actions", actions: [{ action_id: "open_config" }] })).toBe(false);
    // The mirror's: the Vote button on a mirrored poll, and Slack reactions that may go to WhatsApp.
    expect(checked({ type: "block_actions", actions: [{ action_id: "open_poll_vote" }] })).toBe(true);
    expect(checked({ type: "event_callback", event: { type: "reaction_added" } })).toBe(true);
    expect(checked({ type: "event_callback", event: { type: "reaction_removed" } })).toBe(true);
    expect(checked({ type: "event_callback", event: { type: "app_home_opened" } })).toBe(false);
    expect(checked({ type: "view_submission", view: { callback_id: "wa_link_modal" } })).toBe(false);
  });
});

const POLL = { name: "Lunch?", options: ["Pizza", "Sushi"], selectable_count: 1 };

/** Opens a shortcut's modal and returns it as the user now sees it. */
async function openModal(callbackId: string, metadata: unknown): Promise<OpenedView> {
  const modal = `${callbackId}_modal`;
  await h.send.interaction(
    messageShortcut({
      callbackId,
      userId: MEMBER,
      responseUrl: h.slack.responseUrl(`overload-${callbackId}`),
      ts: "1712345678.000100",
      metadata,
    }),
  );
  const open = await h.slack.waitForCall(
    "views.open",
    (c) => (c.args.view as { callback_id?: string }).callback_id === modal,
  );
  return { ...(open.args.view as Omit<OpenedView, "id">), id: [...h.slack.views.keys()].at(-1) ?? "" };
}
