// The poll-vote modal and the reading of its submission. Options are offered by index, never by
// text: a label may be shortened to Slack's 75 characters, and the vote must carry the exact text,
// which comes back from the poll kept in the modal's private_metadata.
import { checkVoteSelection, describeSelectionRule } from "../../domain/poll.js";
import type { Poll } from "../../domain/types.js";
import { UserInputError } from "../../errors.js";
import { ActionId, BlockId, ViewId } from "../ids.js";
import type { InputBlockElement, KnownBlock, ModalView, PlainTextOption } from "./block-kit.js";
import { describeChat, escapeText, LIMITS, shorten } from "./format.js";
import { encodeModalContext, type ModalContext } from "./modal-context.js";
import { readSelectedOptions, readTextInput } from "./state.js";

export type VoteSubmission = { kind: "vote"; options: string[] } | { kind: "clear" };

const CLEAR_VALUE = "clear";
const CLEAR_LABEL = "Clear my vote";
const OUT_OF_DATE = "This form is out of date, open it again.";

type OptionsElement = "checkboxes" | "radio_buttons" | "multi_static_select" | "static_select" | "text";

/** One choice of element, used both to build the modal and to read it back. */
function optionsElement(poll: Poll | undefined): OptionsElement {
  const count = poll?.options.length ?? 0;
  // No options known (or more than any list element holds): the user types them.
  if (!poll || count === 0 || count > LIMITS.staticSelectOptions) return "text";
  const single = poll.selectableCount === 1;
  if (count <= LIMITS.checkboxOptions) return single ? "radio_buttons" : "checkboxes";
  return single ? "static_select" : "multi_static_select";
}

/**
 * Labels for the poll's options, at most 75 characters each. Two long options that share their
 * first 74 characters would shorten to the same label; those get their number appended.
 */
export function optionLabels(options: readonly string[]): string[] {
  // Slack refuses an option whose text is empty or blank.
  const texts = options.map((option) => (option.trim() === "" ? "(empty option)" : option));
  const shortened = texts.map((text) => shorten(text, LIMITS.optionText));
  return shortened.map((label, index) => {
    if (shortened.indexOf(label) === shortened.lastIndexOf(label)) return label;
    const suffix = ` (${index + 1})`;
    return `${shorten(texts[index] ?? "", LIMITS.optionText - suffix.length)}${suffix}`;
  });
}

function pollOptions(poll: Poll): PlainTextOption[] {
  return optionLabels(poll.options).map((label, index) => ({
    text: { type: "plain_text", text: label, emoji: true },
    value: String(index),
  }));
}

function optionsInput(poll: Poll | undefined): InputBlockElement {
  const kind = optionsElement(poll);
  if (kind === "text" || !poll) {
    return {
      type: "plain_text_input",
      action_id: ActionId.optionsInput,
      multiline: true,
      max_length: LIMITS.textInputMaxLength,
      placeholder: { type: "plain_text", text: "One option a line, exactly as in WhatsApp" },
    };
  }
  const options = pollOptions(poll);
  const placeholder = { type: "plain_text" as const, text: "Choose" };
  switch (kind) {
    case "checkboxes":
      return { type: "checkboxes", action_id: ActionId.optionsInput, options };
    case "radio_buttons":
      return { type: "radio_buttons", action_id: ActionId.optionsInput, options };
    case "static_select":
      return { type: "static_select", action_id: ActionId.optionsInput, options, placeholder };
    case "multi_static_select":
      return {
        type: "multi_static_select",
        action_id: ActionId.optionsInput,
        options,
        placeholder,
        ...(poll.selectableCount > 1 ? { max_selected_items: poll.selectableCount } : {}),
      };
  }
}

function introText(ctx: ModalContext): string {
  const where = `A poll in ${describeChat(ctx.target.chat)}.`;
  const poll = ctx.poll;
  if (!poll || optionsElement(poll) === "text") {
    const name = poll ? `*${escapeText(poll.name)}*\n` : "";
    return (
      `${name}${where}\nThe app doesn't know this poll's options: type the ones you vote for, one a line, ` +
      "exactly as they read in WhatsApp."
    );
  }
  return `*${escapeText(poll.name)}*\n${where}`;
}

export function pollVoteModal(ctx: ModalContext): ModalView {
  const poll = ctx.poll;
  const rule = poll ? `${describeSelectionRule(poll)}.` : "One option a line.";
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: shorten(introText(ctx), LIMITS.sectionText) } },
    {
      type: "input",
      block_id: BlockId.options,
      // Optional so that "Clear my vote" can be submitted alone; the poll's rules are checked on submit.
      optional: true,
      label: { type: "plain_text", text: poll?.selectableCount === 1 ? "Your choice" : "Your choices" },
      hint: { type: "plain_text", text: rule },
      element: optionsInput(poll),
    },
    {
      type: "input",
      block_id: BlockId.clearVote,
      optional: true,
      label: { type: "plain_text", text: "Or take your vote back" },
      element: {
        type: "checkboxes",
        action_id: ActionId.clearVote,
        options: [{ text: { type: "plain_text", text: CLEAR_LABEL }, value: CLEAR_VALUE }],
      },
    },
  ];
  return {
    type: "modal",
    callback_id: ViewId.vote,
    private_metadata: encodeModalContext(ctx),
    title: { type: "plain_text", text: "Vote in WhatsApp poll" },
    submit: { type: "plain_text", text: "Vote" },
    close: { type: "plain_text", text: "Cancel" },
    blocks,
  };
}

function optionsError(message: string): UserInputError {
  return new UserInputError(message, { field: BlockId.options });
}

/** The options chosen in the form, as the poll's exact texts (or the typed lines). */
function chosenOptions(values: unknown, poll: Poll | undefined): string[] {
  if (optionsElement(poll) === "text" || !poll) {
    const text = readTextInput(values, BlockId.options, ActionId.optionsInput) ?? "";
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "");
  }
  const picked = readSelectedOptions(values, BlockId.options, ActionId.optionsInput) ?? [];
  return picked.map((value) => {
    // Only a form this app built sends these values; anything else is a stale or forged form.
    const index = value !== undefined && /^\d{1,3}$/.test(value) ? Number(value) : -1;
    const option = poll.options[index];
    if (option === undefined) throw optionsError(OUT_OF_DATE);
    return option;
  });
}

/**
 * The vote a submitted form asks for. Throws UserInputError (field `options`) for anything the
 * user must change, and for nothing else, whatever shape `values` has.
 */
export function parseVoteSubmission(values: unknown, ctx: ModalContext): VoteSubmission {
  const clear = (readSelectedOptions(values, BlockId.clearVote, ActionId.clearVote) ?? []).includes(
    CLEAR_VALUE,
  );
  const chosen = chosenOptions(values, ctx.poll);
  if (clear && chosen.length > 0) {
    throw optionsError(`Choose options or tick “${CLEAR_LABEL}”, not both.`);
  }
  if (clear) return { kind: "clear" };
  if (chosen.length === 0) {
    const rule = ctx.poll ? describeSelectionRule(ctx.poll) : "Give at least one option";
    throw optionsError(`${rule}, or tick “${CLEAR_LABEL}”.`);
  }
  try {
    return { kind: "vote", options: checkVoteSelection(ctx.poll, chosen) };
  } catch (error) {
    // The rule's message must land on the options block whatever field the domain gave it.
    if (error instanceof UserInputError && error.field !== BlockId.options) {
      throw new UserInputError(error.message, { field: BlockId.options, cause: error });
    }
    throw error;
  }
}
