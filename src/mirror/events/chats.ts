// Which WhatsApp chats a mirror leaves alone. The gateway filters none of them (its ignore settings
// are never applied), so status posts, broadcast lists and newsletters all arrive as messages.

/** Why a chat is never mirrored, or undefined for a group or a direct chat. */
export function unmirroredChatReason(chatJid: string): string | undefined {
  if (chatJid === "status@broadcast") return "status updates are not mirrored";
  if (chatJid.endsWith("@broadcast")) return "broadcast lists are not mirrored";
  if (chatJid.endsWith("@newsletter")) return "newsletters (WhatsApp channels) are not mirrored";
  return undefined;
}

export function isGroupChat(chatJid: string): boolean {
  return chatJid.endsWith("@g.us");
}
