// Turns what a user typed or picked (a Unicode emoji or a Slack shortcode) into the one Unicode
// emoji WhatsApp gets as a reaction, and back into a shortcode for display.
import { createRequire } from "node:module";
import { UserInputError } from "../errors.js";
import { excerpt } from "./excerpt.js";

/** The fields of iamcal's emoji-data (the table Slack's shortcodes come from) that we read. */
interface EmojiEntry {
  unified: string;
  non_qualified: string | null;
  short_names: string[];
  skin_variations?: Record<string, { unified: string; non_qualified: string | null }>;
}

/** What a shortcode needs of its entry: the emoji, and its skin-tone forms by tone ("1F3FB", "1F3FB-1F3FB"). */
interface ShortNameEntry {
  unified: string;
  skins: Readonly<Record<string, string>> | undefined;
}

/**
 * Read when the lookups are built and then dropped: the package's 1.3 MB of JSON has a dozen fields per
 * emoji we never read, and kept whole it would stay in the heap for the life of the process. A JSON
 * import attribute would make TypeScript infer a type for all of it, and the package is ours to trust,
 * so a plain require with a declared shape is enough.
 */
function readEmojiTable(): readonly EmojiEntry[] {
  const require = createRequire(import.meta.url);
  const path = require.resolve("emoji-datasource/emoji.json");
  const table = require(path) as readonly EmojiEntry[];
  // Out of require's cache too, or the whole table would stay reachable from there.
  delete require.cache[path];
  return table;
}

/** WhatsApp's default quick reactions, in its order. */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;

const SKIN_TONES: Readonly<Record<string, string>> = {
  "2": "1F3FB",
  "3": "1F3FC",
  "4": "1F3FD",
  "5": "1F3FE",
  "6": "1F3FF",
};
const TONE_NUMBER = new Map(Object.entries(SKIN_TONES).map(([n, hex]) => [hex, n]));

const EXAMPLES = "e.g. 👍 or :thumbsup:";

function emojiError(message: string): UserInputError {
  return new UserInputError(message, { field: "emoji" });
}

/** "1F44D-1F3FD" → "👍🏽" */
function fromUnified(unified: string): string {
  return String.fromCodePoint(...unified.split("-").map((hex) => Number.parseInt(hex, 16)));
}

/**
 * The lookup key of an emoji: its code points without variation selectors, so "❤", "❤️" and the
 * text-style "❤︎" (U+FE0E) all find the same entry.
 */
function keyOf(emoji: string): string {
  const points: string[] = [];
  for (const ch of emoji) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp !== 0xfe0f && cp !== 0xfe0e) points.push(cp.toString(16).toUpperCase().padStart(4, "0"));
  }
  return points.join("-");
}

interface Lookups {
  /** shortcode (without colons) → entry */
  byShortName: Map<string, ShortNameEntry>;
  /** keyOf(any form) → fully-qualified emoji */
  qualified: Map<string, string>;
  /** keyOf(emoji) → Slack shortcode, skin tone included */
  shortcodes: Map<string, string>;
}

let lookups: Lookups | undefined;

