// The "React on WhatsApp" modal: one-click buttons for the common reactions, or any emoji typed in.
import { QUICK_REACTIONS } from "../../domain/emoji.js";
import { UserInputError } from "../../errors.js";
import { ActionId, BlockId, ViewId } from "../ids.js";
import type { ModalView } from "./block-kit.js";
import { code, describeChat, LIMITS, shorten } from "./format.js";
import { encodeModalContext, type ModalContext } from "./modal-context.js";
import { readTextInput } from "./state.js";

/** action_id of the quick-reaction button at `index`; the button's value is the emoji itself. */
export function quickReactionActionId(index: number): string {
  return `${ActionId.quickReaction}:${index}`;
}

export function reactModal(ctx: ModalContext): ModalView {
  const where = `Message ${code(ctx.target.messageId)} in ${describeChat(ctx.target.chat)}`;
  return {
    type: "modal",
    callback_id: ViewId.react,
    private_metadata: encodeModalContext(ctx),
    title: { type: "plain_text", text: "React on WhatsApp" },
    submit: { type: "plain_text", text: "React" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "context", elements: [{ type: "mrkdwn", text: shorten(where, LIMITS.contextText) }] },
      {
        type: "actions",
        block_id: BlockId.quickReactions,
        // An actions block holds 25 elements; QUICK_REACTIONS is a handful, and a test holds it to that.
        elements: QUICK_REACTIONS.slice(0, LIMITS.actionsElements).map((emoji, index) => ({
          type: "button" as const,
          action_id: quickReactionActionId(index),
          text: { type: "plain_text" as const, text: emoji, emoji: true },
          value: emoji,
        })),
      },
      {
        type: "input",
        block_id: BlockId.emoji,
        label: { type: "plain_text", text: "Or any emoji" },
        hint: { type: "plain_text", text: "One emoji: paste it, or type its Slack shortcode." },
        element: {
          type: "plain_text_input",
          action_id: ActionId.emojiInput,
          placeholder: { type: "plain_text", text: ":+1: or 👍" },
          max_length: 200,
        },
      },
    ],
  };
}

/**
 * The emoji text as typed, trimmed; the caller normalizes it (and sends its errors back on block
 * `emoji`). Throws UserInputError on block `emoji` when nothing usable was submitted.
 */
export function readEmojiSubmission(values: unknown): string {
  const text = readTextInput(values, BlockId.emoji, ActionId.emojiInput)?.trim() ?? "";
  if (text === "") {
    throw new UserInputError("Give an emoji, e.g. 👍 or :thumbsup:.", { field: BlockId.emoji });
  }
  return text;
}
