// What `/wa link`, `/wa unlink` and `/wa links` answer: which chats are mirrored where, and what to do
// about a channel the app can no longer post in.
import type { LinkRecord } from "../../store/mirror-port.js";
import type { LinkResult } from "../../usecases/links.js";
import type { KnownBlock } from "./block-kit.js";
import { code, describeChat, LIMITS, shorten } from "./format.js";
import type { SlackMessage } from "./messages.js";

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: shorten(text, LIMITS.sectionText) } };
}

/** What a paused link needs, said the way an admin can act on it. */
export function describePause(reason: string): string {
  switch (reason) {
    case "not_in_channel":
      return "paused: the app was removed from the channel. Invite it back (`/invite @WhatsApp`) and run `/wa link` there again";
    case "is_archived":
    case "channel_is_archived":
      return "paused: the channel is archived. Link the chat to another channel";
    case "channel_not_found":
      return "paused: the channel no longer exists. Link the chat to another channel";
    default:
      return `paused: Slack refused posting there (${code(reason)}). Run \`/wa link\` there again once it is fixed`;
  }
}

function linkLine(link: LinkRecord): string {
  const notes = [
    `session ${code(link.sessionId)}`,
    link.sendReactions ? "Slack reactions go to WhatsApp" : undefined,
  ];
  if (link.pausedReason !== null) notes.push(`:warning: ${describePause(link.pausedReason)}`);
  return `• <#${link.channelId}> ← ${describeChat(link.chatJid)} (${notes.filter(Boolean).join(" · ")})`;
}

export function linkedMessage(result: LinkResult, chatName?: string): SlackMessage {
  const { link } = result;
  const moved =
    result.movedFrom === undefined ? "" : ` It is no longer mirrored into <#${result.movedFrom}>.`;
  const reactions = link.sendReactions
    ? " Reactions added here are sent to WhatsApp too."
    : " Reactions added here stay in Slack (link again with `--reactions` to send them to WhatsApp).";
  const text = `:white_check_mark: <#${link.channelId}> now mirrors ${describeChat(link.chatJid, chatName)} (session ${code(link.sessionId)}).${moved}${reactions}`;
  return { text: shorten(text, LIMITS.sectionText), blocks: [section(text)] };
}

export function unlinkedMessage(
  removed: readonly LinkRecord[],
  channelId: string,
  chatJid?: string,
): SlackMessage {
  if (removed.length === 0) {
    const text =
      chatJid === undefined
        ? `<#${channelId}> mirrors no WhatsApp chat.`
        : `<#${channelId}> does not mirror ${describeChat(chatJid)}. \`/wa links\` lists what is mirrored where.`;
    return { text, blocks: [section(text)] };
  }
  const chats = removed.map((link) => describeChat(link.chatJid)).join(", ");
  const text = `Stopped mirroring ${chats} into <#${channelId}>. Messages already here stay.`;
  return { text: shorten(text, LIMITS.sectionText), blocks: [section(text)] };
}

export function linksMessage(links: readonly LinkRecord[]): SlackMessage {
  if (links.length === 0) {
    const text =
      "No WhatsApp chat is mirrored into Slack yet. In a channel, a workspace admin runs `/wa link` to start.";
    return { text, blocks: [section(text)] };
  }
  const head = `*WhatsApp chats mirrored into Slack* (${links.length})`;
  // A section holds 3000 characters and a message 50 blocks: the lines go in as many sections as needed.
  const blocks: KnownBlock[] = [section(head)];
  let chunk = "";
  for (const line of links.map(linkLine)) {
    if (chunk !== "" && chunk.length + line.length + 1 > LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = "";
    }
    chunk = chunk === "" ? line : `${chunk}\n${line}`;
  }
  if (chunk !== "") blocks.push(section(chunk));
  const shown = blocks.slice(0, LIMITS.messageBlocks);
  return { text: `${links.length} WhatsApp chats are mirrored into Slack.`, blocks: shown };
}

/** A custom workspace emoji added to a mirrored message of a link that sends reactions. */
export function customEmojiMessage(name: string): SlackMessage {
  const text =
    `Your reaction ${code(`:${name}:`)} stays in Slack: it is a custom workspace emoji, and WhatsApp only has ` +
    "standard emoji. React with a standard emoji to send it to WhatsApp.";
  return { text, blocks: [section(text)] };
}
