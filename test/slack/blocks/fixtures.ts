// Shared inputs for the view tests: contexts, worst-case polls, and submitted `state.values` shapes
// as Slack sends them.
import type { Poll } from "../../../src/domain/types.js";
import type { ModalContext } from "../../../src/slack/blocks/modal-context.js";
import { ActionId, BlockId } from "../../../src/slack/ids.js";

export const GROUP_JID = "120363012345678901@g.us";
export const DIRECT_JID = "6281234567890@s.whatsapp.net";

export function makeContext(poll?: Poll): ModalContext {
  return {
    workspaceId: "T0123ABCD",
    userId: "U0123ABCD",
    channelId: "C0123ABCD",
    messageTs: "1714550400.123456",
    threadTs: "1714550300.000100",
    // A real response_url is about this long; the worst case must fit beside it.
    responseUrl: "https://hooks.slack.com/actions/T0123ABCD/7034567890123/AbCdEfGhIjKlMnOpQrStUvWx",
    target: {
      sessionId: "01HZX3K9V8Q2M7N4P6R5T1W0YZ",
      chat: GROUP_JID,
      messageId: "3EB0C431C26A1916E07A",
      sender: "6281234567890@s.whatsapp.net",
    },
    ...(poll ? { poll } : {}),
  };
}

/** An option of exactly `length` characters, distinct by its number at the start. */
export function longOption(index: number, length = 100): string {
  const head = `Option ${index + 1}: `;
  return head + "abcdefghij klmnopqrst uvwxyz ".repeat(5).slice(0, length - head.length);
}

/** WhatsApp's largest poll: 12 options of 100 characters, under a long name. */
export function worstPoll(selectableCount = 0): Poll {
  return {
    name: `Where should the team go for the quarterly offsite? ${"Long description. ".repeat(12)}`.slice(
      0,
      255,
    ),
    options: Array.from({ length: 12 }, (_, i) => longOption(i)),
    selectableCount,
  };
}

export const SMALL_SINGLE: Poll = {
  name: "Lunch?",
  options: ["Pizza", "Sushi", "Tacos"],
  selectableCount: 1,
};
export const SMALL_MULTI: Poll = {
  name: "Snacks",
  options: ["Chips", "Fruit", "Nuts", "Cake"],
  selectableCount: 0,
};
export const SMALL_UP_TO_2: Poll = { name: "Two at most", options: ["A", "B", "C"], selectableCount: 2 };

const option = (value: string) => ({ text: { type: "plain_text", text: value }, value });

/** `state.values` of the vote modal, with the choice given as Slack sends it for each element. */
export function voteValues(input: {
  selected?: string[];
  single?: string | null;
  text?: string | null;
  clear?: boolean;
}): Record<string, Record<string, unknown>> {
  const entry: Record<string, unknown> = {};
  if (input.selected !== undefined) {
    entry.type = "checkboxes";
    entry.selected_options = input.selected.map(option);
  } else if (input.single !== undefined) {
    entry.type = "radio_buttons";
    entry.selected_option = input.single === null ? null : option(input.single);
  } else {
    entry.type = "plain_text_input";
    entry.value = input.text ?? null;
  }
  return {
    [BlockId.options]: { [ActionId.optionsInput]: entry },
    [BlockId.clearVote]: {
      [ActionId.clearVote]: { type: "checkboxes", selected_options: input.clear ? [option("clear")] : [] },
    },
  };
}

/** `state.values` of the configuration modal. */
export function configValues(input: {
  apiKey?: string | null;
  session?: string | null;
  visibility?: string | null;
}): Record<string, Record<string, unknown>> {
  return {
    [BlockId.apiKey]: { [ActionId.apiKeyInput]: { type: "plain_text_input", value: input.apiKey ?? null } },
    [BlockId.session]: {
      [ActionId.sessionInput]: { type: "plain_text_input", value: input.session ?? null },
    },
    [BlockId.visibility]: {
      [ActionId.visibilityInput]: {
        type: "radio_buttons",
        selected_option: input.visibility == null ? null : option(input.visibility),
      },
    },
  };
}
