// Parses the text of `/wa …` (grammar in interface.md, "The slash command /wa") into a WaCommand,
// with errors that say exactly what is wrong and show the subcommand's usage line.
import { UserInputError } from "../errors.js";
import { normalizeEmoji } from "./emoji.js";
import { excerpt } from "./excerpt.js";
import { parsePermalink } from "./permalink.js";
import { cleanVoteOptions } from "./poll.js";
import { tokenize } from "./tokenize.js";
import type { TargetSpec, WaCommand } from "./types.js";

export type Subcommand = "react" | "unreact" | "vote" | "status" | "config" | "help";

export const SUBCOMMANDS: readonly Subcommand[] = ["react", "unreact", "vote", "status", "config", "help"];

export const USAGE: Record<Subcommand, string> = {
  react: "/wa react <target> <emoji>",
  unreact: "/wa unreact <target>",
  vote: "/wa vote <target> [<option> ...] [--clear]",
  status: "/wa status",
  config: "/wa config",
  help: "/wa help",
};

export const TARGET_HELP =
  "<target> is a Slack message link (“Copy link” on a message that came from WhatsApp) " +
  "or --chat <jid> --mid <message id> [--sender <jid>] [--session <session id>]";

export const HELP_LINES: readonly string[] = [
  `${USAGE.react} — react to a WhatsApp message, e.g. with 👍 or :thumbsup:`,
  `${USAGE.unreact} — remove your reaction`,
  '/wa vote <target> <option> [<option> ...] — vote in a WhatsApp poll; put options with spaces in "quotes"',
  "/wa vote <target> --clear — clear your vote",
  "/wa vote <target> — choose your options in a form",
  `${USAGE.status} — this workspace's configuration and whether the gateway answers`,
  `${USAGE.config} — set the gateway API key and session (workspace admins and owners)`,
  `${USAGE.help} — this help`,
  TARGET_HELP,
  "<emoji> is one emoji, such as 👍, :heart: or :+1::skin-tone-3:",
];

const TARGET_FLAGS = ["chat", "mid", "sender", "session"] as const;
type TargetFlag = (typeof TARGET_FLAGS)[number];
type FlagName = TargetFlag | "clear";
const FLAG_NAMES: readonly FlagName[] = [...TARGET_FLAGS, "clear"];

const FLAG_VALUE_HINT: Record<TargetFlag, string> = {
  chat: "<chat jid>",
  mid: "<message id>",
  sender: "<sender jid>",
  session: "<session id>",
};

/** Optimal string alignment distance: a swapped pair of letters counts as one typo. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The closest of `candidates` to `word`, if it is close enough to be a typo of it. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  // Long input cannot be a typo of a short name; skip the quadratic work.
  if (word.length > 20) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function isSubcommand(word: string): word is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(word);
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
  flags: Partial<Record<TargetFlag, string>>;
  clear: boolean;
  positionals: string[];
}

/**
 * A flag token's name and inline value. macOS and iOS turn a typed `--` into an em or en dash,
 * so `—chat` is read as `--chat` too, but only for names we know: a dash in an option stays text.
 */
function readFlag(token: string): { name: string; value: string | undefined } | undefined {
  let body: string;
  if (token.startsWith("--") && token.length > 2) body = token.slice(2);
  else if (/^[—–]\p{L}/u.test(token)) body = token.slice(1);
  else return undefined;
  const eq = body.indexOf("=");
  const name = eq === -1 ? body : body.slice(0, eq);
  const value = eq === -1 ? undefined : body.slice(eq + 1);
  if (!token.startsWith("--") && !(FLAG_NAMES as readonly string[]).includes(name.toLowerCase())) {
    return undefined;
  }
  return { name, value };
}

function parseArgs(sub: "react" | "unreact" | "vote", args: readonly string[]): ParsedArgs {
  const usage = USAGE[sub];
  const fail = (message: string) => new UserInputError(message, { usage });
  const allowed: readonly FlagName[] = sub === "vote" ? FLAG_NAMES : TARGET_FLAGS;
  const allowedList = allowed.map((f) => `--${f}`).join(", ");

  const parsed: ParsedArgs = { flags: {}, clear: false, positionals: [] };
  // After a bare `--`, every word is an option or emoji, even one that starts with dashes.
  let flagsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const token = args[i] ?? "";
    if (!flagsEnded && token === "--") {
      flagsEnded = true;
      continue;
    }
    const flag = flagsEnded ? undefined : readFlag(token);
    if (!flag) {
      parsed.positionals.push(token);
      continue;
    }

    const name = flag.name.toLowerCase();
    if (name === "clear") {
      if (sub !== "vote") throw fail(`--clear only works with /wa vote: it clears your vote in a poll.`);
      if (flag.value !== undefined) throw fail(`--clear takes no value: write just --clear.`);
      if (parsed.clear) throw fail("--clear is given twice.");
      parsed.clear = true;
      continue;
    }
    if (!(TARGET_FLAGS as readonly string[]).includes(name)) {
      const suggestion = closest(name, allowed);
      const hint = suggestion ? ` Did you mean --${suggestion}?` : "";
      throw fail(`Unknown flag ${code(`--${flag.name}`)}.${hint} Flags of /wa ${sub}: ${allowedList}.`);
    }
    const targetFlag = name as TargetFlag;
    if (parsed.flags[targetFlag] !== undefined) throw fail(`--${targetFlag} is given twice.`);

    let value = flag.value;
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || next === "--" || readFlag(next) !== undefined) {
        throw fail(`--${targetFlag} needs a value: --${targetFlag} ${FLAG_VALUE_HINT[targetFlag]}.`);
      }
      value = next;
      i += 1;
    }
    parsed.flags[targetFlag] = value.trim();
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
  const { target, words } = takeTarget("react", parseArgs("react", args));
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
  const { target, words } = takeTarget("unreact", parseArgs("unreact", args));
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
  const parsed = parseArgs("vote", args);
  const { target, words } = takeTarget("vote", parsed);
  if (parsed.clear) {
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

function noArguments(sub: "status" | "config", args: readonly string[]): void {
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
  const suggestion = closest(word.toLowerCase(), SUBCOMMANDS);
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
      noArguments(sub, args);
      return { kind: sub };
    case "react":
      return parseReact(args);
    case "unreact":
      return parseUnreact(args);
    case "vote":
      return parseVote(args);
  }
}
