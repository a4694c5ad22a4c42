import { describe, expect, it } from "vitest";
import { QUICK_REACTIONS } from "../../../src/domain/emoji.js";
import { UserInputError } from "../../../src/errors.js";
import { decodeModalContext } from "../../../src/slack/blocks/modal-context.js";
import { reactModal, readEmojiSubmission } from "../../../src/slack/blocks/react-modal.js";
import { ActionId, BlockId, ViewId } from "../../../src/slack/ids.js";
import { assertBlockKitLimits } from "./block-kit-limits.js";
import { makeContext } from "./fixtures.js";

describe("reactModal", () => {
  const ctx = makeContext();
  const view = reactModal(ctx);

  it("when opened, then it is the react view with a short title, a React button and the context in private_metadata", () => {
    expect(view.callback_id).toBe(ViewId.react);
    expect(view.submit?.text).toBe("React");
    expect(decodeModalContext(view.private_metadata ?? "")).toEqual(ctx);
    assertBlockKitLimits(view);
  });

  it("when opened, then there is one quick-reaction button per quick emoji, valued by the emoji", () => {
    const actions = view.blocks.find((b) => "block_id" in b && b.block_id === BlockId.quickReactions);
    expect(actions?.type).toBe("actions");
    const elements = actions && "elements" in actions ? actions.elements : [];
    expect(elements).toHaveLength(QUICK_REACTIONS.length);
    QUICK_REACTIONS.forEach((emoji, i) => {
      expect(elements[i]).toMatchObject({
        type: "button",
        action_id: `${ActionId.quickReaction}:${i}`,
        value: emoji,
        text: { type: "plain_text", text: emoji },
      });
    });
  });

  it("when opened, then the emoji input is a plain text input on block emoji with a shortcode-or-emoji placeholder", () => {
    const input = view.blocks.find((b) => "block_id" in b && b.block_id === BlockId.emoji);
    expect(input).toMatchObject({
      type: "input",
      element: {
        type: "plain_text_input",
        action_id: ActionId.emojiInput,
        placeholder: { type: "plain_text", text: ":+1: or 👍" },
      },
    });
  });

  it("when the quick reactions are counted, then they fit one actions block (25 elements)", () => {
    expect(QUICK_REACTIONS.length).toBeLessThanOrEqual(25);
  });
});

describe("readEmojiSubmission", () => {
  const values = (value: unknown) => ({
    [BlockId.emoji]: { [ActionId.emojiInput]: { type: "plain_text_input", value } },
  });

  it("when an emoji or a shortcode was typed, then the text comes back trimmed, not yet normalized", () => {
    expect(readEmojiSubmission(values("  :+1::skin-tone-3: "))).toBe(":+1::skin-tone-3:");
    expect(readEmojiSubmission(values("👍"))).toBe("👍");
  });

  it.each([
    ["empty", values("")],
    ["null", values(null)],
    ["a number", values(5)],
    ["missing", {}],
    ["not an object", "👍"],
  ])("when the input is %s, then a UserInputError on block emoji is thrown", (_, submitted) => {
    let thrown: unknown;
    try {
      readEmojiSubmission(submitted);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserInputError);
    expect((thrown as UserInputError).field).toBe(BlockId.emoji);
  });
});
