// Event payloads as the gateway builds them (internal/apitypes/events.go, gateway-events.md): one flat
// message object in the Go struct's field order, empty fields left out as Go's omitempty does, and
// `fromMe`, `hasMedia`, `media` always present. Defaults follow the examples in
// ../shared/reference/gateway-events/ (Alice in the "Lunch crew" group); tests override what they check.
import { randomBytes } from "node:crypto";

export const EXAMPLE_GROUP_JID = "120363021234567890@g.us";
export const STATUS_BROADCAST_JID = "status@broadcast";
export const EXAMPLE_NEWSLETTER_JID = "120363999999999999@newsletter";

export type MessageType =
  | "text"
  | "image"
  | "video"
  | "audio"
  | "document"
  | "sticker"
  | "location"
  | "contact"
  | "poll"
  | "reaction"
  | "revoke"
  | "poll_vote";

export interface Mention {
  pushName?: string;
  tag?: string;
}

export interface LocationData {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

export interface ContactData {
  displayName?: string;
  vcard?: string;
}

export interface PollData {
  name: string;
  options: string[];
  /** 0 = any number of options, 1 = single choice. */
  selectableCount: number;
  endTime?: number;
  hideVotes?: boolean;
}

/** Who wrote it, where and when: what every message-shaped payload has. */
export interface Origin {
  waMessageId?: string;
  chatJid?: string;
  /** Pass `undefined` explicitly to leave it out, as LID groups often do. */
  senderJid?: string | undefined;
  senderLid?: string | undefined;
  fromMe?: boolean;
  /** WhatsApp time, epoch ms. */
  timestamp?: number;
  pushName?: string | undefined;
  mentions?: Record<string, Mention>;
}

export interface MessageFields extends Origin {
  type: MessageType;
  body?: string | undefined;
  quotedMessageId?: string;
  quotedSenderJid?: string;
  quotedSenderLid?: string;
  quotedFromMe?: boolean;
  quotedBody?: string;
  hasMedia?: boolean;
  reaction?: string | undefined;
  targetId?: string;
  location?: LocationData;
  contact?: ContactData;
  poll?: PollData;
  selectedOptions?: string[] | undefined;
}

export type Payload = Record<string, unknown>;

/** An event name with its payload, ready for `GatewaySimulator.emit(org, built.event, session, built.payload)`. */
export interface BuiltEvent {
  event: string;
  payload: Payload;
}

const ALICE = {
  senderJid: "6281234567890@s.whatsapp.net",
  senderLid: "205227043110953@lid",
  pushName: "Alice",
};

export function newMessageId(): string {
  return `3EB0${randomBytes(8).toString("hex").toUpperCase()}`;
}

/** The flat message payload, fields in the order the gateway's JSON has them. */
export function messagePayload(fields: MessageFields): Payload {
  const withDefaults = {
    waMessageId: newMessageId(),
    chatJid: EXAMPLE_GROUP_JID,
    ...("senderJid" in fields || "senderLid" in fields ? {} : ALICE),
    ...("pushName" in fields ? {} : { pushName: ALICE.pushName }),
    timestamp: Date.now(),
    ...fields,
  };
  const ordered: [string, unknown, "always"?][] = [
    ["waMessageId", withDefaults.waMessageId],
    ["chatJid", withDefaults.chatJid],
    ["senderJid", withDefaults.senderJid],
    ["senderLid", withDefaults.senderLid],
    ["fromMe", withDefaults.fromMe ?? false, "always"],
    ["type", withDefaults.type],
    ["body", withDefaults.body],
    ["quotedMessageId", withDefaults.quotedMessageId],
    ["quotedSenderJid", withDefaults.quotedSenderJid],
    ["quotedSenderLid", withDefaults.quotedSenderLid],
    ["quotedFromMe", withDefaults.quotedFromMe],
    ["quotedBody", withDefaults.quotedBody],
    ["mentions", withDefaults.mentions],
    ["hasMedia", withDefaults.hasMedia ?? false, "always"],
    // Events never carry media: no bytes, no URL, no file name.
    ["media", null, "always"],
    ["timestamp", withDefaults.timestamp],
    ["pushName", withDefaults.pushName],
    ["reaction", withDefaults.reaction],
    ["targetId", withDefaults.targetId],
    ["location", withDefaults.location],
    ["contact", withDefaults.contact],
    ["poll", withDefaults.poll],
    ["selectedOptions", withDefaults.selectedOptions],
  ];
  const payload: Payload = {};
  for (const [key, value, always] of ordered) {
    if (always || !isEmpty(value)) payload[key] = omitEmptyFields(value);
  }
  return payload;
}

/** `message`, or `message.from_me` when the account wrote it (from the phone or another device). */
function messageEvent(fields: MessageFields): BuiltEvent {
  return { event: fields.fromMe ? "message.from_me" : "message", payload: messagePayload(fields) };
}

export function textMessage(fields: Origin & { body: string }): BuiltEvent {
  return messageEvent({ ...fields, type: "text" });
}

export function replyMessage(
  fields: Origin & {
    body: string;
    quotedMessageId: string;
    quotedSenderJid?: string;
    quotedSenderLid?: string;
    quotedFromMe?: boolean;
    quotedBody?: string;
  },
): BuiltEvent {
  return messageEvent({ ...fields, type: "text" });
}

/** A media message: the caption is the body; the bytes never come with the event. */
export function mediaMessage(
  fields: Origin & { kind: "image" | "video" | "audio" | "document" | "sticker"; caption?: string },
): BuiltEvent {
  const { kind, caption, ...origin } = fields;
  return messageEvent({ ...origin, type: kind, body: caption, hasMedia: true });
}

export function locationMessage(fields: Origin & { location: LocationData }): BuiltEvent {
  return messageEvent({ ...fields, type: "location" });
}

/** A contact card; the body is the contact's name. */
export function contactMessage(fields: Origin & { contact: ContactData }): BuiltEvent {
  return messageEvent({ ...fields, type: "contact", body: fields.contact.displayName });
}

/** A poll; the body is its question. */
export function pollMessage(fields: Origin & { poll: PollData }): BuiltEvent {
  return messageEvent({ ...fields, type: "poll", body: fields.poll.name });
}

/** A reaction to `targetId`; without `emoji` it is the removal of the sender's reaction. */
export function reactionEvent(fields: Origin & { targetId: string; emoji?: string }): BuiltEvent {
  const { emoji, ...rest } = fields;
  return {
    event: "message.reaction",
    payload: messagePayload({ ...rest, type: "reaction", reaction: emoji }),
  };
}

/** An edit of `targetId`, carrying the new text. */
export function editedEvent(fields: Origin & { targetId: string; body: string }): BuiltEvent {
  return { event: "message.edited", payload: messagePayload({ ...fields, type: "text" }) };
}

/** A "delete for everyone" of `targetId`; the sender is the revoker, not the author. */
export function revokedEvent(fields: Origin & { targetId: string }): BuiltEvent {
  return { event: "message.revoked", payload: messagePayload({ ...fields, type: "revoke" }) };
}

/**
 * A vote on the poll `targetId`: the voter's whole current selection. Without `selectedOptions` it is a
 * withdrawn vote or one the gateway could not decrypt; an option it could not resolve is 64-char hex.
 */
export function pollVoteEvent(fields: Origin & { targetId: string; selectedOptions?: string[] }): BuiltEvent {
  return { event: "poll.vote", payload: messagePayload({ ...fields, type: "poll_vote" }) };
}

export interface PollRecapFields {
  pollMessageId: string;
  chatJid?: string;
  name: string;
  options: { option: string; count: number }[];
  selectableCount: number;
  endTime: number;
  hideVotes?: boolean;
  voters: { voterId: string; displayName?: string; selectedOptions: string[] }[];
}

/** The tally the gateway sends when a poll with an end time closes. */
export function pollRecapEvent(fields: PollRecapFields): BuiltEvent {
  return {
    event: "poll.recap",
    payload: {
      pollMessageId: fields.pollMessageId,
      chatJid: fields.chatJid ?? EXAMPLE_GROUP_JID,
      name: fields.name,
      options: fields.options,
      selectableCount: fields.selectableCount,
      endTime: fields.endTime,
      hideVotes: fields.hideVotes ?? false,
      totalVotes: fields.voters.length,
      voters: fields.voters.map((voter) => omitEmptyFields(voter)),
    },
  };
}

export type SessionStatus = "starting" | "scan_qr_code" | "working" | "failed" | "stopped" | "logged_out";

export function sessionStatusEvent(status: SessionStatus): BuiltEvent {
  return { event: "session.status", payload: { status } };
}

export function newsletterUpdateEvent(fields: {
  jid?: string;
  action: "join" | "leave" | "mute";
}): BuiltEvent {
  return {
    event: "newsletter.update",
    payload: { jid: fields.jid ?? EXAMPLE_NEWSLETTER_JID, action: fields.action },
  };
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "" || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** Nested objects (location, contact, mentions, poll) follow omitempty too, except a poll's count. */
function omitEmptyFields<T>(value: T): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "selectableCount" || !isEmpty(item)) out[key] = omitEmptyFields(item);
  }
  return out as T;
}
