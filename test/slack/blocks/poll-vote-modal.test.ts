import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Poll } from "../../../src/domain/types.js";
import { UserInputError } from "../../../src/errors.js";
import type { InputBlock, ModalView } from "../../../src/slack/blocks/block-kit.js";
import { decodeModalContext } from "../../../src/slack/blocks/modal-context.js";
import {
  optionLabels,
  parseVoteSubmission,
  pollVoteModal,
} from "../../../src/slack/blocks/poll-vote-modal.js";
import { ActionId, BlockId, ViewId } from "../../../src/slack/ids.js";
import { assertBlockKitLimits } from "./block-kit-limits.js";
import { makeContext, SMALL_MULTI, SMALL_SINGLE, SMALL_UP_TO_2, voteValues, worstPoll } from "./fixtures.js";

function inputBlock(view: ModalView, blockId: string): InputBlock {
  const block = view.blocks.find((b) => "block_id" in b && b.block_id === blockId);
  if (block?.type !== "input") throw new Error(`no input block ${blockId}`);
  return block as InputBlock;
}

function optionsOf(view: ModalView): { text: { text: string }; value: string }[] {
  const element = inputBlock(view, BlockId.options).element as {
    options?: { text: { text: string }; value: string }[];
  };
  return element.options ?? [];
}

function expectUserInputError(fn: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UserInputError);
  expect((thrown as UserInputError).field).toBe(BlockId.options);
  expect((thrown as UserInputError).message).toMatch(message);
}

describe("pollVoteModal", () => {
  it("when the poll is single choice with few options, then the options are radio buttons valued by index", () => {
    const view = pollVoteModal(makeContext(SMALL_SINGLE));
    expect(view.callback_id).toBe(ViewId.vote);
    const input = inputBlock(view, BlockId.options);
    expect(input.optional).toBe(true);
    expect(input.element).toMatchObject({ type: "radio_buttons", action_id: ActionId.optionsInput });
    expect(optionsOf(view).map((o) => [o.text.text, o.value])).toEqual([
      ["Pizza", "0"],
      ["Sushi", "1"],
      ["Tacos", "2"],
    ]);
    assertBlockKitLimits(view);
  });

  it("when the poll is multi choice with few options, then the options are checkboxes", () => {
    expect(inputBlock(pollVoteModal(makeContext(SMALL_MULTI)), BlockId.options).element.type).toBe(
      "checkboxes",
    );
    expect(inputBlock(pollVoteModal(makeContext(SMALL_UP_TO_2)), BlockId.options).element.type).toBe(
      "checkboxes",
    );
  });

  it("when the poll has exactly 10 options, then checkboxes still hold them", () => {
    const poll: Poll = {
      name: "Ten",
      options: Array.from({ length: 10 }, (_, i) => `o${i}`),
      selectableCount: 0,
    };
    const view = pollVoteModal(makeContext(poll));
    expect(inputBlock(view, BlockId.options).element.type).toBe("checkboxes");
    assertBlockKitLimits(view);
  });

  it("when a multi-choice poll has 12 options, then a multi_static_select limited to the selectable count is used", () => {
    const view = pollVoteModal(makeContext(worstPoll(3)));
    expect(inputBlock(view, BlockId.options).element).toMatchObject({
      type: "multi_static_select",
      action_id: ActionId.optionsInput,
      max_selected_items: 3,
    });
    expect(optionsOf(view)).toHaveLength(12);
    assertBlockKitLimits(view);
  });

  it("when a single-choice poll has 12 options, then a static_select is used", () => {
    const view = pollVoteModal(makeContext(worstPoll(1)));
    expect(inputBlock(view, BlockId.options).element.type).toBe("static_select");
    assertBlockKitLimits(view);
  });

  it("when the poll is unknown, then a multi-line text input asks for one option a line", () => {
    const view = pollVoteModal(makeContext());
    const input = inputBlock(view, BlockId.options);
    expect(input.element).toMatchObject({
      type: "plain_text_input",
      multiline: true,
      action_id: ActionId.optionsInput,
    });
    expect(input.optional).toBe(true);
    expect(JSON.stringify(view)).toMatch(/one a line/i);
    assertBlockKitLimits(view);
  });

  it("when options are 100 characters long, then labels are shortened to 75 with … and values stay indices", () => {
    const poll = worstPoll(0);
    const options = optionsOf(pollVoteModal(makeContext(poll)));
    for (const [index, option] of options.entries()) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.text.text.endsWith("…")).toBe(true);
      expect(poll.options[index]?.startsWith(option.text.text.slice(0, -1))).toBe(true);
      expect(option.value).toBe(String(index));
    }
  });

  it("when two long options share their first 74 characters, then their labels still differ", () => {
    const stem = "x".repeat(80);
    const labels = optionLabels([`${stem} A`, `${stem} B`, "short"]);
    expect(new Set(labels).size).toBe(3);
    expect(labels.every((l) => l.length <= 75)).toBe(true);
    expect(labels[2]).toBe("short");
  });

  it("when an option is blank, then its label is still something Slack accepts", () => {
    expect(optionLabels([" ", "A"])).toEqual(["(empty option)", "A"]);
  });

  it("when the modal is built, then it shows the poll name, the selection rule and a separate optional clear-vote checkbox", () => {
    const view = pollVoteModal(makeContext(SMALL_UP_TO_2));
    const json = JSON.stringify(view);
    expect(json).toContain("*Two at most*");
    expect(json).toContain("Choose up to 2 options");
    const clear = inputBlock(view, BlockId.clearVote);
    expect(clear.optional).toBe(true);
    expect(clear.element).toMatchObject({ type: "checkboxes", action_id: ActionId.clearVote });
    expect(JSON.stringify(clear)).toContain("Clear my vote");
  });

  it("when the modal is built, then private_metadata carries the whole context", () => {
    const ctx = makeContext(worstPoll(2));
    expect(decodeModalContext(pollVoteModal(ctx).private_metadata ?? "")).toEqual(ctx);
  });

  it("when the poll name is very long, then the section text stays within Slack's limit", () => {
    const poll: Poll = { name: "N".repeat(255), options: ["A", "B"], selectableCount: 1 };
    assertBlockKitLimits(pollVoteModal(makeContext(poll)));
  });
});

