// Shared builders for the renderer tests: contents from the gateway's examples or by hand, and the
// texts a rendered message shows.
import { isMessageEnvelope, parseEnvelope } from "../../../src/mirror/events/envelope.js";
import type { MessagePayload } from "../../../src/mirror/events/message-payload.js";
import { contentFromMessage, type MirrorContent } from "../../../src/mirror/render/content.js";
import {
  type MirroredSlackMessage,
  type MirrorRenderInput,
  renderMirroredMessage,
} from "../../../src/mirror/render/render-message.js";
import { readExample } from "../events/gateway-examples.js";

export function payloadOf(name: string): MessagePayload {
  const result = parseEnvelope(readExample(name));
  if (!result.ok || !isMessageEnvelope(result.envelope)) throw new Error(`${name} is not a message event`);
  return result.envelope.payload;
}

export function contentOf(name: string): MirrorContent {
  return contentFromMessage(payloadOf(name));
}

export const ANA = {
  pushName: "Ana",
  senderJid: "6281234567890@s.whatsapp.net",
  senderLid: "205227043110953@lid",
  fromMe: false,
  sentAt: 1752572399000,
  mentions: {},
  edited: false,
  revoked: false,
  arrivedLate: false,
  people: {},
} as const;

export function textContent(body: string, changes: Partial<MirrorContent> = {}): MirrorContent {
  return { ...ANA, kind: "text", body, ...changes } as MirrorContent;
}

export function pollContent(
  options: string[],
  changes: Partial<(MirrorContent & { kind: "poll" })["poll"]> = {},
): MirrorContent {
  return {
    ...ANA,
    kind: "poll",
    body: "Lunch where?",
    poll: { name: "Lunch where?", options, selectableCount: 1, hideVotes: false, closed: false, ...changes },
  };
}

export function render(content: MirrorContent, extra: Partial<MirrorRenderInput> = {}): MirroredSlackMessage {
  return renderMirroredMessage({
    content,
    sessionId: "01J9ZX8K2QHV0M3T6R7P4N5W8C",
    chatJid: "120363021234567890@g.us",
    waMessageId: "3EB0A1B2C3D4E5F60718",
    sender: "6281234567890@s.whatsapp.net",
    ...extra,
  });
}

function collect(value: unknown, into: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, into);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "text" && typeof inner === "string") into.push(inner);
      else collect(inner, into);
    }
  }
}

/** Every text Slack shows or parses: the fallback and each block's texts, button labels included. */
export function textsOf(message: Pick<MirroredSlackMessage, "text" | "blocks">): string[] {
  const texts = [message.text];
  collect(message.blocks, texts);
  return texts;
}

/** The blocks' texts in order, one string, for reading what a message shows. */
export function shown(message: Pick<MirroredSlackMessage, "blocks">): string {
  const texts: string[] = [];
  collect(message.blocks, texts);
  return texts.join("\n");
}
