import { describe, expect, it } from "vitest";
import type { MirrorContent } from "../../../src/mirror/render/content.js";
import { ANA, contentOf, render, shown } from "./fixtures.js";

describe("rendering media", () => {
  it("when a photo has a caption, then it says Photo with the caption, and that the file is on the phone", () => {
    const message = render(contentOf("event-message-image.json"));
    expect(message.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "📷 *Photo* — receipt for lunch" } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: "The photo stays on the phone: open WhatsApp to see it." }],
      },
    ]);
    expect(message.text).toBe("Alice: 📷 Photo — receipt for lunch");
  });

  it("when a document has no caption, then it says Document alone", () => {
    const message = render(contentOf("event-message-document-no-caption.json"));
    expect(shown(message)).toMatch(/^📄 \*Document\*\nThe document stays on the phone/);
    expect(message.text).toBe("Alice: 📄 Document");
  });

  it.each([
    ["video", "🎥 *Video*"],
    ["audio", "🎵 *Audio*"],
    ["sticker", "🖼️ *Sticker*"],
  ] as const)("when the message is a %s, then it is named so", (kind, headline) => {
    const content: MirrorContent = { ...ANA, kind, body: "" };
    expect(shown(render(content))).toContain(headline);
  });

  it("when a caption is hostile, then it is escaped like a text", () => {
    const content: MirrorContent = { ...ANA, kind: "image", body: "<!channel> <http://evil|bank.com>" };
    expect(shown(render(content))).toContain("— &lt;!channel&gt; &lt;http://evil|bank.com&gt;");
  });
});
