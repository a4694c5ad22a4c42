// A WhatsApp message of a linked chat becomes one Slack message in the linked channel, in the thread of
// the message it quotes, and is recorded in the map in the same transaction that finishes its event.
import { StoreConflictError } from "../../errors.js";
import type { GatewayEvent } from "../events/classify.js";
import { contentFromMessage, type MirrorContent } from "../render/content.js";
import { renderMirroredMessage } from "../render/render-message.js";
import { readContent } from "./content-of.js";
import type { EventContext, EventOutcome } from "./process-chat.js";

type MessageEvent = Extract<GatewayEvent, { kind: "message" }>;

/**
 * Earlier by more than this than the chat's last mirrored message: it came after newer ones were posted
 * (a webhook the gateway retried, say), so Slack shows it out of order and says so.
 */
const LATE_AFTER_MS = 60_000;

export async function mirrorMessage(ctx: EventContext, message: MessageEvent): Promise<EventOutcome> {
  const { deps, key, link, event } = ctx;
  // The gateway gives a WhatsApp message it redelivers a new event id: the map knows it already.
  if (await deps.store.findMirroredByWhatsApp(key, message.waMessageId)) {
    return { state: "skipped", note: "this WhatsApp message is mirrored already (a redelivery)" };
  }
  let content: MirrorContent = contentFromMessage(message.message);
  const latest = await deps.store.latestMirrored(key);
  const latestAt = latest === undefined ? undefined : readContent(latest.content)?.sentAt;
  if (content.sentAt !== undefined && latestAt !== undefined && content.sentAt < latestAt - LATE_AFTER_MS) {
    content = { ...content, arrivedLate: true };
  }

  let threadTs: string | null = null;
  if (content.quoted) {
    const parent = await deps.store.findMirroredByWhatsApp(key, content.quoted.messageId);
    if (parent && parent.channelId === link.channelId) threadTs = parent.threadTs ?? parent.slackTs;
  }

  const rendered = renderMirroredMessage({
    content,
    sessionId: key.sessionId,
    chatJid: key.chatJid,
    waMessageId: message.waMessageId,
    sender: message.sender,
  });
  const to = { workspaceId: key.workspaceId, channelId: link.channelId };
  const ts = await deps.poster.post(to, rendered, threadTs);
  try {
    await deps.store.recordMirrored(
      {
        ...key,
        waMessageId: message.waMessageId,
        channelId: link.channelId,
        slackTs: ts,
        threadTs,
        sender: message.sender,
        content: JSON.stringify(content),
      },
      event.id,
    );
  } catch (error) {
    if (!(error instanceof StoreConflictError)) throw error;
    // Mapped meanwhile by another run: the post just made is the second one, so it goes.
    await deps.poster.remove(to, ts);
    return { state: "skipped", note: "this WhatsApp message was mirrored by another run meanwhile" };
  }
  return { state: "finished" };
}
