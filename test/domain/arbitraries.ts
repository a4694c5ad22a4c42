// fast-check generators shared by the domain property tests.
import fc from "fast-check";

/** Words and characters that exercise the parsers' special cases when mixed at random. */
const VOCABULARY = [
  "react",
  "unreact",
  "vote",
  "status",
  "config",
  "help",
  "link",
  "unlink",
  "links",
  "--chat",
  "--mid",
  "--sender",
  "--session",
  "--clear",
  "--reactions",
  "--",
  "--chat=",
  "—chat",
  "–mid",
  "—reactions",
  "--Session=",
  "-5",
  "-abc",
  "x@g.us",
  "6281234567890@s.whatsapp.net",
  "136150496886855@lid",
  "status@broadcast",
  "120363123456789012@newsletter",
  "3EB0C431C26A1916E07A",
  "👍",
  "👍🏽",
  "❤",
  "🇮🇩",
  ":+1:",
  ":+1::skin-tone-3:",
  ":+1::skin-tone-9:",
  ":partyparrot:",
  '"',
  "“",
  "”",
  "„",
  "<",
  ">",
  "|",
  "&amp;",
  "&lt;",
  "&gt;",
  "&",
  "https://acme.slack.com/archives/C0123456789/p1712345678123456",
  "<https://acme.slack.com/archives/C0123456789/p1712345678123456|label with spaces>",
  "https://acme.slack.com/archives/C0123456789/p1712345678123456?thread_ts=1712345678.000100&amp;cid=C0123456789",
  "https://acme.slack.com/archives/c1/p1",
  "https://acme.slack.com/",
  "slack.com",
  "Pizza",
  "Fish and chips",
];

const SEPARATORS = [" ", "  ", "\u00a0", "\n", "\t", ""];

/** Text that looks like what users type into `/wa`, glued from the vocabulary and random bits. */
export const commandLikeText: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...VOCABULARY) },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      ),
      fc.constantFrom(...SEPARATORS),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.map(([word, separator]) => word + separator).join(""));

/** Any string at all: ASCII, BMP, full Unicode (lone surrogates included) and command-like text. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  // Raw UTF-16 units, so lone surrogates (which Slack could relay from a broken client) occur too.
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) }),
  commandLikeText,
);
