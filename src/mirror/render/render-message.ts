// A mirrored WhatsApp message as a Slack message, ready for chat.postMessage or chat.update: the
// kind's own blocks with the lines around them, the poster name, the fallback text and the metadata
// that lets the shortcuts, `/wa` and message links act on it.
import { excerpt } from "../../domain/excerpt.js";
import { pollMetadataSchema, toWhatsAppMetadata, type WhatsAppMetadata } from "../../domain/metadata.js";
import type { Poll } from "../../domain/types.js";
import type { KnownBlock } from "../../slack/blocks/block-kit.js";
import { LIMITS } from "../../slack/blocks/format.js";
import { context, type RenderedBody } from "./blocks.js";
import { renderContact } from "./contact.js";
import type { MirrorContent } from "./content.js";
import { renderLocation } from "./location.js";
import { renderMedia } from "./media.js";
import { safeText } from "./mrkdwn.js";
import { notesBlock, quoteBlock, renderRevoked } from "./notes.js";
import { renderOther } from "./other.js";
import { posterName, senderName } from "./people.js";
import { renderPoll, type ShownVote } from "./poll.js";
import { reactionsBlock, type ShownReaction } from "./reactions.js";
import { renderText } from "./text.js";

export interface MirrorRenderInput {
  content: MirrorContent;
  sessionId: string;
  chatJid: string;
  waMessageId: string;
  /** The metadata's sender: the phone JID, else the LID; "" for the account's own message. */
  sender: string;
  /** Current WhatsApp reactions, names resolved by the caller. */
  reactions?: readonly ShownReaction[];
  /** Current poll votes, names resolved by the caller. */
  votes?: readonly ShownVote[];
}

export interface MirroredSlackMessage {
  /** The notification and fallback text: a short plain summary. */
  text: string;
  blocks: KnownBlock[];
  username: string;
  metadata: WhatsAppMetadata;
}

const SUMMARY_LENGTH = 150;

function renderBody(input: MirrorRenderInput): RenderedBody {
  const { content } = input;
  if (content.revoked) return renderRevoked(content);
  switch (content.kind) {
    case "text":
      return renderText(content);
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return renderMedia(content);
    case "location":
      return renderLocation(content);
    case "contact":
      return renderContact(content);
    case "poll":
      return renderPoll(content, input.votes ?? [], input.waMessageId);
    case "other":
      return renderOther(content);
  }
}

/** Slack's documented bound is on `text`; the blocks' texts are held to the same 40,000 characters. */
const MAX_BLOCKS_TEXT = 40_000;
const CUT_NOTE = context("✂️ Part of this message is not shown: open WhatsApp to see all of it.");

function textLength(block: KnownBlock): number {
  if (block.type === "section") return block.text?.text.length ?? 0;
  if (block.type === "context") {
    return block.elements.reduce(
      (sum, e) => sum + ("text" in e && typeof e.text === "string" ? e.text.length : 0),
      0,
    );
  }
  return 0;
}

function totalLength(blocks: readonly KnownBlock[]): number {
  return blocks.reduce((sum, block) => sum + textLength(block), 0);
}

/**
 * However much a kind produced, the message keeps to Slack's 50 blocks and to the text budget: the
 * body is cut (buttons and the lines around it stay) and says that it was.
 */
function fitBlocks(top: KnownBlock[], body: RenderedBody, bottom: KnownBlock[]): KnownBlock[] {
  const actions = body.actions ?? [];
  const fixed = [...top, ...actions, ...bottom];
  if (
    fixed.length + body.blocks.length <= LIMITS.messageBlocks &&
    totalLength(fixed) + totalLength(body.blocks) <= MAX_BLOCKS_TEXT
  ) {
    return [...top, ...body.blocks, ...actions, ...bottom];
  }
  const room = LIMITS.messageBlocks - fixed.length - 1;
  let budget = MAX_BLOCKS_TEXT - totalLength(fixed) - textLength(CUT_NOTE);
  const shown: KnownBlock[] = [];
  for (const block of body.blocks) {
    if (shown.length === room || textLength(block) > budget) break;
    shown.push(block);
    budget -= textLength(block);
  }
  return [...top, ...shown, CUT_NOTE, ...actions, ...bottom];
}

function summaryText(content: MirrorContent, summary: string): string {
  const name = senderName(content) || (content.fromMe ? "This WhatsApp account" : "WhatsApp");
  // Only the start is read (collapsing the whitespace of a whole long text would be wasted work),
  // without half an emoji where the start was cut.
  const start = summary.slice(0, SUMMARY_LENGTH * 4).replace(/[\uD800-\uDBFF]$/, "");
  const line = excerpt(start.replace(/\s+/g, " ").trim(), SUMMARY_LENGTH);
  return safeText(line === "" ? `${excerpt(name, 80)} sent a message` : `${excerpt(name, 80)}: ${line}`);
}

/** The poll goes into the metadata only in the shape its reader accepts (2 to 12 options). */
function pollOf(content: MirrorContent): Poll | undefined {
  if (content.kind !== "poll") return undefined;
  const { name, options, selectableCount } = content.poll;
  const valid = pollMetadataSchema.safeParse({ name, options, selectable_count: selectableCount }).success;
  return valid ? { name, options, selectableCount } : undefined;
}

export function renderMirroredMessage(input: MirrorRenderInput): MirroredSlackMessage {
  const { content } = input;
  const body = renderBody(input);
  const top = content.revoked ? [] : quoteBlock(content);
  const reactions = content.revoked ? [] : reactionsBlock(input.reactions ?? []);
  const metadata = toWhatsAppMetadata({
    sessionId: input.sessionId,
    chat: input.chatJid,
    messageId: input.waMessageId,
    sender: input.sender,
    poll: pollOf(content),
  });
  return {
    text: summaryText(content, body.summary),
    blocks: fitBlocks(top, body, [...reactions, ...notesBlock(content)]),
    username: posterName(content),
    metadata,
  };
}
