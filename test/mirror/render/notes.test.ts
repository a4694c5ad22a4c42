import { describe, expect, it } from "vitest";
import { contentOf, pollContent, render, shown, textContent } from "./fixtures.js";

const SENT = "<!date^1752572399^{date_short_pretty} {time}|2025-07-15 09:39 UTC>";

describe("notes around a mirrored message", () => {
  it("when a message was edited on WhatsApp, then a small line says so", () => {
    const message = render(textContent("see you at 8", { edited: true }));
    expect(message.blocks.at(-1)).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "✏️ (edited on WhatsApp)" }],
    });
  });

  it("when a message arrived after newer ones, then a line gives its WhatsApp time", () => {
    const text = shown(render(textContent("late", { arrivedLate: true })));
    expect(text).toContain(`🕓 Arrived late: sent on WhatsApp ${SENT}`);
  });

  it("when both apply, then one context line holds both notes", () => {
    const message = render(textContent("x", { edited: true, arrivedLate: true }));
    const last = message.blocks.at(-1);
    expect(last?.type === "context" && last.elements.length).toBe(2);
  });

  it("when the quoted text is long or multi-line, then the quote is one shortened line", () => {
    const content = {
      ...textContent("yes"),
      quoted: { messageId: "q", body: `first\n${"word ".repeat(100)}` },
    };
    const quote = shown(render(content)).split("\n")[0] ?? "";
    expect(quote).toMatch(/^↩️ Replying to: “first word word .*…”$/);
    expect(quote.length).toBeLessThan(230);
  });

  it("when the quoted text is hostile, then it is escaped", () => {
    const content = { ...textContent("yes"), quoted: { messageId: "q", body: "<!channel>" } };
    expect(shown(render(content))).toContain("“&lt;!channel&gt;”");
  });

  it("when the reply quotes a message without text, then there is no quote line", () => {
    const content = { ...textContent("yes"), quoted: { messageId: "q", body: "" } };
    expect(render(content).blocks).toHaveLength(1);
  });
});

describe("a revoked message", () => {
  it("when a message is deleted on WhatsApp, then its text is replaced by a note, keeping sender and time", () => {
    const content = { ...contentOf("event-message-group-text-reply.json"), revoked: true, edited: true };
    const message = render(content, { reactions: [{ reactor: "a", name: "Ana", emoji: "👍" }] });
    expect(message.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "🚫 _This message was deleted on WhatsApp._" } },
      { type: "context", elements: [{ type: "mrkdwn", text: `Sent on WhatsApp ${SENT}` }] },
    ]);
    expect(message.username).toBe("Alice");
    expect(message.text).toBe("Alice: (message deleted on WhatsApp)");
    expect(JSON.stringify(message)).not.toContain("agreed");
  });

  it("when a deleted poll is rendered, then it has no Vote button", () => {
    const message = render({ ...pollContent(["A", "B"]), revoked: true });
    expect(message.blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("when the WhatsApp time is unknown, then the note says so", () => {
    const { sentAt: _, ...content } = textContent("x", { revoked: true });
    expect(shown(render(content))).toContain("Sent on WhatsApp at an unknown time");
  });
});
