// The small lines around a mirrored message's body: what it replies to, that it was edited, that it
// arrived late, and what is left of it once deleted on WhatsApp.
import type { KnownBlock } from "../../slack/blocks/block-kit.js";
import { slackDate } from "../../slack/blocks/format.js";
import { clip, context, type RenderedBody, section } from "./blocks.js";
import type { MirrorContent } from "./content.js";
import { safeText } from "./mrkdwn.js";

const QUOTE_LENGTH = 200;

function sentAt(content: MirrorContent): string {
  return slackDate(new Date(content.sentAt ?? Number.NaN));
}

/** A reply also goes into its message's thread; the quote still says which message it answers. */
export function quoteBlock(content: MirrorContent): KnownBlock[] {
  const quoted = content.quoted?.body.replace(/\s+/g, " ").trim() ?? "";
  if (quoted === "") return [];
  return [context(`↩️ Replying to: “${safeText(clip(quoted, QUOTE_LENGTH))}”`)];
}

/**
 * "(edited on WhatsApp)" instead of Slack's "(edited)", which Slack leaves out when an update has
 * blocks; and the WhatsApp time of a message that came after newer ones of its chat.
 */
export function notesBlock(content: MirrorContent): KnownBlock[] {
  const notes: string[] = [];
  if (content.edited && !content.revoked) notes.push("✏️ (edited on WhatsApp)");
  if (content.arrivedLate) {
    notes.push(`🕓 Arrived late: sent on WhatsApp ${sentAt(content)}, before messages shown above it.`);
  }
  return notes.length > 0 ? [context(...notes)] : [];
}

export function renderRevoked(content: MirrorContent): RenderedBody {
  return {
    blocks: [
      section("🚫 _This message was deleted on WhatsApp._"),
      context(`Sent on WhatsApp ${sentAt(content)}`),
    ],
    summary: "(message deleted on WhatsApp)",
  };
}
