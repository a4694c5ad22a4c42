import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeEmoji, QUICK_REACTIONS, shortcodeFor } from "../../src/domain/emoji.js";
import { anyText } from "./arbitraries.js";
import { inputError, returnsOrRefuses } from "./input-error.js";

interface Entry {
  unified: string;
  non_qualified: string | null;
  short_names: string[];
  skin_variations?: Record<string, { unified: string; non_qualified: string | null }>;
}
const TABLE = createRequire(import.meta.url)("emoji-datasource/emoji.json") as Entry[];
const fromUnified = (u: string) => String.fromCodePoint(...u.split("-").map((h) => Number.parseInt(h, 16)));

describe("normalizeEmoji", () => {
  it.each([
    ["👍", "👍"],
    ["👍🏽", "👍🏽"],
    ["❤️", "❤️"],
    ["👩‍💻", "👩‍💻"],
    ["👨‍👩‍👧", "👨‍👩‍👧"],
    ["🏳️‍🌈", "🏳️‍🌈"],
    ["🇮🇩", "🇮🇩"],
    ["1️⃣", "1️⃣"],
    ["🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"],
  ])("when given the Unicode emoji %s, then it returns it unchanged", (input, expected) => {
    expect(normalizeEmoji(input)).toBe(expected);
  });

  it.each([
    ["❤", "❤️"],
    ["❤︎", "❤️"],
    ["🏳‍🌈", "🏳️‍🌈"],
    ["1⃣", "1️⃣"],
    ["☺", "☺️"],
  ])(
    "when an emoji lacks U+FE0F (as WhatsApp's own reactions may), then %s becomes fully qualified %s",
    (input, expected) => {
      expect(normalizeEmoji(input)).toBe(expected);
    },
  );

  it.each([
    [":+1:", "👍"],
    [":thumbsup:", "👍"],
    [":+1::skin-tone-3:", "👍🏼"],
    [":thumbsup::skin-tone-6:", "👍🏿"],
    [":heart:", "❤️"],
    [":flag-id:", "🇮🇩"],
    [":one:", "1️⃣"],
    [":female-technologist:", "👩‍💻"],
    [":handshake::skin-tone-2:", "🤝🏻"],
    [":woman-heart-woman::skin-tone-4:", "👩🏽‍❤️‍👩🏽"],
    [":THUMBSUP:", "👍"],
  ])("when given the Slack shortcode %s, then it returns %s", (input, expected) => {
    expect(normalizeEmoji(input)).toBe(expected);
  });

  it("when the emoji has spaces around it, then they are ignored", () => {
    expect(normalizeEmoji("  👍\n")).toBe("👍");
  });

  it("when the emoji is newer than Slack's emoji table, then a well-formed emoji still passes", () => {
    // U+1FAE8 U+200D U+1F525 is not in the table but has the shape of a ZWJ emoji sequence.
    expect(normalizeEmoji("🫨‍🔥")).toBe("🫨‍🔥");
  });

  it("when given a custom workspace emoji, then the error says it can't be sent to WhatsApp", () => {
    const error = inputError(() => normalizeEmoji(":partyparrot:"));
    expect(error.message).toContain(
      "`:partyparrot:` is not a standard emoji — custom workspace emoji can't be sent to WhatsApp",
    );
    expect(error.field).toBe("emoji");
  });

  it("when given text, then the error says it is not an emoji", () => {
    expect(inputError(() => normalizeEmoji("abc")).message).toContain("`abc` is not an emoji");
    expect(inputError(() => normalizeEmoji("1")).message).toContain("`1` is not an emoji");
    expect(inputError(() => normalizeEmoji("★")).message).toContain("is not an emoji");
    expect(inputError(() => normalizeEmoji("🇮")).message).toContain("is not an emoji");
  });

  it("when given two emoji, then the error asks for one", () => {
    expect(inputError(() => normalizeEmoji("👍👍")).message).toContain("`👍👍` is 2 emoji — send one emoji");
    expect(inputError(() => normalizeEmoji("🇮🇩🇮🇩")).message).toContain("send one emoji");
    expect(inputError(() => normalizeEmoji(":+1::heart:")).message).toContain("send one emoji");
    expect(inputError(() => normalizeEmoji(":+1::heart::smile:")).message).toContain("send one emoji");
  });

  it("when the skin tone does not exist, then the error lists the ones that do", () => {
    expect(inputError(() => normalizeEmoji(":+1::skin-tone-9:")).message).toContain(
      "`:skin-tone-9:` is not a skin tone: use :skin-tone-2: to :skin-tone-6:",
    );
  });

  it("when a skin tone is put on an emoji that has none, then the error says so", () => {
    expect(inputError(() => normalizeEmoji(":heart::skin-tone-3:")).message).toContain(
      "`:heart:` has no skin tones",
    );
  });

  it("when a long text is pasted, then it is refused without scanning all of it", () => {
    // Node 20's grapheme segmenter is quadratic: a full scan of this would take about a minute.
    expect(inputError(() => normalizeEmoji("👍".repeat(100_000))).message).toBe(
      `\`${"👍".repeat(60)}…\` is many emoji — send one emoji.`,
    );
    expect(inputError(() => normalizeEmoji("lol ".repeat(50_000))).message).toContain("is not an emoji");
  });

  it("when the input is empty, then the error asks for an emoji", () => {
    expect(inputError(() => normalizeEmoji("")).message).toContain("Give an emoji");
    expect(inputError(() => normalizeEmoji("   ")).message).toContain("Give an emoji");
  });

  it("when given every emoji of Slack's table in every form, then each gives its fully-qualified form", () => {
    for (const entry of TABLE) {
      const forms = [entry, ...Object.values(entry.skin_variations ?? {})];
      for (const form of forms) {
        const qualified = fromUnified(form.unified);
        expect(normalizeEmoji(qualified), form.unified).toBe(qualified);
        if (form.non_qualified) expect(normalizeEmoji(fromUnified(form.non_qualified))).toBe(qualified);
      }
      for (const name of entry.short_names)
        expect(normalizeEmoji(`:${name}:`)).toBe(fromUnified(entry.unified));
    }
  });

  describe("properties", () => {
    it("when given any text, then it returns an emoji or refuses with a UserInputError", () => {
      fc.assert(fc.property(anyText, (text) => returnsOrRefuses(() => normalizeEmoji(text))));
    });

    it("when given any :shortcode: or :shortcode::modifier:, then it returns an emoji or a UserInputError", () => {
      const name = fc.oneof(
        fc.constantFrom("+1", "heart", "skin-tone-3", "skin-tone-0", "wave"),
        fc.string(),
      );
      fc.assert(
        fc.property(name, fc.option(name), (a, b) =>
          returnsOrRefuses(() => normalizeEmoji(b === null ? `:${a}:` : `:${a}::${b}:`)),
        ),
      );
    });

    it("when an accepted emoji is normalised again, then it does not change", () => {
      fc.assert(
        fc.property(anyText, (text) => {
          let emoji: string;
          try {
            emoji = normalizeEmoji(text);
          } catch {
            return;
          }
          expect(normalizeEmoji(emoji)).toBe(emoji);
        }),
      );
    });
  });
});

