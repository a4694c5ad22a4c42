import { describe, expect, it } from "vitest";
import { readWhatsAppMetadata } from "../../../src/domain/metadata.js";
import type { MirrorContent } from "../../../src/mirror/render/content.js";
import { blockKitViolations } from "../../slack/blocks/block-kit-limits.js";
import { ANA, contentOf, pollContent, render, shown, textContent, textsOf } from "./fixtures.js";

describe("renderMirroredMessage metadata", () => {
  it("when a message is rendered, then its metadata is the interface's whatsapp_message", () => {
    const message = render(contentOf("event-message-image.json"), {
      sessionId: "01J9ZX8K2QHV0M3T6R7P4N5W8C",
      chatJid: "120363021234567890@g.us",
      waMessageId: "3EB0IMAGE0000000001",
      sender: "6281234567890@s.whatsapp.net",
    });
    expect(message.metadata).toEqual({
      event_type: "whatsapp_message",
      event_payload: {
        session_id: "01J9ZX8K2QHV0M3T6R7P4N5W8C",
        chat: "120363021234567890@g.us",
        message_id: "3EB0IMAGE0000000001",
        sender: "6281234567890@s.whatsapp.net",
      },
    });
  });

  it("when the account wrote it, then the metadata's sender is empty, as the gateway wants", () => {
    const message = render(contentOf("event-message-from-me-dm.json"), { sender: "" });
    expect(message.metadata.event_payload.sender).toBe("");
    expect(message.username).toBe("Office Phone (this WhatsApp account)");
  });

  it("when the metadata is read back the way the shortcuts read it, then it names the same message and poll", () => {
    const message = render(contentOf("event-message-poll.json"), { waMessageId: "3EB0POLL0000000001" });
    expect(readWhatsAppMetadata(message.metadata)).toEqual({
      ok: true,
      message: {
        sessionId: "01J9ZX8K2QHV0M3T6R7P4N5W8C",
        chat: "120363021234567890@g.us",
        messageId: "3EB0POLL0000000001",
        sender: "6281234567890@s.whatsapp.net",
        poll: { name: "Lunch where?", options: ["Padang", "Sushi", "Warteg"], selectableCount: 1 },
      },
    });
  });
});

describe("renderMirroredMessage fallback text", () => {
  it("when the text is long, then the fallback is a short one-line start of it", () => {
    const message = render(textContent(`hello\n\nthere ${"x".repeat(500)}`));
    expect(message.text).toMatch(/^Ana: hello there x+…$/);
    expect(message.text.length).toBeLessThanOrEqual(160);
  });

  it("when the sender has no name, then the number introduces the summary", () => {
    expect(render(textContent("hi", { pushName: "" })).text).toBe("+6281234567890: hi");
  });

  it("when the text is empty, then the fallback still says who sent something", () => {
    expect(render(textContent("")).text).toBe("Ana sent a message");
  });

  it("when the text is hostile, then the fallback is escaped too (notifications parse it)", () => {
    expect(render(textContent("<!channel> & <@U1>")).text).toBe("Ana: &lt;!channel&gt; &amp; &lt;@U1&gt;");
  });
});

function assertFits(message: ReturnType<typeof render>): void {
  expect(blockKitViolations(message)).toEqual([]);
  expect(message.text.length).toBeLessThanOrEqual(40_000);
  expect(message.username.length).toBeGreaterThan(0);
  expect(message.username.length).toBeLessThanOrEqual(80);
  const blockTexts = textsOf(message).slice(1);
  expect(blockTexts.reduce((sum, text) => sum + text.length, 0)).toBeLessThanOrEqual(40_000);
}

describe("renderMirroredMessage size limits", () => {
  it("when the text is 100,000 characters, then it is cut into sections and the rest is counted", () => {
    const message = render(textContent("a".repeat(100_000)));
    assertFits(message);
    const sections = message.blocks.filter((b) => b.type === "section");
    expect(sections).toHaveLength(12);
    expect(shown(message)).toMatch(
      /✂️ 6\d,\d{3} more characters not shown: open WhatsApp for the whole text\.$/,
    );
  });

  it("when the text is all characters Slack needs escaped, then the escaped text still fits", () => {
    assertFits(render(textContent("<&>".repeat(30_000))));
  });

  it("when the text is a million emoji, then it fits and no emoji is cut", () => {
    const message = render(textContent("👨‍👩‍👧".repeat(100_000)));
    assertFits(message);
    for (const block of message.blocks) {
      if (block.type === "section") expect(block.text?.text.replaceAll("👨‍👩‍👧", "")).toBe("");
    }
  });

  it("when a long code block is cut, then every section still closes its code", () => {
    const message = render(textContent(`\`\`\`${"let x = 1;\n".repeat(5_000)}\`\`\``));
    assertFits(message);
    for (const block of message.blocks) {
      if (block.type === "section") expect((block.text?.text.split("```").length ?? 0) % 2).toBe(1);
    }
  });

  it("when a caption is huge, then the media message fits too", () => {
    const content: MirrorContent = { ...ANA, kind: "video", body: "z ".repeat(80_000) };
    assertFits(render(content));
  });

  it("when a poll has hundreds of long options and thousands of voters, then it fits and keeps its Vote button", () => {
    const options = Array.from({ length: 300 }, (_, i) => `${i} ${"option ".repeat(20)}`);
    const votes = Array.from({ length: 5_000 }, (_, i) => ({
      voter: `${i}@lid`,
      name: `Person ${"n".repeat(100)} ${i}`,
      options: [options[i % 300] ?? "", "f".repeat(64)],
    }));
    const message = render(pollContent(options, { name: "Q".repeat(10_000), selectableCount: 0 }), { votes });
    assertFits(message);
    expect(message.blocks.some((b) => b.type === "actions")).toBe(true);
    expect(shown(message)).toContain("Part of this message is not shown");
  });

  it("when thousands reacted with different emoji, then the reactions line fits", () => {
    const emoji = ["👍", "❤️", "😂", "😮", "😢", "🙏", "👍🏽", "🎉"];
    const reactions = Array.from({ length: 10_000 }, (_, i) => ({
      reactor: `${i}@lid`,
      name: `Someone with a long name ${i}`,
      emoji: emoji[i % emoji.length] ?? "👍",
    }));
    assertFits(render(textContent("hi"), { reactions }));
  });

  it("when everything is at its largest at once, then the message still fits", () => {
    const content = {
      ...textContent("x".repeat(200_000), { edited: true, arrivedLate: true, pushName: "N".repeat(500) }),
      quoted: { messageId: "q", body: "q".repeat(100_000) },
    };
    const reactions = Array.from({ length: 2_000 }, (_, i) => ({
      reactor: `${i}`,
      name: "R".repeat(100),
      emoji: "👍",
    }));
    assertFits(render(content, { reactions }));
  });
});