describe("parseVoteSubmission", () => {
  it("when a label was shortened, then the vote carries the option's exact text", () => {
    const poll = worstPoll(0);
    const result = parseVoteSubmission(voteValues({ selected: ["11", "0"] }), makeContext(poll));
    expect(result).toEqual({ kind: "vote", options: [poll.options[11], poll.options[0]] });
  });

  it("when one radio button is chosen, then that option is voted", () => {
    const result = parseVoteSubmission(voteValues({ single: "1" }), makeContext(SMALL_SINGLE));
    expect(result).toEqual({ kind: "vote", options: ["Sushi"] });
  });

  it("when a single-choice poll gets two options, then it is refused on the options block", () => {
    const values = voteValues({ selected: ["0", "1"] });
    expectUserInputError(() => parseVoteSubmission(values, makeContext(SMALL_SINGLE)), /single-choice/);
  });

  it("when more options are chosen than the poll allows, then it is refused on the options block", () => {
    const values = voteValues({ selected: ["0", "1", "2"] });
    expectUserInputError(() => parseVoteSubmission(values, makeContext(SMALL_UP_TO_2)), /up to 2/);
  });

  it("when the poll is unknown, then the typed lines are trimmed, blanks dropped, and voted", () => {
    const values = voteValues({ text: "  Pizza \n\n Sushi rolls\r\n   \n" });
    expect(parseVoteSubmission(values, makeContext())).toEqual({
      kind: "vote",
      options: ["Pizza", "Sushi rolls"],
    });
  });

  it("when the poll is unknown and only blank lines were typed, then it asks for an option", () => {
    expectUserInputError(
      () => parseVoteSubmission(voteValues({ text: " \n \n" }), makeContext()),
      /at least one/,
    );
  });

  it("when only 'Clear my vote' is ticked, then the vote is cleared", () => {
    expect(parseVoteSubmission(voteValues({ selected: [], clear: true }), makeContext(SMALL_MULTI))).toEqual({
      kind: "clear",
    });
    expect(parseVoteSubmission(voteValues({ text: null, clear: true }), makeContext())).toEqual({
      kind: "clear",
    });
  });

  it("when 'Clear my vote' is ticked together with options, then it is refused on the options block", () => {
    const values = voteValues({ selected: ["0"], clear: true });
    expectUserInputError(() => parseVoteSubmission(values, makeContext(SMALL_MULTI)), /not both/);
  });

  it("when nothing is chosen and clear is not ticked, then it is refused with the poll's rule", () => {
    const values = voteValues({ selected: [] });
    expectUserInputError(() => parseVoteSubmission(values, makeContext(SMALL_SINGLE)), /Choose one option/);
  });

  it.each([["12"], ["-1"], ["1.0"], ["abc"], ["0x1"], [""]])(
    "when an option value is %j (not an index of the poll), then the form is out of date",
    (value) => {
      const values = voteValues({ selected: [value] });
      expectUserInputError(() => parseVoteSubmission(values, makeContext(worstPoll(0))), /out of date/);
    },
  );

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "options"],
    ["an empty object", {}],
    ["a block that is an array", { [BlockId.options]: [] }],
    [
      "an entry without selections",
      { [BlockId.options]: { [ActionId.optionsInput]: { type: "checkboxes" } } },
    ],
    [
      "selected_options that is not an array",
      { [BlockId.options]: { [ActionId.optionsInput]: { selected_options: 5 } } },
    ],
    [
      "options that are not objects",
      { [BlockId.options]: { [ActionId.optionsInput]: { selected_options: [1, null] } } },
    ],
  ])("when values is %s, then a UserInputError comes back and nothing else", (_, values) => {
    expect(() => parseVoteSubmission(values, makeContext(SMALL_MULTI))).toThrow(UserInputError);
    expect(() => parseVoteSubmission(values, makeContext())).toThrow(UserInputError);
  });

  it("when values has any shape at all, then the result is a vote from the poll, a clear, or a UserInputError", () => {
    const option = fc.oneof(
      fc.anything(),
      fc.record({ value: fc.oneof(fc.nat({ max: 14 }).map(String), fc.string(), fc.anything()) }),
    );
    const entry = fc.oneof(
      fc.anything(),
      fc.record(
        {
          type: fc.string(),
          value: fc.oneof(fc.string(), fc.constant(null), fc.anything()),
          selected_option: option,
          selected_options: fc.oneof(fc.array(option), fc.anything()),
        },
        { requiredKeys: [] },
      ),
    );
    const values = fc.oneof(
      fc.anything({ withNullPrototype: true }),
      fc.dictionary(
        fc.constantFrom(...Object.values(BlockId), "__proto__", "constructor"),
        fc.oneof(
          fc.anything(),
          fc.dictionary(fc.constantFrom(...Object.values(ActionId), "toString"), entry),
        ),
      ),
    );
    const polls = fc.constantFrom<Poll | undefined>(
      undefined,
      SMALL_SINGLE,
      SMALL_MULTI,
      SMALL_UP_TO_2,
      worstPoll(3),
    );
    fc.assert(
      fc.property(values, polls, (v, poll) => {
        try {
          const result = parseVoteSubmission(v, makeContext(poll));
          if (result.kind === "vote" && poll) {
            expect(result.options.length).toBeGreaterThan(0);
            for (const o of result.options) expect(poll.options).toContain(o);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(UserInputError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
