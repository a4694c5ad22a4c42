// The mirror in a few lines for `/wa status` and the Home tab: how events arrive, when the last one
// did, what is mirrored where, and anything that needs an admin.
import type { MirrorOverview } from "../../usecases/mirror-overview.js";
import { describeChat, slackDate } from "./format.js";
import { describePause } from "./link-messages.js";

const MODE_WORDS = {
  webhook: "by webhook",
  realtime: "by the gateway's realtime WebSocket",
  off: "off (`npx wa-slack events webhook|realtime` turns them on)",
} as const;

/** At most this many links are listed; the rest are counted (`/wa links` lists them all). */
const LINKS_SHOWN = 10;

/** "1 WhatsApp event", "3 WhatsApp events": a Home tab that says "1 events" reads as broken. */
function events(count: number): string {
  return count === 1 ? "1 WhatsApp event" : `${count} WhatsApp events`;
}

export function mirrorLines(overview: MirrorOverview): string[] {
  const lines = [
    `*WhatsApp in Slack:* events ${MODE_WORDS[overview.mode]}` +
      (overview.lastEventAt
        ? `, the last one ${slackDate(overview.lastEventAt)}.`
        : overview.mode === "off"
          ? "."
          : ", none yet."),
  ];
  if (overview.links.length === 0) {
    lines.push("No WhatsApp chat is mirrored yet: run `/wa link` in a channel.");
  } else {
    for (const link of overview.links.slice(0, LINKS_SHOWN)) {
      const pause = link.pausedReason === null ? "" : ` :warning: ${describePause(link.pausedReason)}`;
      lines.push(`• <#${link.channelId}> ← ${describeChat(link.chatJid)}${pause}`);
    }
    if (overview.links.length > LINKS_SHOWN) {
      lines.push(`…and ${overview.links.length - LINKS_SHOWN} more (\`/wa links\`).`);
    }
  }
  const { pending, parked } = overview;
  if (pending > 0) lines.push(`${events(pending)} ${pending === 1 ? "is" : "are"} waiting to be posted.`);
  if (parked > 0) {
    lines.push(
      `:warning: ${events(parked)} could not be mirrored and ${parked === 1 ? "was" : "were"} set aside (the app's log says why).`,
    );
  }
  return lines;
}
