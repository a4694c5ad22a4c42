// WhatsApp's poll rules, checked before the gateway is called: its code does not check them.
import { UserInputError } from "../errors.js";
import type { Poll } from "./types.js";

/** WhatsApp's limits: a poll has 2 to 12 options of at most 100 characters. */
export const MAX_OPTION_LENGTH = 100;
export const MAX_POLL_OPTIONS = 12;

/** Options are compared leniently for matching: case, spacing and Unicode forms aside. */
function looseKey(text: string): string {
  return text.normalize("NFKC").replace(/\s+/gu, " ").trim().toLowerCase();
}

function quoteList(options: readonly string[]): string {
  return options.map((o) => `"${o}"`).join(", ");
}

function optionsError(message: string): UserInputError {
  return new UserInputError(message, { field: "options" });
}

/** Counts characters as people do, so an emoji is one (WhatsApp's limit is on text length). */
export function optionLength(option: string): number {
  return Array.from(option).length;
}

/**
 * Trims and de-duplicates the options a user chose, dropping blank ones (a blank line in the
 * modal's text input), and checks WhatsApp's limits that hold for every poll.
 */
export function cleanVoteOptions(options: readonly string[]): string[] {
  const cleaned = [...new Set(options.map((o) => o.trim()).filter((o) => o !== ""))];
  const tooLong = cleaned.find((o) => optionLength(o) > MAX_OPTION_LENGTH);
  if (tooLong !== undefined) {
    throw optionsError(
      `"${Array.from(tooLong).slice(0, 40).join("")}…" is longer than WhatsApp's ${MAX_OPTION_LENGTH} characters for a poll option.`,
    );
  }
  if (cleaned.length > MAX_POLL_OPTIONS) {
    throw optionsError(
      `A WhatsApp poll has at most ${MAX_POLL_OPTIONS} options; you gave ${cleaned.length} different ones.`,
    );
  }
  return cleaned;
}

/** "Choose one option", "Choose up to 3 options", "Choose any number of options". */
export function describeSelectionRule(poll: Pick<Poll, "selectableCount">): string {
  if (poll.selectableCount === 1) return "Choose one option";
  if (poll.selectableCount > 1) return `Choose up to ${poll.selectableCount} options`;
  return "Choose any number of options";
}

/** The poll's own text for `option`: exact match first, then a lenient one if it is unambiguous. */
function matchOption(poll: Poll, option: string): string | undefined {
  if (poll.options.includes(option)) return option;
  const key = looseKey(option);
  const candidates = poll.options.filter((o) => looseKey(o) === key);
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * Checks a vote against the poll (when it is known) and returns the options to send: the poll's
 * exact texts, in the user's order, without duplicates. Clearing a vote is not a selection: it
 * has its own path, so at least one option is required here.
 *
 * @throws UserInputError (field `options`) naming what is wrong and what would be right.
 */
export function checkVoteSelection(poll: Poll | undefined, options: string[]): string[] {
  const cleaned = cleanVoteOptions(options);
  if (cleaned.length === 0) {
    throw optionsError(poll ? `${describeSelectionRule(poll)}.` : "Give at least one option to vote for.");
  }
  if (!poll) return cleaned;

  const matched: string[] = [];
  const unknown: string[] = [];
  for (const option of cleaned) {
    const exact = matchOption(poll, option);
    if (exact === undefined) unknown.push(option);
    else if (!matched.includes(exact)) matched.push(exact);
  }
  if (unknown.length > 0) {
    const what =
      unknown.length === 1 ? `"${unknown[0]}" is not an option` : `${quoteList(unknown)} are not options`;
    throw optionsError(`${what} of the poll "${poll.name}". Its options are ${quoteList(poll.options)}.`);
  }

  const limit = poll.selectableCount;
  if (limit === 1 && matched.length > 1) {
    throw optionsError(
      `"${poll.name}" is a single-choice poll: choose one option, not ${matched.length} (${quoteList(matched)}).`,
    );
  }
  if (limit > 1 && matched.length > limit) {
    throw optionsError(`"${poll.name}" allows up to ${limit} options; you chose ${matched.length}.`);
  }
  return matched;
}
