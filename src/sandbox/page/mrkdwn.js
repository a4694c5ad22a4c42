// Slack mrkdwn as Slack shows it, built as DOM nodes. The text is the app's, with WhatsApp users' words
// inside it escaped the Slack way (&lt; &gt; &amp;): those entities are decoded only into text nodes,
// after the control sequences (<…>) were found, so no user text can become a link, a mention or markup.
import { h } from "./dom.js";
import { channelName, emojiFor, isMe, replaceShortcodes, userName } from "./names.js";

const ENTITIES = { amp: "&", lt: "<", gt: ">" };

export function decodeEntities(text) {
  return text.replace(/&(amp|lt|gt);/g, (_, name) => ENTITIES[name]);
}

/** A Block Kit text object (`{ type: "mrkdwn" | "plain_text", text, emoji }`) as nodes. */
export function textObject(object) {
  if (!object || typeof object.text !== "string") return document.createDocumentFragment();
  if (object.type === "mrkdwn") return mrkdwn(object.text);
  return document.createTextNode(plainText(object));
}

/** plain_text as written; `:name:` shortcodes become emoji only when it says `emoji: true`. */
export function plainText(object) {
  if (!object || typeof object.text !== "string") return "";
  return object.emoji === true ? replaceShortcodes(object.text) : object.text;
}

/** Slack mrkdwn as a fragment: ```pre``` blocks, > quotes, line breaks and the inline styles. */
export function mrkdwn(text) {
  const fragment = document.createDocumentFragment();
  const fence = /```([\s\S]*?)```/g;
  let last = 0;
  for (const match of text.matchAll(fence)) {
    fragment.append(lines(text.slice(last, match.index).replace(/\n$/, "")));
    const body = match[1].replace(/^\n/, "").replace(/\n$/, "");
    fragment.append(h("pre", { class: "mk-pre" }, inline(body, { styles: false })));
    last = match.index + match[0].length;
    if (text[last] === "\n") last++;
  }
  fragment.append(lines(text.slice(last)));
  return fragment;
}

const QUOTE = /^(?:&gt;|>) ?/;
const QUOTE_REST = /^(?:&gt;|>){3} ?/;

/** Lines joined by <br>; consecutive quote lines grouped in one blockquote; `>>>` quotes the rest. */
function lines(text) {
  const fragment = document.createDocumentFragment();
  if (text === "") return fragment;
  const all = text.split("\n");
  let plain = [];
  let quote = [];
  const flushPlain = () => {
    plain.forEach((line, index) => {
      if (index > 0) fragment.append(h("br"));
      fragment.append(inline(line));
    });
    plain = [];
  };
  const flushQuote = () => {
    if (quote.length === 0) return;
    const block = h("blockquote", { class: "mk-quote" });
    quote.forEach((line, index) => {
      if (index > 0) block.append(h("br"));
      block.append(inline(line));
    });
    fragment.append(block);
    quote = [];
  };
  for (let index = 0; index < all.length; index++) {
    const line = all[index];
    if (QUOTE_REST.test(line)) {
      flushPlain();
      quote.push(line.replace(QUOTE_REST, ""), ...all.slice(index + 1));
      break;
    }
    if (QUOTE.test(line)) {
      flushPlain();
      quote.push(line.replace(QUOTE, ""));
    } else {
      flushQuote();
      plain.push(line);
    }
  }
  flushPlain();
  flushQuote();
  return fragment;
}

