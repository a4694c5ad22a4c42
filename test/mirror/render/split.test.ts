import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readerLength, splitMrkdwn } from "../../../src/mirror/render/split.js";
import { escapeText } from "../../../src/slack/blocks/format.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("splitMrkdwn", () => {
  it("when the text fits, then it is one piece", () => {
    expect(splitMrkdwn("hello", 100, 5)).toEqual({ pieces: ["hello"], leftOut: 0 });
  });

  it("when the text is long, then it is cut at a line end", () => {
    const text = `${"a".repeat(60)}\n${"b".repeat(60)}`;
    expect(splitMrkdwn(text, 100, 5).pieces).toEqual(["a".repeat(60), "b".repeat(60)]);
  });

  it("when a line is long, then it is cut between words", () => {
    const text = `${"word ".repeat(30)}end`;
    const { pieces } = splitMrkdwn(text, 50, 10);
    for (const piece of pieces) expect(piece).toMatch(/^(word ?)+$|^(word )*end$/);
    expect(pieces.join(" ").replace(/\s+/g, " ")).toBe(text);
  });

  it("when there is no space, then the cut never splits an entity", () => {
    const text = escapeText("&".repeat(100));
    const { pieces } = splitMrkdwn(text, 53, 100);
    for (const piece of pieces) expect(piece).toMatch(/^(&amp;)+$/);
    expect(pieces.join("")).toBe(text);
  });

  it("when there is no space, then the cut never splits an emoji, even a family or a flag", () => {
    for (const emoji of ["😀", "👨‍👩‍👧‍👦", "🇮🇩", "👍🏽"]) {
      const text = emoji.repeat(50);
      const { pieces } = splitMrkdwn(text, 47, 100);
      for (const piece of pieces) {
        expect(piece.length).toBeLessThanOrEqual(47);
        expect(piece.split(emoji).join("")).toBe("");
      }
      expect(pieces.join("")).toBe(text);
    }
  });

  it("when a code block is cut, then the first piece closes it and the next reopens it", () => {
    const text = `\`\`\`\n${"x = 1\n".repeat(30)}\`\`\``;
    const { pieces } = splitMrkdwn(text, 80, 10);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(80);
      expect(piece.split("```").length % 2).toBe(1);
    }
  });

  it("when there are more pieces than allowed, then the rest is counted as a reader counts", () => {
    const text = escapeText(`${"a".repeat(100)}<>&😀`);
    const { pieces, leftOut } = splitMrkdwn(text, 50, 1);
    expect(pieces).toHaveLength(1);
    expect(leftOut).toBe(100 - 47 + 4);
  });

  it("when only whitespace is left between cuts, then no empty piece is made", () => {
    const { pieces } = splitMrkdwn(`a${" ".repeat(300)}b`, 50, 20);
    expect(pieces.every((p) => p.trim() !== "")).toBe(true);
  });

  it("when any escaped text is split, then every piece fits, is whole, and nothing is lost", () => {
    const units = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 400 }),
      fc.string({
        unit: fc.constantFrom("&", "<", ">", "`", "\n", " ", "😀", "👨‍👩‍👧", "a", "*"),
        maxLength: 600,
      }),
    );
    fc.assert(
      fc.property(units, fc.integer({ min: 10, max: 120 }), (raw, max) => {
        const text = escapeText(raw);
        const { pieces, leftOut } = splitMrkdwn(text, max, 1000);
        expect(leftOut).toBe(0);
        for (const piece of pieces) {
          expect(piece.length).toBeLessThanOrEqual(max);
          expect(piece).not.toMatch(LONE_SURROGATE);
          expect(piece.replace(/&(amp|lt|gt);/g, "")).not.toContain("&");
        }
        const kept = pieces.join("").replace(/```/g, "").replace(/\s/g, "");
        expect(kept).toBe(text.replace(/```/g, "").replace(/\s/g, ""));
      }),
    );
  });
});

describe("readerLength", () => {
  it("when text has entities and emoji, then each counts as one character", () => {
    expect(readerLength("&amp;&lt;😀a")).toBe(4);
  });
});
