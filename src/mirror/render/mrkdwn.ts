// WhatsApp text into Slack mrkdwn. WhatsApp's *bold*, _italic_, ~strike~, `code` and ```blocks``` are
// already Slack's; what changes is safety: Slack's control characters are escaped, so WhatsApp text can
// never mention anyone, ping a channel or forge a link, and mentions become the person's name.
import { escapeText } from "../../slack/blocks/format.js";

/**
 * A word joiner after the "@" keeps "@here" and friends plain text even if a poster ever sets
 * `link_names`; escaping already keeps out `<!here>`, the only form Slack pings for otherwise.
 */
function defuseBroadcasts(text: string): string {
  return text.replace(/@(channel|here|everyone)\b/gi, "@\u2060$1");
}

/** Half an emoji (JSON allows a lone surrogate) is not text Slack can take: it becomes U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** Any WhatsApp text (a name, an option, a caption) made safe to place in mrkdwn as it reads. */
export function safeText(text: string): string {
  return wellFormed(defuseBroadcasts(escapeText(text)));
}

/** WhatsApp writes a mention as "@" and the JID's user part; `mentions` maps JIDs to names. */
export function replaceMentions(text: string, mentions: Readonly<Record<string, string>>): string {
  const names = new Map<string, string>();
  for (const [jid, name] of Object.entries(mentions)) {
    const user = jid.split("@")[0] ?? "";
    if (user !== "" && !names.has(user)) names.set(user, name);
  }
  if (names.size === 0) return text;
  return text.replace(/@(\d+)/g, (whole, user: string) => {
    const name = names.get(user);
    return name === undefined ? whole : `@${name}`;
  });
}

/** WhatsApp shows lines starting "* " or "- " as a bulleted list; Slack shows a "•" as one. */
function bullets(text: string): string {
  return text.replace(/^([ \t]*)[*-] (?=\S)/gm, "$1• ");
}

/** A WhatsApp message's text as Slack mrkdwn. */
export function whatsAppToMrkdwn(text: string, mentions: Readonly<Record<string, string>>): string {
  return safeText(bullets(replaceMentions(text, mentions)));
}
