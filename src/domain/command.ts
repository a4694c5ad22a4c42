// Parses the text of `/wa …` (grammar in interface.md, "The slash command /wa" and "Links") into a
// WaCommand, with errors that say exactly what is wrong and show the subcommand's usage line.
import { parseArgs } from "node:util";
import { closest, distance } from "fastest-levenshtein";
import { UserInputError } from "../errors.js";
import { CHAT_EXAMPLES, chatIdRefusal } from "./chat-id.js";
import { normalizeEmoji } from "./emoji.js";
import { excerpt } from "./excerpt.js";
import { parsePermalink } from "./permalink.js";
import { cleanVoteOptions } from "./poll.js";
import { tokenize } from "./tokenize.js";
import type { TargetSpec, WaCommand } from "./types.js";

export type Subcommand =
  | "react"
  | "unreact"
  | "vote"
  | "link"
  | "unlink"
  | "links"
  | "status"
  | "config"
  | "help";

export const SUBCOMMANDS: readonly Subcommand[] = [
  "react",
  "unreact",
  "vote",
  "link",
  "unlink",
  "links",
  "status",
  "config",
  "help",
];

export const USAGE: Record<Subcommand, string> = {
  react: "/wa react <target> <emoji>",
  unreact: "/wa unreact <target>",
  vote: "/wa vote <target> [<option> ...] [--clear]",
  link: "/wa link [<chat>] [--session <session id>] [--reactions]",
  unlink: "/wa unlink [<chat>]",
  links: "/wa links",
  status: "/wa status",
  config: "/wa config",
  help: "/wa help",
};

export const TARGET_HELP =
  "<target> is a Slack message link (“Copy link” on a message that came from WhatsApp) " +
  "or --chat <jid> --mid <message id> [--sender <jid>] [--session <session id>]";

const CHAT_HELP = `<chat> is a WhatsApp chat id, such as ${CHAT_EXAMPLES}`;

export const HELP_LINES: readonly string[] = [
  `${USAGE.react} — react to a WhatsApp message, e.g. with 👍 or :thumbsup:`,
  `${USAGE.unreact} — remove your reaction`,
  '/wa vote <target> <option> [<option> ...] — vote in a WhatsApp poll; put options with spaces in "quotes"',
  "/wa vote <target> --clear — clear your vote",
  "/wa vote <target> — choose your options in a form",
  "/wa link <chat> [--session <session id>] [--reactions] — mirror that WhatsApp chat into this channel; " +
    "--reactions also sends Slack reactions on its messages to WhatsApp (workspace admins and owners)",
  "/wa link — choose the WhatsApp chat to mirror into this channel in a form (workspace admins and owners)",
  `${USAGE.unlink} — stop mirroring WhatsApp into this channel, or only that chat (workspace admins and owners)`,
  `${USAGE.links} — list this workspace's links (anyone)`,
  `${USAGE.status} — this workspace's configuration and whether the gateway answers`,
  `${USAGE.config} — set the gateway API key and session (workspace admins and owners)`,
  `${USAGE.help} — this help`,
  TARGET_HELP,
  "<emoji> is one emoji, such as 👍, :heart: or :+1::skin-tone-3:",
  CHAT_HELP,
];

/** Every flag of `/wa`, for parseArgs: a string flag takes the next word as its value. */
const FLAG_OPTIONS = {
  chat: { type: "string" },
  mid: { type: "string" },
  sender: { type: "string" },
  session: { type: "string" },
  clear: { type: "boolean" },
  reactions: { type: "boolean" },
} as const;

type FlagName = keyof typeof FLAG_OPTIONS;
type StringFlag = {
  [F in FlagName]: (typeof FLAG_OPTIONS)[F]["type"] extends "string" ? F : never;
}[FlagName];
type BooleanFlag = Exclude<FlagName, StringFlag>;

const FLAG_VALUE_HINT: Record<StringFlag, string> = {
  chat: "<chat jid>",
  mid: "<message id>",
  sender: "<sender jid>",
  session: "<session id>",
};

/** Where a switch belongs and what it does there, for a user who tried it on another subcommand. */
const SWITCH_HOME: Record<BooleanFlag, { sub: Subcommand; does: string }> = {
  clear: { sub: "vote", does: "it clears your vote in a poll" },
  reactions: { sub: "link", does: "it also sends Slack reactions on mirrored messages to WhatsApp" },
};

type FlaggedSubcommand = "react" | "unreact" | "vote" | "link" | "unlink";

const TARGET_FLAGS = ["chat", "mid", "sender", "session"] as const;

