import { describe, expect, it } from "vitest";
import { excerpt } from "../../src/domain/excerpt.js";

describe("excerpt", () => {
  it("when the text is short, then it is returned whole", () => {
    expect(excerpt("Pizza")).toBe("Pizza");
    expect(excerpt("x".repeat(60))).toBe("x".repeat(60));
  });

  it("when the text is long, then it is cut with … without splitting an emoji", () => {
    expect(excerpt("👍".repeat(100), 3)).toBe("👍👍👍…");
    expect(excerpt("a".repeat(1_000_000))).toBe(`${"a".repeat(60)}…`);
  });
});
