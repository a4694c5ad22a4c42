// A mirrored message rendered as it stands now: its content with the live state the store keeps for it
// (WhatsApp reactions, poll votes), names from what the reactors and voters were called.
import type { MirroredMessage } from "../../store/mirror-port.js";
import type { Store } from "../../store/port.js";
import type { MirrorContent } from "../render/content.js";
import { type MirroredSlackMessage, renderMirroredMessage } from "../render/render-message.js";

export async function renderStored(
  store: Pick<Store, "listWhatsAppReactions" | "listPollVotes">,
  target: MirroredMessage,
  content: MirrorContent,
): Promise<MirroredSlackMessage> {
  const [reactions, votes] = await Promise.all([
    store.listWhatsAppReactions(target.id),
    content.kind === "poll" ? store.listPollVotes(target.id) : Promise.resolve([]),
  ]);
  const nameOf = (jid: string) => content.people[jid] ?? "";
  return renderMirroredMessage({
    content,
    sessionId: target.sessionId,
    chatJid: target.chatJid,
    waMessageId: target.waMessageId,
    sender: target.sender,
    reactions: reactions.map((r) => ({ reactor: r.reactor, name: nameOf(r.reactor), emoji: r.emoji })),
    votes: votes.map((v) => ({ voter: v.voter, name: nameOf(v.voter), options: v.options })),
  });
}
