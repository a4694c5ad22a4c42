// Bad input through the whole app. The parsers' own property tests (test/domain, test/slack/views) prove
// "a value or a UserInputError" one function at a time; these drive random /wa text and random view
// submissions through the real app over HTTP and check that every answer is a sane 200, that the work
// after the ack never ends in an unexpected exception or an unhandled rejection, and that the app keeps
// serving. The two parsers the view listeners use that had no property test get one here.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserInputError } from "../../src/errors.js";
import {
  decodeModalContext,
  encodeModalContext,
  type ModalContext,
} from "../../src/slack/blocks/modal-context.js";
import { readEmojiSubmission } from "../../src/slack/blocks/react-modal.js";
import { ViewId } from "../../src/slack/ids.js";
import { anyText, commandLikeText } from "../domain/arbitraries.js";
import { returnsOrRefuses } from "../domain/input-error.js";
import {
  ADMIN,
  CHANNEL,
  GROUP_CHAT,
  type Harness,
  MEMBER,
  MID,
  SENDER,
  SESSION,
  startHarness,
  TEAM,
} from "../support/app-harness.js";
import { textOf, wa, watchUnhandled } from "../support/reliability-app.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";
import { viewSubmission } from "../support/slack-payloads.js";

let h: Harness;
let unhandled: ReturnType<typeof watchUnhandled>;

beforeAll(async () => {
  unhandled = watchUnhandled();
  h = await startHarness();
  await h.configure(TEAM);
  h.slack.addMessage(CHANNEL, {
    ts: "1712345678.123456",
    metadata: {
      event_type: "whatsapp_message",
      event_payload: { session_id: SESSION, chat: GROUP_CHAT, message_id: MID, sender: SENDER },
    },
  });
});
afterAll(async () => {
  unhandled.stop();
  expectNoSecretsLeaked(h);
  await h.close();
});

/** What an ack body may be: empty, or one Slack message / modal response of ours. */
function expectSaneAck(res: { status: number; body: string }) {
  expect(res.status).toBe(200);
  if (res.body === "") return;
  const body = JSON.parse(res.body) as Record<string, unknown>;
  if ("response_action" in body) {
    expect(["errors", "update"]).toContain(body.response_action);
    if (body.response_action === "errors") {
      expect(Object.keys(body.errors as object).length).toBeGreaterThan(0);
    }
    return;
  }
  expect(typeof body.text).toBe("string");
  expect(String(body.text).length).toBeGreaterThan(0);
  expect(res.body).not.toContain("internal_error");
}

/** After the acks: all follow-up work done, none of it ended in a bug, and the app still serves. */
async function expectSettledAndServing() {
  expect(await h.app.inFlight.drain(15_000)).toBe(true);
  expect(unhandled.seen).toEqual([]);
  const logs = h.logs.join("");
  expect(logs).not.toMatch(/"type":"(TypeError|RangeError|ReferenceError|SyntaxError|URIError)"/);
  expect(logs).not.toContain("An unhandled error occurred");
  expect(JSON.stringify(h.slack.responses)).not.toContain("internal_error");
  await h.configure(TEAM);
  const run = await wa(h, `react --chat ${GROUP_CHAT} --mid ${MID} 👍`);
  expect(textOf(await run.reply())).toContain("sent");
}

describe("random input through the running app", () => {
  it("when /wa gets any text at all, then every answer is a sane 200 and the app keeps serving", async () => {
    const text = fc.oneof(
      { weight: 3, arbitrary: commandLikeText },
      { weight: 1, arbitrary: anyText },
      // Valid-looking actions, so the random part also reaches the gateway and the Slack lookups.
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom("react", "unreact", "vote"), commandLikeText)
          .map(([sub, rest]) => `${sub} --chat ${GROUP_CHAT} --mid ${MID} ${rest}`),
      },
    );
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom(MEMBER, ADMIN), async (t, user) => {
        const run = await wa(h, t, { user });
        expectSaneAck(run.res);
      }),
      { numRuns: 150 },
    );
    await expectSettledAndServing();
  });

  it("when modals are submitted with any state and any private_metadata, then every answer is a sane 200 and the app keeps serving", async () => {
    const context: fc.Arbitrary<ModalContext> = fc.record({
      workspaceId: fc.constant(TEAM),
      userId: fc.constant(MEMBER),
      channelId: fc.constant(CHANNEL),
      responseUrl: fc.constant(h.slack.responseUrl("fuzz-modal")),
      target: fc.record({
        sessionId: fc.constantFrom(SESSION, "", "sess_unknown"),
        chat: fc.constantFrom(GROUP_CHAT, "not-a-jid", ""),
        messageId: fc.constantFrom(MID, "x"),
        sender: fc.constantFrom(SENDER, ""),
      }),
      poll: fc.option(
        fc.record({
          name: fc.string({ maxLength: 20 }),
          options: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 30 }), {
            minLength: 2,
            maxLength: 12,
          }),
          selectableCount: fc.nat({ max: 12 }),
        }),
        { nil: undefined },
      ),
    });
    const metadata = fc.oneof(
      context.map((ctx) => {
        try {
          return encodeModalContext(ctx);
        } catch {
          return "{}";
        }
      }),
      anyText,
    );
    const entry = fc.oneof(
      fc.anything(),
      fc.record(
        {
          type: fc.constantFrom("plain_text_input", "checkboxes", "radio_buttons", "static_select"),
          value: fc.oneof(anyText, fc.constantFrom(":+1:", "👍", "wa_fuzz_key_0123456789", "Pizza\nSushi")),
          selected_option: fc.oneof(fc.anything(), fc.record({ value: fc.string() })),
          selected_options: fc.array(fc.record({ value: fc.string({ maxLength: 3 }) }), { maxLength: 4 }),
        },
        { requiredKeys: [] },
      ),
    );
    const values = fc.dictionary(
      fc.constantFrom("emoji", "options", "clear_vote", "api_key", "session", "visibility", "x"),
      fc.dictionary(
        fc.constantFrom(
          "emoji_input",
          "options_input",
          "clear_vote_input",
          "api_key_input",
          "session_input",
          "visibility_input",
        ),
        entry,
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(ViewId.react, ViewId.vote, ViewId.config),
        metadata,
        values,
        fc.constantFrom(MEMBER, ADMIN),
        async (callbackId, privateMetadata, state, user) => {
          const res = await h.send.interaction(
            viewSubmission({
              view: { id: "VFUZZ00001", callback_id: callbackId, private_metadata: privateMetadata },
              userId: user,
              values: state as Record<string, Record<string, unknown>>,
            }),
          );
          expectSaneAck(res);
        },
      ),
      { numRuns: 150 },
    );
    await expectSettledAndServing();
  });
});

describe("the view parsers without a property test of their own", () => {
  it("when the react modal's state is anything at all, then reading the emoji returns text or refuses with a UserInputError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.anything())), (values) =>
        returnsOrRefuses(() => readEmojiSubmission(values)),
      ),
      { numRuns: 500 },
    );
  });

  it("when private_metadata is any text, then decoding returns a context or refuses with a UserInputError", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          decodeModalContext(text);
        } catch (error) {
          expect(error).toBeInstanceOf(UserInputError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
