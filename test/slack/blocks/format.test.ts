import { describe, expect, it } from "vitest";
import { code, describeChat, mention, shorten, slackDate } from "../../../src/slack/blocks/format.js";

describe("shorten", () => {
  it("when text fits, then it is unchanged", () => {
    expect(shorten("Pizza", 75)).toBe("Pizza");
  });

  it("when text is too long, then it ends with … and is at most the limit", () => {
    const out = shorten("a".repeat(100), 75);
    expect(out).toHaveLength(75);
    expect(out.endsWith("…")).toBe(true);
  });

  it("when the cut falls inside an emoji, then the whole emoji is dropped rather than split", () => {
    const family = "👩‍👩‍👧‍👦";
    const out = shorten(`${"a".repeat(70)}${family}${family}`, 75);
    expect(out).toBe(`${"a".repeat(70)}…`);
    expect(out.length).toBeLessThanOrEqual(75);
  });
});

describe("describeChat", () => {
  it.each([
    ["120363012345678901@g.us", "the WhatsApp group"],
    ["6281234567890@s.whatsapp.net", "the direct chat with"],
    ["12345@lid", "the direct chat with"],
    ["1203@newsletter", "the WhatsApp channel"],
    ["status@broadcast", "WhatsApp status updates"],
    ["odd", "the chat"],
  ])("when the jid is %s, then it reads '%s'", (jid, words) => {
    expect(describeChat(jid)).toContain(words);
  });

  it("when the chat's name is known, then it is shown quoted beside the id, escaped so it can ping nobody", () => {
    expect(describeChat("120363012345678901@g.us", "Lunch crew")).toBe(
      "the WhatsApp group “Lunch crew” (`120363012345678901@g.us`)",
    );
    expect(describeChat("6281234567890@s.whatsapp.net", "<!channel> &\nco")).toBe(
      "the direct chat with “&lt;!channel&gt; &amp; co” (`6281234567890@s.whatsapp.net`)",
    );
    expect(describeChat("120363012345678901@g.us", "120363012345678901@g.us")).toBe(
      "the WhatsApp group `120363012345678901@g.us`",
    );
    expect(describeChat("120363012345678901@g.us", "  ")).toBe(
      "the WhatsApp group `120363012345678901@g.us`",
    );
  });
});

describe("small formatters", () => {
  it("when an id holds a backtick or markup, then the code span stays closed and escaped", () => {
    expect(code("a`b<c>")).toBe("`a'b&lt;c&gt;`");
  });

  it("when a user id is not a Slack id, then it is shown as text, not as a mention", () => {
    expect(mention("U0123ABCD")).toBe("<@U0123ABCD>");
    expect(mention("<!channel>")).toBe("&lt;!channel&gt;");
  });

  it("when a date is invalid, then no broken date token is produced", () => {
    expect(slackDate(new Date(Number.NaN))).not.toContain("<!date");
  });
});
