// WhatsApp's own text formatting (*bold*, _italic_, ~strike~, `code`, ```monospace```) as DOM nodes.
// The text is raw, as a WhatsApp user typed it: it only ever goes into text nodes.
import { h } from "./dom.js";

const MARKS = {
  "*": { tag: "strong", pattern: /\*(?!\s)([^*\n]*?[^*\s])\*(?![\p{L}\p{N}])/uy },
  _: { tag: "em", pattern: /_(?!\s)([^_\n]*?[^_\s])_(?![\p{L}\p{N}])/uy },
  "~": { tag: "s", pattern: /~(?!\s)([^~\n]*?[^~\s])~(?![\p{L}\p{N}])/uy },
  "`": { tag: "code", pattern: /`([^`\n]+)`/y },
};
const MONOSPACE = /```([\s\S]+?)```/g;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Line breaks stay "\n": the bubble's CSS (white-space: pre-wrap) shows them. */
export function whatsAppText(text) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(MONOSPACE)) {
    fragment.append(inline(text.slice(last, match.index)), h("code", { class: "wa-mono" }, match[1]));
    last = match.index + match[0].length;
  }
  fragment.append(inline(text.slice(last)));
  return fragment;
}

function inline(text) {
  const fragment = document.createDocumentFragment();
  let buffer = "";
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    const mark = MARKS[char];
    let match;
    if (mark && (index === 0 || !WORD_CHAR.test(text[index - 1]))) {
      mark.pattern.lastIndex = index;
      match = mark.pattern.exec(text);
    }
    if (match) {
      fragment.append(buffer, h(mark.tag, {}, mark.tag === "code" ? match[1] : inline(match[1])));
      buffer = "";
      index += match[0].length;
    } else {
      buffer += char;
      index++;
    }
  }
  fragment.append(buffer);
  return fragment;
}
