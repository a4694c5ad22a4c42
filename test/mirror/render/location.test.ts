import { describe, expect, it } from "vitest";
import type { MirrorContent } from "../../../src/mirror/render/content.js";
import { ANA, contentOf, render, shown } from "./fixtures.js";

function place(location: Partial<(MirrorContent & { kind: "location" })["location"]>): MirrorContent {
  return {
    ...ANA,
    kind: "location",
    body: "",
    location: { latitude: -6.2, longitude: 106.8, name: "", address: "", ...location },
  };
}

describe("rendering a location", () => {
  it("when a named place is shared, then its name and a Google Maps link show", () => {
    const message = render(contentOf("event-message-location.json"));
    expect(shown(message)).toBe(
      "📍 *Monas*\n<https://www.google.com/maps?q=-6.2,106.8|Open in Google Maps> (-6.2, 106.8)",
    );
    expect(message.text).toBe("Alice: 📍 Location: Monas");
  });

  it("when the place has an address, then it is on its own line", () => {
    expect(shown(render(place({ name: "Monas", address: "Gambir, Jakarta" })))).toContain(
      "📍 *Monas*\nGambir, Jakarta\n<https://",
    );
  });

  it("when the place has no name, then it is called Location and the summary gives the coordinates", () => {
    const message = render(place({}));
    expect(shown(message)).toMatch(/^📍 \*Location\*\n/);
    expect(message.text).toBe("Ana: 📍 Location: -6.2, 106.8");
  });

  it("when coordinates have many decimals or are tiny, then the link has at most six decimals", () => {
    expect(shown(render(place({ latitude: 1e-7, longitude: 106.123456789 })))).toContain("?q=0,106.123457|");
  });

  it("when the coordinates are not on Earth, then no link is made", () => {
    const text = shown(render(place({ latitude: 500, longitude: 106.8 })));
    expect(text).not.toContain("<");
    expect(text).toContain("500, 106.8");
  });

  it("when the name or address is hostile, then it is escaped and the only link is the map's", () => {
    const text = shown(render(place({ name: "<http://evil|Bank>", address: "<!here>" })));
    expect(text).toContain("*&lt;http://evil|Bank&gt;*\n&lt;!here&gt;");
    expect(text.match(/</g)).toHaveLength(1);
  });
});