const FLAGS_OF: Record<FlaggedSubcommand, readonly FlagName[]> = {
  react: TARGET_FLAGS,
  unreact: TARGET_FLAGS,
  vote: [...TARGET_FLAGS, "clear"],
  link: ["session", "reactions"],
  unlink: [],
};

/** Edits a typo can make (a swapped pair of letters is two) before a word is something else. */
const MAX_TYPO_DISTANCE = 2;

/** The closest of `candidates` to `word`, if it is close enough to be a typo of it. */
function typoOf(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates);
  return distance(word, best) <= MAX_TYPO_DISTANCE ? best : undefined;
}

function isSubcommand(word: string): word is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(word);
}

function isFlagName(word: string): word is FlagName {
  return Object.hasOwn(FLAG_OPTIONS, word);
}

function isBooleanFlag(name: FlagName): name is BooleanFlag {
  return FLAG_OPTIONS[name].type === "boolean";
}

/** What the user typed, quoted back as code (and shortened if long). */
function code(text: string): string {
  return `\`${excerpt(text)}\``;
}

/** Re-throws a UserInputError from a helper with the usage line of the subcommand being parsed. */
function withUsage<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UserInputError && error.usage === undefined) {
      throw new UserInputError(error.message, { usage, field: error.field, cause: error });
    }
    throw error;
  }
}

interface ParsedArgs {
  flags: Partial<Record<StringFlag, string>>;
  switches: Set<BooleanFlag>;
  positionals: string[];
}

/**
 * Spells every known flag as parseArgs expects it. macOS and iOS turn a typed `--` into an em or
 * en dash and may capitalise, so `—Chat` is `--chat` too, but only for names we know: a dash in a
 * vote option stays text. Words after a bare `--` are options or emoji whatever they look like.
 */
function normalizeFlags(args: readonly string[]): string[] {
  const end = args.indexOf("--");
  return args.map((arg, index) => {
    if (end !== -1 && index > end) return arg;
    const match = /^(?:--|[—–])([^=]+)(=.*)?$/su.exec(arg);
    const name = match?.[1]?.toLowerCase();
    return name !== undefined && isFlagName(name) ? `--${name}${match?.[2] ?? ""}` : arg;
  });
}

/** Why `--name` (typed as `rawName`) is not a flag of `sub`, with the likely intended one. */
function flagRefusal(sub: FlaggedSubcommand, name: string, rawName: string): string {
  if (isFlagName(name) && isBooleanFlag(name) && SWITCH_HOME[name].sub !== sub) {
    const home = SWITCH_HOME[name];
    return `--${name} only works with /wa ${home.sub}: ${home.does}.`;
  }
  if (name === "chat" && (sub === "link" || sub === "unlink")) {
    return `Write the chat id without --chat: /wa ${sub} 120363012345678901@g.us.`;
  }
  const allowed = FLAGS_OF[sub];
  if (allowed.length === 0) return `/wa ${sub} takes no flags, but got ${code(rawName)}.`;
  const suggestion = typoOf(name.toLowerCase(), allowed);
  const hint = suggestion ? ` Did you mean --${suggestion}?` : "";
  const list = allowed.map((f) => `--${f}`).join(", ");
  return `Unknown flag ${code(rawName)}.${hint} Flags of /wa ${sub}: ${list}.`;
}

function readArgs(sub: FlaggedSubcommand, args: readonly string[]): ParsedArgs {
  const usage = USAGE[sub];
  const fail = (message: string) => new UserInputError(message, { usage });
  const allowed = FLAGS_OF[sub];
  const words = normalizeFlags(args);
  // Not strict: strict mode stops at the first problem in Node's words and refuses a word such as
  // `-5`, a fine vote option. The tokens keep enough to name each problem precisely ourselves.
  const { tokens } = parseArgs({
    args: words,
    options: FLAG_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const parsed: ParsedArgs = { flags: {}, switches: new Set(), positionals: [] };
  let lastWordIndex = -1;
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      parsed.positionals.push(token.value);
      continue;
    }
    if (!token.rawName.startsWith("--")) {
      // /wa has no one-letter flags, so `-5` is a word; parseArgs splits `-abc` into a token per
      // letter, all with the index of the one word.
      if (token.index !== lastWordIndex) parsed.positionals.push(words[token.index] ?? token.rawName);
      lastWordIndex = token.index;
      continue;
    }

    const { name, rawName, value } = token;
    if (!isFlagName(name) || !allowed.includes(name)) throw fail(flagRefusal(sub, name, rawName));
    if (isBooleanFlag(name)) {
      if (value !== undefined) throw fail(`--${name} takes no value: write just --${name}.`);
      if (parsed.switches.has(name)) throw fail(`--${name} is given twice.`);
      parsed.switches.add(name);
      continue;
    }
    if (parsed.flags[name] !== undefined) throw fail(`--${name} is given twice.`);
    // parseArgs takes the next word even when it is another flag (`--chat --mid 3EB0…`); a value
    // that really starts with dashes can be written `--mid=--x`.
    if (value === undefined || (!token.inlineValue && value.startsWith("--"))) {
      throw fail(`--${name} needs a value: --${name} ${FLAG_VALUE_HINT[name]}.`);
    }
    parsed.flags[name] = value.trim();
  }
  return parsed;
}

