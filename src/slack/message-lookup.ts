// The MessageLookup port read from Slack: the message's metadata when the request carried it, else the
// message itself through conversations.history / conversations.replies with include_all_metadata.
// Slack's error strings become TargetErrors here, so no use case needs to know them.
import type { webApi } from "@slack/bolt";
import { readWhatsAppMetadata } from "../domain/metadata.js";
import type { SlackMessageLink } from "../domain/types.js";
import { TargetError } from "../errors.js";
import type { MessageLookup } from "../usecases/message-lookup.js";
import { slackErrorCode } from "./slack-error-code.js";

type SlackMessage = { ts?: string; metadata?: unknown };

/** The Slack errors that mean "the app cannot see that channel" (not a member, private, or gone). */
const NOT_VISIBLE = new Set(["channel_not_found", "not_in_channel", "missing_scope", "access_denied"]);

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

export function createSlackMessageLookup(client: webApi.WebClient): MessageLookup {
  return {
    async find(link, knownMetadata) {
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
    },
  };
}