// Built on first use, not at import, so that starting the app does not pay for ~5000 map entries.
function getLookups(): Lookups {
  if (lookups) return lookups;
  const byShortName = new Map<string, ShortNameEntry>();
  const qualified = new Map<string, string>();
  const shortcodes = new Map<string, string>();
  for (const entry of readEmojiTable()) {
    const name = entry.short_names[0];
    const skins = entry.skin_variations
      ? Object.fromEntries(Object.entries(entry.skin_variations).map(([tones, v]) => [tones, v.unified]))
      : undefined;
    const compact: ShortNameEntry = { unified: entry.unified, skins };
    for (const shortName of entry.short_names) byShortName.set(shortName, compact);
    const emoji = fromUnified(entry.unified);
    qualified.set(keyOf(emoji), emoji);
    if (name !== undefined) shortcodes.set(keyOf(emoji), `:${name}:`);
    for (const [tones, variation] of Object.entries(entry.skin_variations ?? {})) {
      const varied = fromUnified(variation.unified);
      qualified.set(keyOf(varied), varied);
      // Only one-tone variations have a shortcode form (`:x::skin-tone-N:`); mixed tones do not.
      const [first = "", ...others] = tones.split("-");
      const tone = others.every((t) => t === first) ? TONE_NUMBER.get(first) : undefined;
      if (name !== undefined && tone !== undefined) {
        shortcodes.set(keyOf(varied), `:${name}::skin-tone-${tone}:`);
      }
    }
  }
  lookups = { byShortName, qualified, shortcodes };
  return lookups;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * UTS #51's "possible emoji" shape, for emoji newer than the table: pictographs, each with an
 * optional skin tone, U+FE0F or tag sequence, joined by ZWJ. Flags and keycaps are left out on
 * purpose: the table lists every valid one, so a lone or unknown regional indicator is not let through.
 */
const ELEMENT = String.raw`\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|[\u{E0020}-\u{E007E}]+\u{E007F})?`;
const POSSIBLE_EMOJI = new RegExp(`^${ELEMENT}(?:\u200D${ELEMENT})*$`, "u");
/** …and shown as an emoji rather than as a text symbol such as ★. */
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\uFE0F|\p{Emoji_Modifier}/u;

/**
 * The fully-qualified form of one grapheme if it is an emoji, else undefined. The table knows every
 * emoji up to its Unicode version; newer ones are recognised by their shape and passed through as
 * typed, since WhatsApp's clients may know them even if we do not.
 */
function asEmoji(grapheme: string): string | undefined {
  const known = getLookups().qualified.get(keyOf(grapheme));
  if (known !== undefined) return known;
  if (POSSIBLE_EMOJI.test(grapheme) && EMOJI_PRESENTATION.test(grapheme)) return grapheme;
  return undefined;
}

/**
 * Longer than any emoji or shortcode (the longest RGI sequences are under 40 UTF-16 units; the
 * longest shortcode with a skin tone is under 80).
 */
const MAX_EMOJI_LENGTH = 128;

const SHORTCODE = /^:([^:\s]+):(?::([^:\s]+):)?$/;
const SKIN_TONE_NAME = /^skin-tone-(\d+)$/;

function fromShortcode(input: string, name: string, modifier: string | undefined): string {
  const { byShortName } = getLookups();
  const entry = byShortName.get(name.toLowerCase());
  if (!entry) {
    throw emojiError(
      `\`:${excerpt(name)}:\` is not a standard emoji — custom workspace emoji can't be sent to WhatsApp. Pick a standard emoji, ${EXAMPLES}.`,
    );
  }
  if (modifier === undefined) return fromUnified(entry.unified);

  const toneMatch = SKIN_TONE_NAME.exec(modifier.toLowerCase());
  if (!toneMatch) {
    throw emojiError(`\`${input}\` is two emoji — send one emoji, ${EXAMPLES}.`);
  }
  const tone = SKIN_TONES[toneMatch[1] ?? ""];
  if (tone === undefined) {
    throw emojiError(`\`:${excerpt(modifier)}:\` is not a skin tone: use :skin-tone-2: to :skin-tone-6:.`);
  }
  // Emoji of two people list their same-tone form as "1F3FB-1F3FB" only.
  const variation = entry.skins?.[tone] ?? entry.skins?.[`${tone}-${tone}`];
  if (variation === undefined) {
    throw emojiError(`\`:${name}:\` has no skin tones — send it without \`:${modifier}:\`.`);
  }
  return fromUnified(variation);
}

/**
 * Normalises one emoji for WhatsApp: a single Unicode emoji grapheme (returned fully qualified,
 * so "❤" becomes "❤️") or a Slack shortcode such as `:thumbsup:` or `:+1::skin-tone-3:`.
 *
 * @throws UserInputError (field `emoji`) for empty input, text, custom emoji or more than one emoji.
 */
export function normalizeEmoji(input: string): string {
  const text = input.trim();
  if (text === "") throw emojiError(`Give an emoji, ${EXAMPLES}.`);

  const shown = excerpt(text);
  if (text.length > MAX_EMOJI_LENGTH) {
    // Node 20's grapheme segmenter is quadratic in the text's length: look at a prefix only.
    const head = graphemes(text.slice(0, MAX_EMOJI_LENGTH)).slice(0, -1);
    const allEmoji = head.every((g) => g.trim() === "" || asEmoji(g) !== undefined);
    throw emojiError(
      allEmoji
        ? `\`${shown}\` is many emoji — send one emoji.`
        : `\`${shown}\` is not an emoji — send one emoji, ${EXAMPLES}.`,
    );
  }

  const shortcode = SHORTCODE.exec(text);
  if (shortcode) return fromShortcode(shown, shortcode[1] ?? "", shortcode[2]);

  const parts = graphemes(text).filter((g) => g.trim() !== "");
  const emoji = parts.map(asEmoji);
  if (parts.length === 1 && emoji[0] !== undefined) return emoji[0];
  if (parts.length > 1 && emoji.every((e) => e !== undefined)) {
    throw emojiError(`\`${shown}\` is ${parts.length} emoji — send one emoji.`);
  }
  if (/^(?::[^:\s]+:)+$/.test(text)) {
    throw emojiError(`\`${shown}\` is more than one emoji — send one emoji, ${EXAMPLES}.`);
  }
  throw emojiError(`\`${shown}\` is not an emoji — send one emoji, ${EXAMPLES}.`);
}

/** The Slack shortcode for an emoji, for display: "👍" → ":+1:", "👍🏽" → ":+1::skin-tone-4:". */
export function shortcodeFor(emoji: string): string | undefined {
  return getLookups().shortcodes.get(keyOf(emoji));
}

/**
 * Slack's reaction name for an emoji, as `reactions.add` takes it ("👍🏽" → "+1::skin-tone-4"); undefined
 * for an emoji Slack's data does not have (with or without U+FE0F: both are looked up).
 */
export function slackReactionName(emoji: string): string | undefined {
  const shortcode = shortcodeFor(emoji) ?? shortcodeFor(emoji.replace(/\uFE0F/g, ""));
  return shortcode?.replace(/^:/, "").replace(/:$/, "");
}
