// The flat payload of `message`, `message.from_me`, `message.reaction`, `message.edited`,
// `message.revoked` and `poll.vote` (the gateway's internal/apitypes/events.go). Go's `omitempty`
// leaves empty fields out and a nil slice or pointer may come as null, so every field is nullish;
// readers treat null and absent alike. `media` is not read: the gateway always sends null there.
import { z } from "zod";

const text = z.string().nullish();

const mentionSchema = z.object({ pushName: text, tag: text });

const locationSchema = z.object({
  latitude: z.number(),
  longitude: z.number(),
  name: text,
  address: text,
});

const contactSchema = z.object({ displayName: text, vcard: text });

const pollSchema = z.object({
  name: z.string(),
  options: z.array(z.string()).nullish(),
  /** 0 = any number of options. */
  selectableCount: z.number().int().min(0),
  endTime: z.number().int().nullish(),
  hideVotes: z.boolean().nullish(),
});

export const messagePayloadSchema = z.object({
  waMessageId: text,
  chatJid: text,
  senderJid: text,
  senderLid: text,
  fromMe: z.boolean().nullish(),
  type: text,
  body: text,
  /** WhatsApp's time for the stanza, in ms. */
  timestamp: z.number().int().nullish(),
  pushName: text,
  quotedMessageId: text,
  quotedSenderJid: text,
  quotedSenderLid: text,
  quotedBody: text,
  quotedFromMe: z.boolean().nullish(),
  /** Mentioned JID → what the gateway knows of that person. */
  mentions: z.record(z.string(), mentionSchema).nullish(),
  hasMedia: z.boolean().nullish(),
  /** Absent (or, per the OpenAPI, "") when the reaction was removed. */
  reaction: text,
  /** The message a reaction, edit, revoke or vote is about. */
  targetId: text,
  location: locationSchema.nullish(),
  contact: contactSchema.nullish(),
  poll: pollSchema.nullish(),
  /** A vote's whole selection; an option the gateway could not decrypt comes as 64-char hex. */
  selectedOptions: z.array(z.string()).nullish(),
});

export type MessagePayload = z.infer<typeof messagePayloadSchema>;
