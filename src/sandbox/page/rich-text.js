// Block Kit's rich_text block (what Slack clients send for typed messages). Its texts are raw, not
// mrkdwn: each goes into a text node as it is.
import { h } from "./dom.js";
import { safeUrl } from "./mrkdwn.js";
import { channelName, emojiFor, isMe, userName } from "./names.js";

export function richText(block) {
  return h("div", { class: "bk-rich-text" }, list(block.elements).map(richElement));
}

function list(value) {
  return Array.isArray(value) ? value : [];
}

function richElement(element) {
  switch (element?.type) {
    case "rich_text_section":
      return h("p", { class: "rt-section" }, list(element.elements).map(inline));
    case "rich_text_quote":
      return h("blockquote", { class: "mk-quote" }, list(element.elements).map(inline));
    case "rich_text_preformatted":
      return h("pre", { class: "mk-pre" }, list(element.elements).map(inline));
    case "rich_text_list":
      return h(
        element.style === "ordered" ? "ol" : "ul",
        { class: "rt-list" },
        list(element.elements).map((item) => h("li", {}, list(item?.elements).map(inline))),
      );
    default:
      return h("span", { class: "bk-unknown" }, `[${String(element?.type ?? "element")}]`);
  }
}

function inline(element) {
  const text = typeof element?.text === "string" ? element.text : "";
  switch (element?.type) {
    case "text":
      return styled(text, element.style);
    case "link": {
      const url = safeUrl(String(element.url ?? ""));
      const shown = styled(text || String(element.url ?? ""), element.style);
      return url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, shown) : shown;
    }
    case "emoji":
      return h("span", { class: "emoji" }, unicodeEmoji(element) ?? `:${String(element.name)}:`);
    case "user":
      return h(
        "span",
        { class: isMe(element.user_id) ? "mk-mention mk-mention-me" : "mk-mention" },
        `@${userName(element.user_id) ?? String(element.user_id)}`,
      );
    case "channel":
      return h(
        "span",
        { class: "mk-mention" },
        `#${channelName(element.channel_id) ?? String(element.channel_id)}`,
      );
    case "broadcast":
      return h("span", { class: "mk-broadcast" }, `@${String(element.range)}`);
    default:
      return text;
  }
}

function unicodeEmoji(element) {
  if (typeof element.unicode === "string" && /^[0-9a-f]+(-[0-9a-f]+)*$/i.test(element.unicode)) {
    return String.fromCodePoint(...element.unicode.split("-").map((hex) => Number.parseInt(hex, 16)));
  }
  return typeof element.name === "string" ? emojiFor(element.name) : undefined;
}

function styled(text, style) {
  let node = document.createTextNode(text);
  if (style?.code) node = h("code", { class: "mk-code" }, node);
  if (style?.bold) node = h("strong", {}, node);
  if (style?.italic) node = h("em", {}, node);
  if (style?.strike) node = h("s", {}, node);
  return node;
}
