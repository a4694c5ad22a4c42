// Cuts long mrkdwn into pieces that each fit one section, at line or word ends where it can, never
// inside an entity (`&amp;`), an emoji or a code fence, and reopening a code block cut in two.

const FENCE = "```";
const ENTITY = /&(?:amp|lt|gt);/g;
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export interface Split {
  pieces: string[];
  /** Characters of the text (as WhatsApp counts them) that did not fit in `maxPieces`. */
  leftOut: number;
}

function countFences(text: string): number {
  return text.split(FENCE).length - 1;
}

/** Characters as a reader counts them: an entity is one, an emoji's code points each. */
export function readerLength(mrkdwn: string): number {
  let length = 0;
  for (const _ of mrkdwn.replace(ENTITY, "&")) length++;
  return length;
}

/** The last grapheme boundary at or before `cut`; the segmenter only sees a window, as it is slow on long text. */
function graphemeBoundary(text: string, cut: number): number {
  const start = Math.max(0, cut - 64);
  let boundary = start;
  for (const { index } of graphemes.segment(text.slice(start, cut + 64))) {
    if (start + index > cut) break;
    boundary = start + index;
  }
  return boundary;
}

/** Where to end a piece of at most `room` characters of `text` (which is longer than that). */
function cutPoint(text: string, room: number): number {
  const half = Math.floor(room / 2);
  const newline = text.lastIndexOf("\n", room);
  if (newline > half) return newline;
  const space = text.lastIndexOf(" ", room);
  if (space > half) return space;

  let cut = graphemeBoundary(text, room);
  const amp = text.lastIndexOf("&", cut - 1);
  if (amp >= 0 && cut - amp < 5 && !text.slice(amp, cut).includes(";")) cut = amp;
  while (cut > 0 && text[cut - 1] === "`" && text[cut] === "`") cut--;
  if (cut > 0) return cut;
  // One grapheme longer than the room (a pathological ZWJ chain): cut between code points then.
  const point = text.codePointAt(room - 1) ?? 0;
  return point > 0xffff ? room - 1 : room;
}

/**
 * Pieces of at most `max` characters, at most `maxPieces` of them, none blank (Slack refuses a blank
 * section). A piece that ends inside a code block is closed with a fence and the next one reopens
 * it, so both still read as code.
 */
export function splitMrkdwn(text: string, max: number, maxPieces: number): Split {
  const pieces: string[] = [];
  let rest = text;
  let reopen = false;
  while (rest !== "" && pieces.length < maxPieces) {
    const prefix: string = reopen ? FENCE : "";
    if (prefix.length + rest.length <= max) {
      if (rest.trim() !== "") pieces.push(prefix + rest);
      rest = "";
      break;
    }
    const cut = cutPoint(rest, max - prefix.length - FENCE.length);
    let piece: string = prefix + rest.slice(0, cut);
    // The line break or space the cut fell on is dropped, the indentation after it kept.
    rest = rest.slice(cut).replace(/^[\n ]/, "");
    reopen = countFences(piece) % 2 === 1;
    if (reopen) piece += FENCE;
    if (piece.trim() !== "") pieces.push(piece);
  }
  return { pieces, leftOut: readerLength(rest) };
}
