import { bodySections, type RenderedBody, section } from "./blocks.js";
import type { MirrorContent } from "./content.js";
import { replaceMentions, whatsAppToMrkdwn } from "./mrkdwn.js";

export function renderText(content: MirrorContent): RenderedBody {
  const blocks = bodySections(whatsAppToMrkdwn(content.body, content.mentions));
  return {
    blocks: blocks.length > 0 ? blocks : [section("_(an empty message)_")],
    summary: replaceMentions(content.body, content.mentions),
  };
}
