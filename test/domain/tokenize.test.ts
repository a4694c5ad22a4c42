import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize } from "../../src/domain/tokenize.js";
import { anyText } from "./arbitraries.js";
import { inputError, returnsOrRefuses } from "./input-error.js";

const LINK = "https://acme.slack.com/archives/C0123456789/p1712345678123456";

describe("tokenize", () => {
  it("when the text is empty or only whitespace, then there are no tokens", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" \n\t\u00a0 ")).toEqual([]);
  });

  it("when words are separated by spaces, tabs, newlines or non-breaking spaces, then each is a token", () => {
    expect(tokenize("vote\u00a0link  Pizza\nSushi\tRamen\u202fTacos")).toEqual([
      "vote",
      "link",
      "Pizza",
      "Sushi",
      "Ramen",
      "Tacos",
    ]);
  });

  it('when words are in straight "double quotes", then they are one token without the quotes', () => {
    expect(tokenize('vote link "Fish and chips" Pizza')).toEqual(["vote", "link", "Fish and chips", "Pizza"]);
  });

  it("when macOS or iOS smart quotes “…” group words, then they are one token", () => {
    expect(tokenize("vote link “Fish and chips” “Nasi goreng”")).toEqual([
      "vote",
      "link",
      "Fish and chips",
      "Nasi goreng",
    ]);
  });

  it("when German-style „…“ quotes group words, then they are one token", () => {
    expect(tokenize("vote link „Bier vom Fass“")).toEqual(["vote", "link", "Bier vom Fass"]);
  });

  it("when autocorrect opens with a closing quote ”…”, then the words are still one token", () => {
    expect(tokenize("vote link ”Fish and chips” ”Pizza“")).toEqual([
      "vote",
      "link",
      "Fish and chips",
      "Pizza",
    ]);
  });

  it("when a quoted option contains an apostrophe or the other kind of quote, then it is kept as text", () => {
    expect(tokenize(`vote link "Dad's “special” curry" “12" pizza”`)).toEqual([
      "vote",
      "link",
      "Dad's “special” curry",
      '12" pizza',
    ]);
  });

  it('when a quoted string is empty (""), then it is an empty token', () => {
    expect(tokenize('vote link "" “”')).toEqual(["vote", "link", "", ""]);
  });

  it('when a quoted part touches a word, then they form one token (--chat="…")', () => {
    expect(tokenize('--sender="" --chat="a b"c')).toEqual(["--sender=", "--chat=a bc"]);
  });

  it("when a straight quote is never closed, then the error names that quote and where it starts", () => {
    const error = inputError(() => tokenize('vote link "Fish and chips'));
    expect(error.message).toContain('The quote "');
    expect(error.message).toContain('`"Fish and chips`');
    expect(error.message).toContain("never closed");
  });

  it("when a smart quote is never closed, then the error says which closing quote is needed", () => {
    const error = inputError(() => tokenize("vote link “Fish and chips"));
    expect(error.message).toContain("The quote “");
    expect(error.message).toContain("end the quoted words with ”");
  });

  it("when a smart quote is closed with a straight quote, then it counts as unclosed", () => {
    expect(inputError(() => tokenize('vote “Pizza" x')).message).toContain("The quote “");
  });

  it("when the unclosed quote starts a long text, then the error quotes only its beginning", () => {
    const error = inputError(() => tokenize(`"${"🍕".repeat(50)}`));
    expect(error.message).toContain(`\`"${"🍕".repeat(23)}…\``);
  });

  it("when Slack escaped &, < and > as &amp; &lt; &gt;, then the tokens have the characters back", () => {
    expect(tokenize("vote link Fish&amp;Chips “a &lt; b &gt; c” &amp;lt;")).toEqual([
      "vote",
      "link",
      "Fish&Chips",
      "a < b > c",
      "&lt;",
    ]);
  });

  it("when an ampersand is not one of Slack's escapes, then it stays as typed", () => {
    expect(tokenize("R&B &nbsp; &")).toEqual(["R&B", "&nbsp;", "&"]);
  });

  it("when Slack sends a link escape whose label has spaces, then the whole escape is one token", () => {
    const escaped = `<${LINK}?thread_ts=1712345678.000100&amp;cid=C0123456789|Pizza or sushi? see thread>`;
    expect(tokenize(`vote ${escaped} Pizza`)).toEqual(["vote", escaped, "Pizza"]);
  });

  it("when Slack sends a mention or channel escape, then it is one token", () => {
    expect(tokenize("vote <@U012AB3CD|alice smith> <#C0123456789|general>")).toEqual([
      "vote",
      "<@U012AB3CD|alice smith>",
      "<#C0123456789|general>",
    ]);
  });

  it("when a < is never closed by >, then it is an ordinary character", () => {
    expect(tokenize("a<b c")).toEqual(["a<b", "c"]);
  });

  it("when emoji with skin tones and ZWJ sequences are typed, then they are not split", () => {
    expect(tokenize("react link 👩🏽‍💻 🏳️‍🌈")).toEqual(["react", "link", "👩🏽‍💻", "🏳️‍🌈"]);
  });

  describe("properties", () => {
    it("when given any text, then it returns tokens or refuses with a UserInputError", () => {
      fc.assert(fc.property(anyText, (text) => returnsOrRefuses(() => tokenize(text))));
    });

    it("when tokens are escaped like Slack and quoted, then they tokenize back to the same list", () => {
      const token = fc.string({ unit: "grapheme" }).filter((t) => !t.includes('"'));
      const separator = fc.constantFrom(" ", "\n", "\u00a0", "  \t");
      fc.assert(
        fc.property(fc.array(fc.tuple(token, separator)), (pairs) => {
          const slackEscape = (t: string) =>
            t.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
          const text = pairs.map(([t, sep]) => `"${slackEscape(t)}"${sep}`).join("");
          expect(tokenize(text)).toEqual(pairs.map(([t]) => t));
        }),
      );
    });

    it("when plain words are joined by any whitespace, then they tokenize back to the words", () => {
      const word = fc.stringMatching(/^[\w@.:+=-]+$/);
      const whitespace = fc.stringMatching(/^[ \t\n\u00a0\u3000]+$/);
      fc.assert(
        fc.property(fc.array(fc.tuple(word, whitespace)), whitespace, (pairs, lead) => {
          const text = lead + pairs.map(([w, ws]) => w + ws).join("");
          expect(tokenize(text)).toEqual(pairs.map(([w]) => w));
        }),
      );
    });
  });
});
