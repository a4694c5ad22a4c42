import { describe, expect, it } from "vitest";
import { contentOf, render, shown, textContent } from "./fixtures.js";

describe("rendering a text message", () => {
  it("when a group reply mentions Budi, then the section reads with his name and the quote sits above", () => {
    const message = render(contentOf("event-message-group-text-reply.json"));
    expect(message.blocks).toEqual([
      { type: "context", elements: [{ type: "mrkdwn", text: "↩️ Replying to: “Dinner tonight?”" }] },
      { type: "section", text: { type: "mrkdwn", text: "@Budi agreed, see you at 7" } },
    ]);
    expect(message.text).toBe("Alice: @Budi agreed, see you at 7");
  });

  it("when the text is formatted, then the formatting reaches Slack as mrkdwn", () => {
    const message = render(textContent("*Menu* _today_:\n```rice```"));
    expect(shown(message)).toBe("*Menu* _today_:\n```rice```");
  });

  it("when the text is empty, then the section says so instead of being empty (Slack refuses that)", () => {
    expect(shown(render(textContent("   ")))).toBe("_(an empty message)_");
  });

  it("when the text is longer than a section, then it continues in the next ones", () => {
    const body = Array.from({ length: 200 }, (_, i) => `Line ${i} ${"x".repeat(40)}`).join("\n");
    const sections = render(textContent(body)).blocks.filter((b) => b.type === "section");
    expect(sections.length).toBe(4);
    expect(shown(render(textContent(body))).replace(/\n/g, "")).toBe(body.replace(/\n/g, ""));
  });
});
