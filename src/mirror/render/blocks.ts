// The few Block Kit pieces a mirrored message is made of, each held to Slack's limits.
import type { KnownBlock } from "../../slack/blocks/block-kit.js";
import { LIMITS, shorten } from "../../slack/blocks/format.js";
import { splitMrkdwn } from "./split.js";

/** Text sections of one message body: 12 × 3,000 characters stays well inside Slack's 40,000. */
const MAX_BODY_SECTIONS = 12;

/**
 * `shorten`, handed only what can be kept: it looks at every grapheme it is given, which is slow on
 * long text. On escaped text a cut may leave half an entity ("&am…"), which Slack shows as typed.
 */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : shorten(text.slice(0, max + 64), max);
}

export function section(mrkdwn: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(mrkdwn, LIMITS.sectionText) } };
}

/** One context block; Slack shows each element as its own small line part. */
export function context(...mrkdwn: string[]): KnownBlock {
  return {
    type: "context",
    elements: mrkdwn.slice(0, 10).map((text) => ({ type: "mrkdwn", text: clip(text, LIMITS.contextText) })),
  };
}

function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/**
 * A body of any length as sections; what does not fit says how much is missing, since the whole
 * text is only on WhatsApp.
 */
export function bodySections(mrkdwn: string): KnownBlock[] {
  const { pieces, leftOut } = splitMrkdwn(mrkdwn, LIMITS.sectionText, MAX_BODY_SECTIONS);
  const blocks = pieces.map(section);
  if (leftOut > 0) {
    const unit = leftOut === 1 ? "character" : "characters";
    blocks.push(
      context(`✂️ ${formatCount(leftOut)} more ${unit} not shown: open WhatsApp for the whole text.`),
    );
  }
  return blocks;
}

/** What each kind renders: its blocks, and a plain summary (not yet escaped) for the notification text. */
export interface RenderedBody {
  blocks: KnownBlock[];
  /** Buttons, kept whatever else has to be cut for size. */
  actions?: KnownBlock[];
  summary: string;
}
