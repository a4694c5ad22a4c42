// A shared contact card: the name and the phone numbers on it.
import { clip, type RenderedBody, section } from "./blocks.js";
import type { MirrorContent } from "./content.js";
import { safeText } from "./mrkdwn.js";

export function renderContact(content: MirrorContent & { kind: "contact" }): RenderedBody {
  const name = content.contact.name.trim();
  const lines = [`👤 *${name === "" ? "Contact card" : safeText(clip(name, 500))}*`];
  for (const phone of content.contact.phones) lines.push(`📞 ${safeText(clip(phone, 200))}`);
  return {
    blocks: [section(lines.join("\n"))],
    summary: `👤 Contact: ${name === "" ? "a contact card" : name}`,
  };
}
