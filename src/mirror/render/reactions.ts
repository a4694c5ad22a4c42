// Who reacted with what on WhatsApp. Slack's own reactions on the message can't say it: the bot holds
// each emoji once, so this line is where the count and the names are.
import { normalizeEmoji } from "../../domain/emoji.js";
import { UserInputError } from "../../errors.js";
import type { KnownBlock } from "../../slack/blocks/block-kit.js";
import { context } from "./blocks.js";
import { safeText } from "./mrkdwn.js";
import { personName } from "./people.js";

/** One person's current reaction; `name` is resolved by the caller, "" when unknown. */
export interface ShownReaction {
  reactor: string;
  name: string;
  emoji: string;
}

/** WhatsApp may send "❤" where another client sent "❤️": both are one reaction. */
function fullyQualified(emoji: string): string {
  try {
    return normalizeEmoji(emoji);
  } catch (error) {
    // Not an emoji the table knows: shown as it came.
    if (error instanceof UserInputError) return emoji.trim();
    throw error;
  }
}

/** "👍 Ana, Budi · ❤️ you", or no block when nobody reacted. */
export function reactionsBlock(reactions: readonly ShownReaction[]): KnownBlock[] {
  const latest = new Map<string, ShownReaction>();
  for (const reaction of reactions) {
    latest.delete(reaction.reactor);
    latest.set(reaction.reactor, reaction);
  }
  const byEmoji = new Map<string, string[]>();
  for (const { reactor, name, emoji } of latest.values()) {
    const key = fullyQualified(emoji);
    if (key === "") continue;
    const names = byEmoji.get(key) ?? [];
    names.push(personName(name, reactor));
    byEmoji.set(key, names);
  }
  if (byEmoji.size === 0) return [];
  const parts = [...byEmoji].map(([emoji, names]) => `${safeText(emoji)} ${names.map(safeText).join(", ")}`);
  return [context(parts.join(" · "))];
}
