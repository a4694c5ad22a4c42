import { describe, expect, it } from "vitest";
import type { MirrorContent } from "../../../src/mirror/render/content.js";
import { ANA, contentOf, render, shown } from "./fixtures.js";

describe("rendering a contact card", () => {
  it("when a card with a number is shared, then its name and number show", () => {
    const message = render(contentOf("event-message-contact-card.json"));
    expect(shown(message)).toBe("👤 *Bengkel Jaya*\n📞 +62 813-0000-0000");
    expect(message.text).toBe("Alice: 👤 Contact: Bengkel Jaya");
  });

  it("when the card has no name or number, then it still says it is a contact card", () => {
    const content: MirrorContent = { ...ANA, kind: "contact", body: "", contact: { name: "", phones: [] } };
    expect(shown(render(content))).toBe("👤 *Contact card*");
  });

  it("when the card's name and numbers are hostile, then they are escaped", () => {
    const content: MirrorContent = {
      ...ANA,
      kind: "contact",
      body: "",
      contact: { name: "<@U123>", phones: ["<tel:1|call me>"] },
    };
    expect(shown(render(content))).toBe("👤 *&lt;@U123&gt;*\n📞 &lt;tel:1|call me&gt;");
  });
});