function looksLikeUrl(token: string): boolean {
  return /^<?(?:https?:\/\/|www\.)/i.test(token);
}

/** Takes the target (a link among the words, or the flags) and returns it with the other words. */
function takeTarget(
  sub: "react" | "unreact" | "vote",
  { flags, positionals }: ParsedArgs,
): { target: TargetSpec; words: string[] } {
  const usage = USAGE[sub];
  const fail = (message: string) => new UserInputError(message, { usage });

  const links = withUsage(usage, () =>
    positionals.flatMap((token, index) => {
      const link = parsePermalink(token);
      return link ? [{ index, link }] : [];
    }),
  );
  const words = positionals.filter((_, index) => !links.some((l) => l.index === index));
  const flagsGiven = TARGET_FLAGS.filter((f) => flags[f] !== undefined);

  const [first, ...more] = links;
  if (more.length > 0) {
    throw fail(`Give one message link, not ${links.length}.`);
  }
  if (first) {
    if (flagsGiven.length > 0) {
      const given = flagsGiven.map((f) => `--${f}`).join(", ");
      throw fail(
        `Give either a Slack message link or --chat/--mid flags, not both (you gave a link and ${given}). ` +
          "The link's WhatsApp metadata already names the chat, message and session.",
      );
    }
    return { target: { kind: "link", link: first.link }, words };
  }

  if (flagsGiven.length === 0) {
    const url = words.find(looksLikeUrl);
    const problem = url
      ? `${code(url)} is not a Slack message link.`
      : `Which WhatsApp message? /wa ${sub} needs a target first.`;
    throw fail(`${problem} ${TARGET_HELP}.`);
  }
  const { chat, mid, sender, session } = flags;
  if (chat === undefined) {
    throw fail(`--chat ${FLAG_VALUE_HINT.chat} is missing: it names the WhatsApp chat.`);
  }
  if (mid === undefined) {
    throw fail(`--mid ${FLAG_VALUE_HINT.mid} is missing: it names the WhatsApp message in that chat.`);
  }
  if (!chat.includes("@")) {
    throw fail(
      `--chat ${code(chat)} is not a WhatsApp chat JID: it looks like 6281234567890@s.whatsapp.net or 120363012345678901@g.us.`,
    );
  }
  if (mid === "") throw fail("--mid is empty: give the WhatsApp message id, e.g. 3EB0C431C26A1916E07A.");
  // An empty sender is meaningful (your own message); anything else must be a JID like --chat.
  if (sender !== undefined && sender !== "" && !sender.includes("@")) {
    throw fail(`--sender ${code(sender)} is not a WhatsApp JID: it looks like 6281234567890@s.whatsapp.net.`);
  }
  if (session === "") throw fail("--session is empty: give a session id, or leave the flag out.");

  const target: TargetSpec = { kind: "explicit", chat, messageId: mid };
  if (sender !== undefined) target.sender = sender;
  if (session !== undefined) target.sessionId = session;
  return { target, words };
}

function isEmoji(word: string): boolean {
  try {
    normalizeEmoji(word);
    return true;
  } catch {
    return false;
  }
}

function parseReact(args: readonly string[]): WaCommand {
  const usage = USAGE.react;
  const { target, words } = takeTarget("react", readArgs("react", args));
  const [emoji, ...extra] = words;
  if (emoji === undefined) {
    throw new UserInputError("Which emoji? Add one after the target, e.g. 👍 or :thumbsup:.", { usage });
  }
  if (extra.length > 0) {
    const message = words.every(isEmoji)
      ? `Send one emoji, not ${words.length} (${words.join(" ")}): a WhatsApp reaction is a single emoji.`
      : `Expected one emoji after the target, but got ${code(words.join(" "))}.`;
    throw new UserInputError(message, { usage, field: "emoji" });
  }
  return { kind: "react", target, emoji: withUsage(usage, () => normalizeEmoji(emoji)) };
}

