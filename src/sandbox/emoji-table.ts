// Slack's emoji names → the characters, for the page to draw `:name:` and reactions as Slack would.
// From the same data Slack's names come from (emoji-datasource, which the app already reads).
import { createRequire } from "node:module";
import type { EmojiTable } from "./page-contract.js";

interface EmojiEntry {
  unified: string;
  short_names: string[];
  skin_variations?: Record<string, { unified: string }>;
}

/** Slack's `::skin-tone-N` suffixes by the variation's code point. */
const SKIN_TONES: Readonly<Record<string, string>> = {
  "1F3FB": "2",
  "1F3FC": "3",
  "1F3FD": "4",
  "1F3FE": "5",
  "1F3FF": "6",
};

const fromUnified = (unified: string) =>
  String.fromCodePoint(...unified.split("-").map((hex) => Number.parseInt(hex, 16)));

let table: EmojiTable | undefined;

/** Built on the first request and kept: the page asks once per load. */
export function emojiTable(): EmojiTable {
  if (table) return table;
  const require = createRequire(import.meta.url);
  const entries = require("emoji-datasource/emoji.json") as readonly EmojiEntry[];
  const built: EmojiTable = {};
  for (const entry of entries) {
    const emoji = fromUnified(entry.unified);
    for (const name of entry.short_names) {
      built[name] = emoji;
      for (const [tones, variation] of Object.entries(entry.skin_variations ?? {})) {
        const tone = SKIN_TONES[tones];
        if (tone) built[`${name}::skin-tone-${tone}`] = fromUnified(variation.unified);
      }
    }
  }
  table = built;
  return built;
}
