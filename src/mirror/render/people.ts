// How WhatsApp people are named in Slack: their display name, else their number, and the poster
// name (`username`) of a mirrored message.
import { shorten } from "../../slack/blocks/format.js";
import { wellFormed } from "./mrkdwn.js";

/** Slack's limit on `username`. */
const MAX_USERNAME = 80;
const OWN_MARK = " (this WhatsApp account)";

/** A WhatsApp display name may hold line breaks and control characters; a name is one line. */
function cleanName(name: string): string {
  return wellFormed(name)
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
}

/**
 * "+6281234567890" for a phone JID. A LID is not a phone number, so it is shown as an id. The result
 * is plain text: callers escape it where it goes into mrkdwn.
 */
export function describeJid(jid: string): string {
  const [user = "", server = ""] = jid.split("@");
  if ((server === "s.whatsapp.net" || server === "c.us") && /^\d+$/.test(user)) return `+${user}`;
  // Any other id is the gateway's text, cleaned like a name: a lone surrogate in it became a poster name
  // the Slack client could not even encode ("URI malformed"), and its chat was retried forever.
  const shown = cleanName(user);
  return shown === "" ? "someone" : `WhatsApp user ${shown}`;
}

/** A reactor's or voter's name as the caller resolved it, else their number; "you" for the account. */
export function personName(name: string, jid: string): string {
  const cleaned = cleanName(name);
  if (cleaned !== "") return cleaned;
  return jid === "" ? "you" : describeJid(jid);
}

/** The sender's display name, else the number their JID gives (the phone JID, else the LID). */
export function senderName(sender: { pushName: string; senderJid: string; senderLid: string }): string {
  const name = cleanName(sender.pushName);
  if (name !== "") return name;
  const jid = sender.senderJid || sender.senderLid;
  return jid === "" ? "" : describeJid(jid);
}

/**
 * The poster name of a mirrored message. Slack shows `username` as given, without mrkdwn, so it needs
 * no escaping; it only has to fit Slack's 80 characters and say when the account itself wrote.
 */
export function posterName(sender: {
  pushName: string;
  senderJid: string;
  senderLid: string;
  fromMe: boolean;
}): string {
  const name = senderName(sender);
  if (!sender.fromMe) return name === "" ? "WhatsApp" : shorten(name, MAX_USERNAME);
  if (name === "") return "This WhatsApp account";
  return `${shorten(name, MAX_USERNAME - OWN_MARK.length)}${OWN_MARK}`;
}
