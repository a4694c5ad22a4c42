import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePermalink } from "../../src/domain/permalink.js";
import { anyText } from "./arbitraries.js";
import { inputError, returnsOrRefuses } from "./input-error.js";

const LINK = "https://acme.slack.com/archives/C0123456789/p1712345678123456";

describe("parsePermalink", () => {
  it("when given a message link from “Copy link”, then it returns the channel and the dotted ts", () => {
    expect(parsePermalink(LINK)).toEqual({ channelId: "C0123456789", ts: "1712345678.123456" });
  });

  it("when the link is to a reply in a thread, then it also returns the thread's ts", () => {
    const link = `https://acme.slack.com/archives/C0123456789/p1712345999000200?thread_ts=1712345678.123456&cid=C0123456789`;
    expect(parsePermalink(link)).toEqual({
      channelId: "C0123456789",
      ts: "1712345999.000200",
      threadTs: "1712345678.123456",
    });
  });

  it("when Slack escaped the thread link's & as &amp;, then it still parses", () => {
    const link = `${LINK}?thread_ts=1712345678.000100&amp;cid=C0123456789`;
    expect(parsePermalink(link)?.threadTs).toBe("1712345678.000100");
  });

  it("when the link is in Slack's <url> escape, then it parses", () => {
    expect(parsePermalink(`<${LINK}>`)).toEqual({ channelId: "C0123456789", ts: "1712345678.123456" });
  });

  it("when the link is in Slack's <url|label> escape with spaces in the label, then the label is ignored", () => {
    const token = `<${LINK}?thread_ts=1712345678.000100&amp;cid=C0123456789|the lunch poll | see thread>`;
    expect(parsePermalink(token)).toEqual({
      channelId: "C0123456789",
      ts: "1712345678.123456",
      threadTs: "1712345678.000100",
    });
  });

  it("when the link is on an Enterprise Grid host, then it parses", () => {
    const link = "https://acme-corp.enterprise.slack.com/archives/G0ABCDEF12/p1712345678123456";
    expect(parsePermalink(link)).toEqual({ channelId: "G0ABCDEF12", ts: "1712345678.123456" });
  });

  it("when the link is to a direct message channel, then it parses", () => {
    expect(parsePermalink("https://acme.slack.com/archives/D012AB3CDEF/p1712345678123456")?.channelId).toBe(
      "D012AB3CDEF",
    );
  });

  it("when the link has a trailing slash or a fragment, then it still parses", () => {
    expect(parsePermalink(`${LINK}/`)?.ts).toBe("1712345678.123456");
    expect(parsePermalink(`${LINK}#top`)?.ts).toBe("1712345678.123456");
  });

  it("when the token is not a Slack link, then it returns undefined", () => {
    for (const token of [
      "Pizza",
      "",
      "6281234567890@s.whatsapp.net",
      "https://example.com/archives/C0123456789/p1712345678123456",
      "<https://www.google.com|google it>",
      "<@U012AB3CD|alice>",
      "https://notslack.com/archives/C0123456789/p1712345678123456",
    ]) {
      expect(parsePermalink(token), token).toBeUndefined();
    }
  });

  it("when a Slack link has no message part, then the error explains the expected form", () => {
    const error = inputError(() => parsePermalink("https://acme.slack.com/archives/C0123456789"));
    expect(error.message).toContain("is a Slack link but not a link to a message");
    expect(error.message).toContain("Copy link");
    expect(error.message).toContain("https://<workspace>.slack.com/archives/<channel id>/p<16 digits>");
  });

  it("when the message part is not p and 16 digits, then the error names it", () => {
    expect(inputError(() => parsePermalink(`${LINK.slice(0, -3)}`)).message).toContain(
      "`p1712345678123` in that link is not a message id",
    );
  });

  it("when the channel is not a C, G or D id, then the error names it", () => {
    for (const channel of ["general", "c0123456789", "U0123456789", "C01"]) {
      const error = inputError(() =>
        parsePermalink(`https://acme.slack.com/archives/${channel}/p1712345678123456`),
      );
      expect(error.message).toContain(`\`${channel}\` in that link is not a Slack channel id`);
    }
  });

  it("when thread_ts or cid is malformed, then the error names the parameter", () => {
    expect(inputError(() => parsePermalink(`${LINK}?thread_ts=yesterday`)).message).toContain(
      "`thread_ts=yesterday`",
    );
    expect(inputError(() => parsePermalink(`${LINK}?thread_ts=1712345678.000100&cid=x`)).message).toContain(
      "`cid=x`",
    );
  });

  it("when the link is a Slack web-client URL, then the error asks for a message link", () => {
    const error = inputError(() =>
      parsePermalink(
        "https://app.slack.com/client/T0123456789/C0123456789/thread/C0123456789-1712345678.123456",
      ),
    );
    expect(error.message).toContain("Copy link");
  });

  describe("properties", () => {
    it("when given any text, then it returns a link, undefined, or a UserInputError", () => {
      fc.assert(fc.property(anyText, (text) => returnsOrRefuses(() => parsePermalink(text))));
    });

    it("when any text follows a Slack host, then it returns a link or a UserInputError", () => {
      fc.assert(
        fc.property(anyText, (rest) =>
          returnsOrRefuses(() => parsePermalink(`https://acme.slack.com/${rest}`)),
        ),
      );
    });

    it("when a permalink is built from any channel and ts, in any of Slack's forms, then it parses back", () => {
      const channel = fc.stringMatching(/^[CGD][A-Z0-9]{8,12}$/);
      const ts = fc.tuple(fc.stringMatching(/^\d{10}$/), fc.stringMatching(/^\d{6}$/));
      const host = fc.oneof(
        fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}\.slack\.com$/),
        fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}\.enterprise\.slack\.com$/),
      );
      const form = fc.constantFrom("raw", "wrapped", "labelled");
      fc.assert(
        fc.property(
          host,
          channel,
          ts,
          fc.option(ts, { nil: undefined }),
          form,
          fc.string(),
          (h, c, [sec, micro], thread, f, label) => {
            const query = thread ? `?thread_ts=${thread[0]}.${thread[1]}&amp;cid=${c}` : "";
            const url = `https://${h}/archives/${c}/p${sec}${micro}${query}`;
            const token = f === "raw" ? url : f === "wrapped" ? `<${url}>` : `<${url}|${label}>`;
            const expected = thread
              ? { channelId: c, ts: `${sec}.${micro}`, threadTs: `${thread[0]}.${thread[1]}` }
              : { channelId: c, ts: `${sec}.${micro}` };
            expect(parsePermalink(token)).toEqual(expected);
          },
        ),
      );
    });
  });
});
