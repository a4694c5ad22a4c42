import { describe, expect, it } from "vitest";
import { contentFromMessage } from "../../../src/mirror/render/content.js";
import { render, shown } from "./fixtures.js";

describe("rendering a message of an unknown kind", () => {
  it("when WhatsApp sends a kind the gateway does not describe, then the message says to open WhatsApp", () => {
    const message = render(contentFromMessage({ type: "ptt", pushName: "Ana" }));
    expect(shown(message)).toBe(
      "💬 A kind of WhatsApp message that can't be shown here: open WhatsApp to see it.",
    );
    expect(message.text).toBe("Ana: a message that can't be shown here");
  });

  it("when it has a body, then the body shows above the note", () => {
    const message = render(contentFromMessage({ type: "list", body: "Pick one", pushName: "Ana" }));
    expect(shown(message)).toMatch(/^Pick one\n💬/);
  });
});
