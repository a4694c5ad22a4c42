// Properties over any message the gateway's schema accepts: rendering never throws, always fits
// Slack's limits, and WhatsApp text can never become a mention, a ping or a link.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messagePayloadSchema } from "../../../src/mirror/events/message-payload.js";
import { contentFromMessage, mirrorContentSchema } from "../../../src/mirror/render/content.js";
import { renderMirroredMessage } from "../../../src/mirror/render/render-message.js";
import { blockKitViolations } from "../../slack/blocks/block-kit-limits.js";
import { pollContent, render, textsOf } from "./fixtures.js";

const DANGEROUS = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!subteam^S0123>",
  "@here",
  "@Channel",
  "@everyone",
  "<@U0123ABC>",
  "<#C0123|general>",
  "<http://evil.example|bank.com>",
  "<https://www.google.com/maps?q=1,2|Open in Google Maps>",
  "<!date^1^{time}|x>",
  "&lt;!channel&gt;",
  "&amp;",
  "&",
  "<",
  ">",
  "|",
  "*",
  "_",
  "~",
  "`",
  "```",
  "\n",
  " ",
  "- ",
  "@6281234567890",
  "@205227043110954",
  "😀",
  "👨‍👩‍👧",
  "🇮🇩",
  "\uD83D",
  ":+1:",
];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...DANGEROUS), { maxLength: 12 }).map((p) => p.join("")) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme" }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary" }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...DANGEROUS), fc.integer({ min: 1, max: 15_000 }))
      .map(([unit, times]) => unit.repeat(times)),
  },
);

const jid = fc.oneof(
  fc.constantFrom("6281234567890@s.whatsapp.net", "205227043110954@lid", "120363021234567890@g.us", ""),
  text,
);

const time = fc.oneof(
  fc.constant(1752572399000),
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
);
const coordinate = fc.oneof(
  fc.double({ min: -200, max: 200, noNaN: true }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const payload = fc.record(
  {
    waMessageId: text,
    chatJid: jid,
    senderJid: jid,
    senderLid: jid,
    fromMe: fc.boolean(),
    type: fc.constantFrom(
      "text",
      "image",
      "video",
      "audio",
      "document",
      "sticker",
      "location",
      "contact",
      "poll",
      "x",
    ),
    body: text,
    timestamp: time,
    pushName: text,
    quotedMessageId: text,
    quotedBody: text,
    mentions: fc.dictionary(jid, fc.record({ pushName: text, tag: text }, { requiredKeys: [] }), {
      maxKeys: 4,
    }),
    location: fc.record(
      { latitude: coordinate, longitude: coordinate, name: text, address: text },
      { requiredKeys: ["latitude", "longitude"] },
    ),
    contact: fc.record(
      {
        displayName: text,
        vcard: fc.oneof(
          text,
          text.map((t) => `BEGIN:VCARD\nFN:${t}\nTEL:${t}\nEND:VCARD`),
        ),
      },
      { requiredKeys: [] },
    ),
    poll: fc.record(
      {
        name: text,
        options: fc.array(text, { maxLength: 14 }),
        selectableCount: fc.nat(20),
        endTime: time,
        hideVotes: fc.boolean(),
      },
      { requiredKeys: ["name", "options", "selectableCount"] },
    ),
  },
  { requiredKeys: [] },
);

const input = fc.record({
  payload,
  flags: fc.record({ edited: fc.boolean(), revoked: fc.boolean(), arrivedLate: fc.boolean() }),
  sender: jid,
  waMessageId: text,
  reactions: fc.array(
    fc.record({ reactor: jid, name: text, emoji: fc.oneof(text, fc.constantFrom("👍", "❤", "👍🏽")) }),
    {
      maxLength: 30,
    },
  ),
  votes: fc.array(fc.record({ voter: jid, name: text, options: fc.array(text, { maxLength: 4 }) }), {
    maxLength: 30,
  }),
});

type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

function renderAny(value: Input) {
  const content = { ...contentFromMessage(messagePayloadSchema.parse(value.payload)), ...value.flags };
  return renderMirroredMessage({
    content,
    sessionId: "01J9ZX8K2QHV0M3T6R7P4N5W8C",
    chatJid: "120363021234567890@g.us",
    waMessageId: value.waMessageId,
    sender: value.sender,
    reactions: value.reactions,
    votes: value.votes,
  });
}

/** The only `<…>` the app writes itself: dates shown in the reader's time zone, and the map link. */
const OWN_MARKUP = [
  /<!date\^-?\d+\^\{date_short_pretty\} \{time\}\|[^<>]*>/g,
  /<https:\/\/www\.google\.com\/maps\?q=-?[\d.]+,-?[\d.]+\|Open in Google Maps>/g,
];

function withoutOwnMarkup(shown: string): string {
  return OWN_MARKUP.reduce((rest, pattern) => rest.replace(pattern, ""), shown);
}

const RUNS = { numRuns: 150 };

describe("rendering any message the schema accepts", () => {
  it("when anything is rendered, then it never throws and always fits Slack's limits", () => {
    fc.assert(
      fc.property(input, (value) => {
        const message = renderAny(value);
        expect(blockKitViolations(message)).toEqual([]);
        expect(message.text.length).toBeGreaterThan(0);
        expect(message.text.length).toBeLessThanOrEqual(40_000);
        expect(message.username.trim().length).toBeGreaterThan(0);
        expect(message.username.length).toBeLessThanOrEqual(80);
        const blockText = textsOf(message).slice(1).join("");
        expect(blockText.length).toBeLessThanOrEqual(40_000);
      }),
      RUNS,
    );
  });

  it("when WhatsApp text is hostile, then no text Slack reads holds a mention, a ping or a link it made", () => {
    fc.assert(
      fc.property(input, (value) => {
        for (const shown of textsOf(renderAny(value))) {
          const rest = withoutOwnMarkup(shown);
          expect(rest).not.toMatch(/[<>]/);
          expect(rest).not.toMatch(/@(here|channel|everyone)\b/i);
        }
      }),
      RUNS,
    );
  });

  it("when a message's content is stored as JSON and read back, then it is the same content", () => {
    fc.assert(
      fc.property(payload, (raw) => {
        const content = contentFromMessage(messagePayloadSchema.parse(raw));
        const stored = JSON.parse(JSON.stringify(content)) as unknown;
        expect(mirrorContentSchema.parse(stored)).toEqual(stored);
      }),
      RUNS,
    );
  });

  it("when votes come in any order, then each option counts each voter's latest selection once", () => {
    const options = ["o0", "o1", "o2", "o3"];
    const vote = fc.record({
      voter: fc.constantFrom("a@lid", "b@lid", "c@lid", ""),
      name: fc.constant(""),
      options: fc.subarray([...options, "f".repeat(64), "not an option"]),
    });
    fc.assert(
      fc.property(fc.array(vote, { maxLength: 20 }), (votes) => {
        const latest = new Map(votes.map((v) => [v.voter, v.options]));
        const cast = [...latest.values()].filter((chosen) => chosen.length > 0);
        const shownText = textsOf(render(pollContent(options, { selectableCount: 0 }), { votes })).join("\n");
        for (const option of options) {
          const expected = cast.filter((chosen) => chosen.includes(option)).length;
          const word = expected === 1 ? "vote" : "votes";
          expect(shownText).toContain(`• ${option} — *${expected} ${word}*`);
        }
        const unreadable = cast.filter((chosen) => chosen.some((o) => !options.includes(o))).length;
        expect(shownText.includes("couldn't read")).toBe(unreadable > 0);
        expect(shownText).not.toContain("f".repeat(64));
      }),
      RUNS,
    );
  });
});