const CONTROL = /<([^<>\n]+)>/y;
const CODE = /`([^`\n]+)`/y;
const EMOJI = /:([a-z0-9_+-]+):(?::(skin-tone-[2-6]):)?/y;
/** Opening mark, a first and last character that are not spaces, and no letter right after the end. */
const STYLES = {
  "*": { tag: "strong", pattern: /\*(?!\s)([^*\n]*?[^*\s])\*(?![\p{L}\p{N}])/uy },
  _: { tag: "em", pattern: /_(?!\s)([^_\n]*?[^_\s])_(?![\p{L}\p{N}])/uy },
  "~": { tag: "s", pattern: /~(?!\s)([^~\n]*?[^~\s])~(?![\p{L}\p{N}])/uy },
};
const WORD_CHAR = /[\p{L}\p{N}]/u;

function at(pattern, text, index) {
  pattern.lastIndex = index;
  return pattern.exec(text);
}

/** One line's inline markup. In pre blocks (`styles: false`) only links and mentions are read. */
function inline(text, { styles = true } = {}) {
  const fragment = document.createDocumentFragment();
  let buffer = "";
  const flush = () => {
    if (buffer !== "") fragment.append(decodeEntities(buffer));
    buffer = "";
  };
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    const match = markAt(text, index, char, styles);
    if (match) {
      flush();
      fragment.append(match.node);
      index += match.length;
    } else {
      buffer += char;
      index++;
    }
  }
  flush();
  return fragment;
}

function markAt(text, index, char, styles) {
  if (char === "<") {
    const match = at(CONTROL, text, index);
    return match && { node: control(match[1]), length: match[0].length };
  }
  if (!styles) return undefined;
  if (char === "`") {
    const match = at(CODE, text, index);
    return (
      match && { node: h("code", { class: "mk-code" }, decodeEntities(match[1])), length: match[0].length }
    );
  }
  const style = STYLES[char];
  if (style && (index === 0 || !WORD_CHAR.test(text[index - 1]))) {
    const match = at(style.pattern, text, index);
    return match && { node: h(style.tag, {}, inline(match[1])), length: match[0].length };
  }
  if (char === ":") {
    const match = at(EMOJI, text, index);
    const found = match && emojiFor(match[2] ? `${match[1]}::${match[2]}` : match[1]);
    return found && { node: h("span", { class: "emoji", title: match[0] }, found), length: match[0].length };
  }
  return undefined;
}

/** Only web links are made links; anything else shows as its text. */
export function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** `<@U1>`, `<#C1|name>`, `<!here>`, `<!date^…>`, `<https://x|label>`. */
function control(inner) {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : decodeEntities(inner.slice(bar + 1));
  if (target.startsWith("@")) {
    const id = target.slice(1);
    const name = label?.replace(/^@/, "") ?? userName(id) ?? id;
    return h("span", { class: isMe(id) ? "mk-mention mk-mention-me" : "mk-mention" }, `@${name}`);
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    return h("span", { class: "mk-mention" }, `#${label ?? channelName(id) ?? id}`);
  }
  if (target.startsWith("!")) return special(target.slice(1), label);
  const url = safeUrl(decodeEntities(target));
  if (url === undefined) return document.createTextNode(label ?? decodeEntities(target));
  return h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, label ?? decodeEntities(target));
}

function special(command, label) {
  if (["here", "channel", "everyone"].includes(command)) {
    return h("span", { class: "mk-broadcast" }, `@${command}`);
  }
  if (command.startsWith("date^")) return h("time", {}, slackDate(command, label));
  if (command.startsWith("subteam^")) return h("span", { class: "mk-mention" }, label ?? "@group");
  return document.createTextNode(label ?? `<${command}>`);
}

/** `date^<seconds>^<format with {tokens}>[^link]`, written in the reader's own time zone. */
function slackDate(command, fallback) {
  const [, seconds, format] = command.split("^");
  const date = new Date(Number(seconds) * 1000);
  if (!Number.isFinite(date.getTime()) || format === undefined) return fallback ?? "";
  return format.replace(/\{(\w+)\}/g, (whole, token) => dateToken(token, date) ?? whole);
}

function dateToken(token, date) {
  const short = { month: "short", day: "numeric", year: "numeric" };
  const long = { weekday: "long", month: "long", day: "numeric", year: "numeric" };
  const medium = { month: "long", day: "numeric", year: "numeric" };
  const formats = {
    date_num: () => date.toISOString().slice(0, 10),
    date_slash: () =>
      date.toLocaleDateString(undefined, { day: "2-digit", month: "2-digit", year: "numeric" }),
    date: () => date.toLocaleDateString(undefined, medium),
    date_short: () => date.toLocaleDateString(undefined, short),
    date_long: () => date.toLocaleDateString(undefined, long),
    date_pretty: () => relativeDay(date) ?? date.toLocaleDateString(undefined, medium),
    date_short_pretty: () => relativeDay(date) ?? date.toLocaleDateString(undefined, short),
    date_long_pretty: () => relativeDay(date) ?? date.toLocaleDateString(undefined, long),
    time: () => date.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }),
    time_secs: () => date.toLocaleTimeString(),
  };
  return formats[token]?.();
}

function relativeDay(date) {
  const day = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const difference = Math.round((day(date) - day(new Date())) / 86_400_000);
  return { "-1": "yesterday", 0: "today", 1: "tomorrow" }[difference];
}
