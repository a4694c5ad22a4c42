// WhatsApp chat ids a link can name: groups and direct chats. Shared by `/wa link` and the CLI.
import { excerpt } from "./excerpt.js";

export const CHAT_EXAMPLES =
  "120363012345678901@g.us (a group), 6281234567890@s.whatsapp.net or 136150496886855@lid (a direct chat)";

/** What the user typed, quoted back as code (and shortened if long). */
function code(text: string): string {
  return `\`${excerpt(text)}\``;
}

/**
 * Why `word` cannot be linked, or undefined when it is a chat id that can. The mirror never posts
 * status updates, broadcast lists or newsletters, so a link to one would stay silent: say so now.
 */
export function chatIdRefusal(word: string): string | undefined {
  if (/^[^@\s]+@(?:g\.us|s\.whatsapp\.net|lid)$/u.test(word)) return undefined;
  const onlyChats = "only groups and direct chats can be mirrored";
  if (word === "status@broadcast") {
    return `${code(word)} is WhatsApp Status: status updates cannot be mirrored, ${onlyChats}.`;
  }
  if (word.endsWith("@broadcast")) {
    return `${code(word)} is a broadcast list: broadcast lists cannot be mirrored, ${onlyChats}.`;
  }
  if (word.endsWith("@newsletter")) {
    return `${code(word)} is a WhatsApp channel (newsletter): channels cannot be mirrored, ${onlyChats}.`;
  }
  const user = /^([^@\s]+)@c\.us$/u.exec(word)?.[1];
  if (user !== undefined) {
    return `${code(word)} is WhatsApp Web's form of a chat id: write ${code(`${user}@s.whatsapp.net`)}.`;
  }
  return `${code(word)} is not a WhatsApp chat id: it looks like ${CHAT_EXAMPLES}.`;
}
