// Finds the WhatsApp message a Slack message stands for: reads the Slack message (top level or a
// thread reply) with its metadata and checks it against the metadata contract.
import type { webApi } from "@slack/bolt";
import { readWhatsAppMetadata } from "../domain/metadata.js";
import type { MessageRef, Poll, SlackMessageLink, TargetSpec, WhatsAppMessage } from "../domain/types.js";
import { TargetError } from "../errors.js";

type SlackMessage = { ts?: string; metadata?: unknown };

/** The Slack errors that mean "the app cannot see that channel" (not a member, private, or gone). */
const NOT_VISIBLE = new Set(["channel_not_found", "not_in_channel", "missing_scope", "access_denied"]);

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } })?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

async function fetchSlackMessage(
  client: webApi.WebClient,
  link: SlackMessageLink,
): Promise<SlackMessage | undefined> {
  try {
    if (link.threadTs && link.threadTs !== link.ts) {
      const replies = await client.conversations.replies({
        channel: link.channelId,
        ts: link.threadTs,
        latest: link.ts,
        oldest: link.ts,
        inclusive: true,
        limit: 1,
        include_all_metadata: true,
      });
      return (replies.messages as SlackMessage[] | undefined)?.find((m) => m.ts === link.ts);
    }
    const history = await client.conversations.history({
      channel: link.channelId,
      latest: link.ts,
      inclusive: true,
      limit: 1,
      include_all_metadata: true,
    });
    return (history.messages as SlackMessage[] | undefined)?.find((m) => m.ts === link.ts);
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== undefined && NOT_VISIBLE.has(code)) {
      throw new TargetError("channel_not_visible", `The app can't read channel ${link.channelId} (${code})`, {
        cause: error,
      });
    }
    if (code === "thread_not_found" || code === "message_not_found") {
      throw new TargetError("message_not_found", `No Slack message ${link.ts} in ${link.channelId}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Reads the WhatsApp message from metadata when it is there, otherwise fetches the Slack message. */
export async function resolveLinkedMessage(
  client: webApi.WebClient,
  link: SlackMessageLink,
  knownMetadata?: unknown,
): Promise<WhatsAppMessage> {
  if (knownMetadata !== undefined) {
    const read = readWhatsAppMetadata(knownMetadata);
    if (read.ok) return read.message;
  }
  const message = await fetchSlackMessage(client, link);
  if (!message) {
    throw new TargetError("message_not_found", `No Slack message ${link.ts} in ${link.channelId}`);
  }
  const read = readWhatsAppMetadata(message.metadata);
  if (!read.ok) {
    throw new TargetError(
      "no_whatsapp_metadata",
      `Slack message ${link.ts} in ${link.channelId} carries no WhatsApp message metadata (${read.reason})`,
    );
  }
  return read.message;
}

/**
 * The gateway's address of a WhatsApp message. An empty session stands for the workspace's default
 * session (the action runner fills it in); an empty sender means the session's own message.
 */
export function messageRefOf(message: {
  sessionId?: string | undefined;
  chat: string;
  messageId: string;
  sender?: string | undefined;
}): MessageRef {
  return {
    sessionId: message.sessionId ?? "",
    chat: message.chat,
    messageId: message.messageId,
    sender: message.sender ?? "",
  };
}

/** What `/wa` named: a link is read from Slack (with its poll, if any); explicit ids are taken as given. */
export async function resolveTarget(
  client: webApi.WebClient,
  spec: TargetSpec,
): Promise<{ ref: MessageRef; poll: Poll | undefined }> {
  if (spec.kind === "explicit") return { ref: messageRefOf(spec), poll: undefined };
  const message = await resolveLinkedMessage(client, spec.link);
  return { ref: messageRefOf(message), poll: message.poll };
}
