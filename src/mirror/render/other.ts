// A WhatsApp message of a kind the gateway does not describe (or this app does not know yet).
import { bodySections, context, type RenderedBody } from "./blocks.js";
import type { MirrorContent } from "./content.js";
import { replaceMentions, whatsAppToMrkdwn } from "./mrkdwn.js";

export function renderOther(content: MirrorContent): RenderedBody {
  const note = "💬 A kind of WhatsApp message that can't be shown here: open WhatsApp to see it.";
  const text = replaceMentions(content.body, content.mentions).trim();
  return {
    blocks: [...bodySections(whatsAppToMrkdwn(content.body, content.mentions)), context(note)],
    summary: text === "" ? "a message that can't be shown here" : text,
  };
}
