// Small text helpers shared by the view builders: Slack mrkdwn escaping, length limits that never
// split an emoji, and the plain words for chats, people, dates and settings.
import type { Visibility } from "../../domain/types.js";

/** Block Kit's limits (reference/slack-notes.md), in the units Slack counts: characters. */
export const LIMITS = {
  modalBlocks: 100,
  homeBlocks: 100,
  messageBlocks: 50,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  sectionText: 3000,
  contextText: 3000,
  optionText: 75,
  optionValue: 150,
  checkboxOptions: 10,
  staticSelectOptions: 100,
  actionsElements: 25,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  headerText: 150,
  buttonText: 75,
  textInputMaxLength: 3000,
} as const;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * `text` cut to at most `max` characters, ending with "…" when cut. Cuts between graphemes, so a
 * flag, a skin-toned or ZWJ emoji is never split into something Slack would render as garbage.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = "";
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}

/** Slack asks apps to escape these three in mrkdwn and plain text alike; nothing else is needed. */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Inline code for text we do not control (ids, jids). A backtick inside would end the span early. */
export function code(text: string): string {
  const safe = escapeText(text.replace(/`/g, "'")).replace(/\n/g, " ");
  return `\`${safe === "" ? " " : safe}\``;
}

/** A user mention when `userId` looks like a Slack user id; anything else is shown as text. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeText(userId);
}

/** Who last changed a workspace's settings: a Slack user, or "cli" for the operator CLI. */
export function describeActor(updatedBy: string): string {
  return updatedBy === "cli" ? "the operator CLI" : mention(updatedBy);
}

/** Slack renders the date in the reader's own time zone; the fallback is for clients that cannot. */
export function slackDate(date: Date): string {
  const millis = date.getTime();
  if (!Number.isFinite(millis)) return "at an unknown time";
  const seconds = Math.floor(millis / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

/** The WhatsApp chat a jid names, in plain words, with the jid itself for anyone who needs it. */
/**
 * The chat as people know it. `name` (a group's subject or a contact's name, when the gateway told it)
 * is WhatsApp users' text: escaped, and shown beside the id, which stays the one thing to type.
 */
export function describeChat(jid: string, name?: string): string {
  const known = name?.trim();
  const id =
    known && known !== jid ? `“${escapeText(known.replace(/\s+/g, " "))}” (${code(jid)})` : code(jid);
  if (jid.endsWith("@g.us")) return `the WhatsApp group ${id}`;
  if (jid.endsWith("@s.whatsapp.net") || jid.endsWith("@c.us") || jid.endsWith("@lid")) {
    return `the direct chat with ${id}`;
  }
  if (jid.endsWith("@newsletter")) return `the WhatsApp channel ${id}`;
  if (jid === "status@broadcast") return "WhatsApp status updates";
  if (jid.endsWith("@broadcast")) return `the broadcast list ${id}`;
  return `the chat ${id}`;
}

export function describeVisibility(visibility: Visibility): string {
  return visibility === "channel"
    ? "posted in the channel for everyone"
    : "shown only to the person who acted";
}
