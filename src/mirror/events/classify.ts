// What a gateway event means to the mirror: the one switch the processor routes on. Everything the
// processor needs to act (ids, who, what) is lifted out of the flat payload here.
import { excerpt } from "../../domain/excerpt.js";
import { isGroupChat, unmirroredChatReason } from "./chats.js";
import {
  type GatewayEnvelope,
  isMessageEnvelope,
  isPollRecapEnvelope,
  type MessageEnvelope,
  type PollRecapEnvelope,
} from "./envelope.js";
import type { MessagePayload } from "./message-payload.js";
import type { PollRecapPayload } from "./poll-recap-payload.js";

interface InChat {
  chatJid: string;
  /** WhatsApp's time of the stanza (ms), else the gateway's time of the event. */
  at: number;
}

/** Who acted: their WhatsApp display name at send time ("" when not given), and whether it was the account. */
interface ByPerson {
  pushName: string;
  fromMe: boolean;
}

// Every person below is a phone JID, else a LID, and "" for the account's own.
export type GatewayEvent =
  | (InChat & ByPerson & { kind: "message"; waMessageId: string; sender: string; message: MessagePayload })
  | (InChat & ByPerson & { kind: "edit"; targetId: string; sender: string; message: MessagePayload })
  /** The revoker is not always the author: a group admin can delete anyone's message. */
  | (InChat & ByPerson & { kind: "revoke"; targetId: string; revoker: string })
  /** `emoji` null: the reactor took the reaction back. */
  | (InChat & ByPerson & { kind: "reaction"; targetId: string; reactor: string; emoji: string | null })
  /** `selectedOptions` null: withdrawn, or a vote the gateway could not decrypt. */
  | (InChat &
      ByPerson & { kind: "poll_vote"; targetId: string; voter: string; selectedOptions: string[] | null })
  | (InChat & { kind: "poll_recap"; pollMessageId: string; recap: PollRecapPayload })
  | { kind: "ignored"; reason: string };

function ignored(reason: string): GatewayEvent {
  return { kind: "ignored", reason };
}

function present(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : value;
}

/**
 * Who sent the stanza. In a direct chat without sender fields the other person is the chat itself;
 * in a group nobody can be named, which is undefined.
 */
function personOf(payload: MessagePayload, chatJid: string, fromMe: boolean): string | undefined {
  if (fromMe) return "";
  return (
    present(payload.senderJid) ?? present(payload.senderLid) ?? (isGroupChat(chatJid) ? undefined : chatJid)
  );
}

function classifyMessageEvent(envelope: MessageEnvelope): GatewayEvent {
  const { payload, event } = envelope;
  const chatJid = present(payload.chatJid);
  if (chatJid === undefined) return ignored(`the "${event}" event names no chat`);
  const unmirrored = unmirroredChatReason(chatJid);
  if (unmirrored !== undefined) return ignored(unmirrored);

  const fromMe = payload.fromMe ?? event === "message.from_me";
  const at = payload.timestamp ?? envelope.timestamp;
  const pushName = payload.pushName ?? "";
  const person = personOf(payload, chatJid, fromMe);

  if (event === "message" || event === "message.from_me") {
    const waMessageId = present(payload.waMessageId);
    if (waMessageId === undefined) return ignored("the message has no waMessageId");
    // A message without a named author still deserves mirroring; "" is the best sender we have.
    return {
      kind: "message",
      chatJid,
      at,
      pushName,
      fromMe,
      waMessageId,
      sender: person ?? "",
      message: payload,
    };
  }

  const targetId = present(payload.targetId);
  if (targetId === undefined) return ignored(`the "${event}" event names no target message`);
  const by = { chatJid, at, pushName, fromMe };
  switch (event) {
    case "message.edited":
      return { kind: "edit", ...by, targetId, sender: person ?? "", message: payload };
    case "message.revoked":
      return { kind: "revoke", ...by, targetId, revoker: person ?? "" };
    case "message.reaction":
      if (person === undefined) return ignored("the reaction names no reactor");
      return { kind: "reaction", ...by, targetId, reactor: person, emoji: present(payload.reaction) ?? null };
    case "poll.vote": {
      if (person === undefined) return ignored("the vote names no voter");
      // A withdrawn vote and one the gateway could not decrypt both come without options.
      const options = payload.selectedOptions ?? [];
      return {
        kind: "poll_vote",
        ...by,
        targetId,
        voter: person,
        selectedOptions: options.length > 0 ? options : null,
      };
    }
  }
}

function classifyRecap(envelope: PollRecapEnvelope): GatewayEvent {
  const { payload } = envelope;
  const chatJid = present(payload.chatJid);
  if (chatJid === undefined) return ignored('the "poll.recap" event names no chat');
  const unmirrored = unmirroredChatReason(chatJid);
  if (unmirrored !== undefined) return ignored(unmirrored);
  const pollMessageId = present(payload.pollMessageId);
  if (pollMessageId === undefined) return ignored('the "poll.recap" event names no poll');
  return { kind: "poll_recap", chatJid, at: envelope.timestamp, pollMessageId, recap: payload };
}

/** Never throws; an event the mirror has no use for is `ignored`, with a reason fit for a log line. */
export function classifyEvent(envelope: GatewayEnvelope): GatewayEvent {
  if (isMessageEnvelope(envelope)) return classifyMessageEvent(envelope);
  if (isPollRecapEnvelope(envelope)) return classifyRecap(envelope);
  return ignored(`"${excerpt(envelope.event, 40)}" events are not mirrored`);
}
