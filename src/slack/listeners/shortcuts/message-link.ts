import type { MessageShortcut } from "@slack/bolt";
import type { SlackMessageLink } from "../../../domain/types.js";
import type { Destination } from "../../deliver.js";

/** Where the shortcut's Slack message lives, and where replies about it go (its thread). */
export function shortcutPlace(shortcut: MessageShortcut): {
  link: SlackMessageLink;
  to: Destination;
  metadata: unknown;
} {
  const threadTs = typeof shortcut.message.thread_ts === "string" ? shortcut.message.thread_ts : undefined;
  return {
    link: { channelId: shortcut.channel.id, ts: shortcut.message.ts, threadTs },
    to: {
      userId: shortcut.user.id,
      channelId: shortcut.channel.id,
      responseUrl: shortcut.response_url,
      threadTs: threadTs ?? shortcut.message.ts,
    },
    metadata: shortcut.message.metadata,
  };
}
