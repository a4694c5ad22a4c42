// What a mirrored Slack message is rendered from: built once from the WhatsApp message, kept as JSON
// in the message map, and rendered again whenever an edit, a revoke, a reaction or a vote changes it.
import { z } from "zod";
import type { MessagePayload } from "../events/message-payload.js";
import { nameFromVcard, phonesFromVcard } from "./vcard.js";

export const MEDIA_KINDS = ["image", "video", "audio", "document", "sticker"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

const base = {
  /** Text, caption, poll question or contact name ("" when none). */
  body: z.string(),
  /** The sender's WhatsApp display name at send time ("" when not given). */
  pushName: z.string(),
  /** The sender's phone JID and LID ("" when not given). */
  senderJid: z.string(),
  senderLid: z.string(),
  fromMe: z.boolean(),
  /** WhatsApp's time of the message (ms). */
  sentAt: z.number().optional(),
  /** Mentioned JID → the name to show for it. */
  mentions: z.record(z.string(), z.string()).default({}),
  /** The message this one replies to, when WhatsApp says so. */
  quoted: z.object({ messageId: z.string(), body: z.string() }).optional(),
  edited: z.boolean().default(false),
  revoked: z.boolean().default(false),
  /** Posted after newer messages of its chat were already in Slack. */
  arrivedLate: z.boolean().default(false),
  /** Names of the people who reacted or voted (JID or LID → WhatsApp display name), as they told them. */
  people: z.record(z.string(), z.string()).default({}),
  /**
   * WhatsApp time of the newest change shown, by what it changed: "edit", "reaction:<person>",
   * "vote:<person>" (process/newer-change.ts). The gateway's deliveries come in any order and a
   * redelivery comes again later, so a change older than the one shown must not replace it. Absent
   * until a first change.
   */
  changedAt: z.record(z.string(), z.number()).optional(),
};

export const mirrorContentSchema = z.discriminatedUnion("kind", [
  z.object({ ...base, kind: z.enum(["text", "other"]) }),
  z.object({ ...base, kind: z.enum(MEDIA_KINDS) }),
  z.object({
    ...base,
    kind: z.literal("location"),
    location: z.object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string(),
      address: z.string(),
    }),
  }),
  z.object({
    ...base,
    kind: z.literal("contact"),
    contact: z.object({ name: z.string(), phones: z.array(z.string()) }),
  }),
  z.object({
    ...base,
    kind: z.literal("poll"),
    poll: z.object({
      name: z.string(),
      options: z.array(z.string()),
      /** 0 = any number. */
      selectableCount: z.number().int().min(0),
      endTime: z.number().optional(),
      hideVotes: z.boolean(),
      /** The poll ended (`poll.recap`): no more votes, and `finalCounts` when WhatsApp gave them. */
      closed: z.boolean().default(false),
      finalCounts: z.record(z.string(), z.number().int().min(0)).optional(),
    }),
  }),
]);

export type MirrorContent = z.infer<typeof mirrorContentSchema>;

function mentionsOf(payload: MessagePayload): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [jid, mention] of Object.entries(payload.mentions ?? {})) {
    const name = mention.pushName || mention.tag;
    if (name) names[jid] = name;
  }
  return names;
}

function isMediaKind(type: string): type is MediaKind {
  return (MEDIA_KINDS as readonly string[]).includes(type);
}

/** The content of a `message` or `message.from_me` event. */
export function contentFromMessage(payload: MessagePayload): MirrorContent {
  const common = {
    body: payload.body ?? "",
    pushName: payload.pushName ?? "",
    senderJid: payload.senderJid ?? "",
    senderLid: payload.senderLid ?? "",
    fromMe: payload.fromMe ?? false,
    mentions: mentionsOf(payload),
    edited: false,
    revoked: false,
    arrivedLate: false,
    people: {},
    ...(payload.timestamp == null ? {} : { sentAt: payload.timestamp }),
    ...(payload.quotedMessageId
      ? { quoted: { messageId: payload.quotedMessageId, body: payload.quotedBody ?? "" } }
      : {}),
  };
  const type = payload.type ?? "";
  const { location, contact, poll } = payload;

  if (location) {
    const { latitude, longitude } = location;
    const place = { latitude, longitude, name: location.name ?? "", address: location.address ?? "" };
    return { ...common, kind: "location", location: place };
  }
  if (poll) {
    const shown = {
      name: poll.name,
      options: poll.options ?? [],
      selectableCount: poll.selectableCount,
      hideVotes: poll.hideVotes ?? false,
      closed: false,
      ...(poll.endTime == null ? {} : { endTime: poll.endTime }),
    };
    return { ...common, kind: "poll", poll: shown };
  }
  if (contact || type === "contact") {
    const vcard = contact?.vcard ?? "";
    const name = contact?.displayName || common.body || nameFromVcard(vcard) || "";
    return { ...common, kind: "contact", contact: { name, phones: phonesFromVcard(vcard) } };
  }
  if (isMediaKind(type)) return { ...common, kind: type };
  if (type === "text" || (type === "" && common.body !== "")) return { ...common, kind: "text" };
  return { ...common, kind: "other" };
}

/**
 * The content after a `message.edited` event: the new text and its mentions, marked edited. The kind
 * stays (an edit of a photo's caption comes as type "text"). `at`, the edit's WhatsApp time, is kept so
 * that an older edit delivered later does not bring the older text back.
 */
export function editedContent(content: MirrorContent, edit: MessagePayload, at?: number): MirrorContent {
  const edited = { ...content, body: edit.body ?? "", mentions: mentionsOf(edit), edited: true };
  return at === undefined ? edited : { ...edited, changedAt: { ...content.changedAt, edit: at } };
}
