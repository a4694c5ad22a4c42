import { describe, expect, it } from "vitest";
import { replaceMentions, safeText, whatsAppToMrkdwn } from "../../../src/mirror/render/mrkdwn.js";

const none = {};

describe("whatsAppToMrkdwn formatting", () => {
  it.each([
    ["*bold*", "*bold*"],
    ["_italic_", "_italic_"],
    ["~strike~", "~strike~"],
    ["```mono```", "```mono```"],
    ["```\nline 1\nline 2\n```", "```\nline 1\nline 2\n```"],
    ["`inline`", "`inline`"],
    ["*bold* and _italic_ and ~gone~", "*bold* and _italic_ and ~gone~"],
  ])("when WhatsApp writes %j, then Slack gets %j", (input, expected) => {
    expect(whatsAppToMrkdwn(input, none)).toBe(expected);
  });

  it("when lines start with WhatsApp's list marks, then Slack shows bullets", () => {
    expect(whatsAppToMrkdwn("Buy:\n* rice\n- eggs\n  - milk\n*not a list*", none)).toBe(
      "Buy:\n• rice\n• eggs\n  • milk\n*not a list*",
    );
  });

  it("when a line is quoted, then it stays a quote (Slack reads the escaped form)", () => {
    expect(whatsAppToMrkdwn("> said before", none)).toBe("&gt; said before");
  });
});

describe("whatsAppToMrkdwn mentions", () => {
  const mentions = { "205227043110954@lid": "Budi", "6281234567890@s.whatsapp.net": "Ana" };

  it("when the text mentions known people, then their names replace the numbers, as plain text", () => {
    expect(whatsAppToMrkdwn("@205227043110954 and @6281234567890, see you", mentions)).toBe(
      "@Budi and @Ana, see you",
    );
  });

  it("when a mention is not in the list, then the number stays", () => {
    expect(whatsAppToMrkdwn("@999 hi", mentions)).toBe("@999 hi");
  });

  it("when a number only starts like a mentioned one, then it is not replaced", () => {
    expect(replaceMentions("@2052270431109541", mentions)).toBe("@2052270431109541");
  });

  it("when a mentioned name is hostile, then it is escaped like any text", () => {
    expect(whatsAppToMrkdwn("@1 hi", { "1@lid": "<!channel>" })).toBe("@&lt;!channel&gt; hi");
  });
});

describe("whatsAppToMrkdwn safety", () => {
  it.each([
    ["<!channel>", "&lt;!channel&gt;"],
    ["<!here|here>", "&lt;!here|here&gt;"],
    ["<@U0123ABC>", "&lt;@U0123ABC&gt;"],
    ["<#C0123|general>", "&lt;#C0123|general&gt;"],
    ["<http://evil.example|bank.com>", "&lt;http://evil.example|bank.com&gt;"],
    ["<!subteam^S123>", "&lt;!subteam^S123&gt;"],
    ["fish & chips", "fish &amp; chips"],
    ["&lt;!channel&gt;", "&amp;lt;!channel&amp;gt;"],
  ])("when the text is %j, then it shows literally as %j", (input, expected) => {
    expect(whatsAppToMrkdwn(input, none)).toBe(expected);
  });

  it("when the text says @here, @channel or @everyone, then a word joiner keeps it from ever pinging", () => {
    const out = whatsAppToMrkdwn("@here @Channel @everyone @heresy", none);
    expect(out).toBe("@\u2060here @\u2060Channel @\u2060everyone @heresy");
  });

  it("when a name goes into mrkdwn, then it is escaped the same way", () => {
    expect(safeText("Tom & <Jerry> @here")).toBe("Tom &amp; &lt;Jerry&gt; @\u2060here");
  });
});
