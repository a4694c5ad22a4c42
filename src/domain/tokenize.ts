// Splits slash-command text into words the way a Slack user expects: quotes group words, smart
// quotes from macOS/iOS count as quotes, and Slack's escapes are undone.
import { UserInputError } from "../errors.js";

/**
 * Which characters close a quote opened by a given character. Straight quotes pair only with
 * themselves; typographic ones pair loosely because autocorrect produces odd pairs (“…”, „…“,
 * ”…” when iOS picks the closing form after a character it reads as a word).
 */
const CLOSERS: ReadonlyMap<string, readonly string[]> = new Map([
  ['"', ['"']],
  ["“", ["”", "“"]],
  ["”", ["”", "“"]],
  ["„", ["“", "”"]],
]);

// Slack escapes only these three in command text (https://api.slack.com/reference/surfaces/formatting).
const ENTITIES: ReadonlyMap<string, string> = new Map([
  ["&amp;", "&"],
  ["&lt;", "<"],
  ["&gt;", ">"],
]);

const WHITESPACE = /\s/u;

/** Returns the entity at `index` and what it stands for, if `text` has one there. */
function entityAt(text: string, index: number): [entity: string, value: string] | undefined {
  for (const [entity, value] of ENTITIES) {
    if (text.startsWith(entity, index)) return [entity, value];
  }
  return undefined;
}

/**
 * Splits `text` into tokens. Quoted parts keep their whitespace and may join the word they touch
 * (`--chat="a b"` is one token `--chat=a b`); `""` is an empty token. A `<…>` escape that Slack
 * produced (a link, possibly with a label containing spaces) is kept verbatim as part of one token,
 * because a literal `<` typed by the user would have reached us as `&lt;`.
 *
 * @throws UserInputError when a quote is not closed.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  // A token can be empty (`""`), so "have we started one" is tracked apart from its text.
  let started = false;
  let i = 0;

  const finish = () => {
    if (started) tokens.push(current);
    current = "";
    started = false;
  };

  while (i < text.length) {
    // Code points, not UTF-16 units, so emoji are never split; all syntax characters are in the BMP.
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);

    if (WHITESPACE.test(ch)) {
      finish();
      i += ch.length;
      continue;
    }

    const closers = CLOSERS.get(ch);
    if (closers) {
      started = true;
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const inner = text.charAt(j);
        if (closers.includes(inner)) {
          closed = true;
          j += 1;
          break;
        }
        const entity = entityAt(text, j);
        if (entity) {
          current += entity[1];
          j += entity[0].length;
        } else {
          current += inner;
          j += 1;
        }
      }
      if (!closed) {
        // Cut by code points so the snippet never ends in half an emoji.
        const rest = Array.from(text.slice(i, i + 64));
        const snippet = rest.length > 24 ? `${rest.slice(0, 24).join("")}…` : rest.join("");
        throw new UserInputError(
          `The quote ${ch} in \`${snippet}\` is never closed: end the quoted words with ${closers[0]}.`,
        );
      }
      i = j;
      continue;
    }

    if (ch === "<") {
      const end = text.indexOf(">", i + 1);
      if (end !== -1) {
        started = true;
        current += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      // No closing `>`: not one of Slack's escapes, so it is just a character.
    }

    if (ch === "&") {
      const entity = entityAt(text, i);
      if (entity) {
        started = true;
        current += entity[1];
        i += entity[0].length;
        continue;
      }
    }

    started = true;
    current += ch;
    i += ch.length;
  }
  finish();
  return tokens;
}