describe("shortcodeFor", () => {
  it("when given an emoji Slack knows, then it returns its shortcode", () => {
    expect(shortcodeFor("👍")).toBe(":+1:");
    expect(shortcodeFor("❤️")).toBe(":heart:");
    expect(shortcodeFor("❤")).toBe(":heart:");
    expect(shortcodeFor("🇮🇩")).toBe(":flag-id:");
  });

  it("when the emoji has a skin tone, then the shortcode carries it", () => {
    expect(shortcodeFor("👍🏼")).toBe(":+1::skin-tone-3:");
  });

  it("when the emoji has two different skin tones, then there is no shortcode for it", () => {
    expect(shortcodeFor("🧑🏻‍🤝‍🧑🏿")).toBeUndefined();
  });

  it("when given text or an unknown emoji, then it returns undefined", () => {
    expect(shortcodeFor("abc")).toBeUndefined();
    expect(shortcodeFor("🫨‍🔥")).toBeUndefined();
  });

  it("when given any Slack emoji, then its shortcode normalises back to it", () => {
    for (const entry of TABLE) {
      for (const form of [entry, ...Object.values(entry.skin_variations ?? {})]) {
        const emoji = fromUnified(form.unified);
        const shortcode = shortcodeFor(emoji);
        if (shortcode !== undefined) expect(normalizeEmoji(shortcode), shortcode).toBe(emoji);
      }
    }
  });
});

describe("QUICK_REACTIONS", () => {
  it("when listed, then they are WhatsApp's six defaults, each a valid normalised emoji", () => {
    expect(QUICK_REACTIONS).toEqual(["👍", "❤️", "😂", "😮", "😢", "🙏"]);
    for (const emoji of QUICK_REACTIONS) expect(normalizeEmoji(emoji)).toBe(emoji);
  });
});
