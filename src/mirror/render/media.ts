// Photos, videos, audio, documents and stickers. The gateway passes no file (no bytes, no URL, no
// name), so the message says what it was and where to see it, with its caption.
import { bodySections, context, type RenderedBody } from "./blocks.js";
import type { MediaKind, MirrorContent } from "./content.js";
import { replaceMentions, whatsAppToMrkdwn } from "./mrkdwn.js";

const MEDIA: Readonly<Record<MediaKind, { icon: string; label: string }>> = {
  image: { icon: "📷", label: "Photo" },
  video: { icon: "🎥", label: "Video" },
  audio: { icon: "🎵", label: "Audio" },
  document: { icon: "📄", label: "Document" },
  sticker: { icon: "🖼️", label: "Sticker" },
};

export function renderMedia(content: MirrorContent & { kind: MediaKind }): RenderedBody {
  const { icon, label } = MEDIA[content.kind];
  const caption = whatsAppToMrkdwn(content.body, content.mentions);
  const headline = caption.trim() === "" ? `${icon} *${label}*` : `${icon} *${label}* — ${caption}`;
  const plainCaption = replaceMentions(content.body, content.mentions).trim();
  return {
    blocks: [
      ...bodySections(headline),
      context(`The ${label.toLowerCase()} stays on the phone: open WhatsApp to see it.`),
    ],
    summary: plainCaption === "" ? `${icon} ${label}` : `${icon} ${label} — ${plainCaption}`,
  };
}