function parseUnreact(args: readonly string[]): WaCommand {
  const usage = USAGE.unreact;
  const { target, words } = takeTarget("unreact", readArgs("unreact", args));
  if (words.length > 0) {
    const message =
      words.length === 1 && isEmoji(words[0] ?? "")
        ? "/wa unreact needs no emoji: it removes your reaction, whichever it is."
        : `Unexpected words after the target: ${code(words.join(" "))}. /wa unreact takes only a target.`;
    throw new UserInputError(message, { usage });
  }
  return { kind: "unreact", target };
}

function parseVote(args: readonly string[]): WaCommand {
  const usage = USAGE.vote;
  const parsed = readArgs("vote", args);
  const { target, words } = takeTarget("vote", parsed);
  if (parsed.switches.has("clear")) {
    if (words.length > 0) {
      throw new UserInputError(
        `--clear clears your vote, so it takes no options: leave out ${code(words.join(" "))}, or leave out --clear to vote for them.`,
        { usage, field: "options" },
      );
    }
    return { kind: "vote_clear", target };
  }
  if (words.length === 0) return { kind: "vote_modal", target };
  if (words.some((w) => w.trim() === "")) {
    throw new UserInputError("An option can't be empty. To clear your vote, use --clear.", {
      usage,
      field: "options",
    });
  }
  return { kind: "vote", target, options: withUsage(usage, () => cleanVoteOptions(words)) };
}

/** The one chat among the words of `/wa link` or `/wa unlink`, if any. */
function takeChat(sub: "link" | "unlink", words: readonly string[]): string | undefined {
  const usage = USAGE[sub];
  const [chat, ...extra] = words;
  if (chat === undefined) return undefined;
  if (extra.length > 0) {
    throw new UserInputError(
      `/wa ${sub} takes one chat, but got ${words.length}: ${code(words.join(" "))}. Run it once for each chat.`,
      { usage },
    );
  }
  const refusal = chatIdRefusal(chat);
  if (refusal !== undefined) throw new UserInputError(refusal, { usage });
  return chat;
}

function parseLink(args: readonly string[]): WaCommand {
  const { flags, switches, positionals } = readArgs("link", args);
  const chat = takeChat("link", positionals);
  if (flags.session === "") {
    throw new UserInputError("--session is empty: give a session id, or leave the flag out.", {
      usage: USAGE.link,
    });
  }
  const session = flags.session === undefined ? {} : { sessionId: flags.session };
  const reactions = switches.has("reactions");
  // Without a chat the app lists the session's chats in a modal to pick from.
  return chat === undefined
    ? { kind: "link_modal", ...session, sendReactions: reactions }
    : { kind: "link", chat, ...session, ...(reactions ? { sendReactions: true as const } : {}) };
}

function parseUnlink(args: readonly string[]): WaCommand {
  const chat = takeChat("unlink", readArgs("unlink", args).positionals);
  return chat === undefined ? { kind: "unlink" } : { kind: "unlink", chat };
}

function noArguments(sub: "status" | "config" | "links", args: readonly string[]): void {
  if (args.length > 0) {
    throw new UserInputError(`/wa ${sub} takes no arguments, but got ${code(args.join(" "))}.`, {
      usage: USAGE[sub],
    });
  }
}

function unknownSubcommand(word: string): UserInputError {
  const list = SUBCOMMANDS.join(", ");
  if (word.startsWith("-") || looksLikeUrl(word) || word.startsWith("<")) {
    return new UserInputError(`Start with what to do: ${list}. For example: ${USAGE.react}.`);
  }
  const suggestion = typoOf(word.toLowerCase(), SUBCOMMANDS);
  const hint = suggestion ? ` Did you mean ${code(suggestion)}?` : "";
  return new UserInputError(`Unknown subcommand ${code(word)}.${hint} Subcommands: ${list}.`);
}

/**
 * Parses the text after `/wa`. Empty text is `help`.
 *
 * @throws UserInputError with the misused subcommand's `usage` line.
 */
export function parseCommand(text: string): WaCommand {
  const firstWord = text.trim().split(/\s+/u)[0]?.toLowerCase() ?? "";
  const tokens = isSubcommand(firstWord) ? withUsage(USAGE[firstWord], () => tokenize(text)) : tokenize(text);
  const [first, ...args] = tokens;
  if (first === undefined) return { kind: "help" };

  const sub = first.toLowerCase();
  if (!isSubcommand(sub)) throw unknownSubcommand(first);
  switch (sub) {
    case "help":
      // `/wa help react` is still a request for help; there is one help text.
      return { kind: "help" };
    case "status":
    case "config":
    case "links":
      noArguments(sub, args);
      return { kind: sub };
    case "react":
      return parseReact(args);
    case "unreact":
      return parseUnreact(args);
    case "vote":
      return parseVote(args);
    case "link":
      return parseLink(args);
    case "unlink":
      return parseUnlink(args);
  }
}
