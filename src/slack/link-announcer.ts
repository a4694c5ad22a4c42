// The LinkAnnouncer port on Slack: a short note in the channel that it now mirrors a WhatsApp chat. It is
// also the check that the app can post there; Slack's refusals become ChannelAccessErrors saying what to do.
import type { webApi } from "@slack/bolt";
import { ChannelAccessError } from "../errors.js";
import type { LinkRecord } from "../store/mirror-port.js";
import type { LinkAnnouncer } from "../usecases/links.js";
import { describeChat, mention } from "./blocks/format.js";
import { slackErrorCode } from "./slack-error-code.js";

const NOT_IN_CHANNEL = new Set(["not_in_channel", "channel_not_found", "is_archived"]);

/** `chatName`: the chat's name when known, shown beside its id. */
export function createSlackLinkAnnouncer(client: webApi.WebClient, chatName?: string): LinkAnnouncer {
  return {
    async announce(link: LinkRecord) {
      const who = link.createdBy === "cli" ? "the operator" : mention(link.createdBy);
      const text =
        `:link: This channel now mirrors ${describeChat(link.chatJid, chatName)} (set up by ${who}). ` +
        `New WhatsApp messages appear here${link.sendReactions ? "; reactions added here are sent to WhatsApp too" : ""}.`;
      try {
        await client.chat.postMessage({ channel: link.channelId, text });
      } catch (error) {
        const slackCode = slackErrorCode(error);
        if (slackCode !== undefined && NOT_IN_CHANNEL.has(slackCode)) {
          const reason =
            slackCode === "not_in_channel"
              ? "app_not_in_channel"
              : slackCode === "is_archived"
                ? "channel_archived"
                : "channel_not_found";
          throw new ChannelAccessError(reason, link.channelId, { cause: error });
        }
        throw error;
      }
    },
  };
}
