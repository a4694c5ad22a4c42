// Reads a Slack message link ("Copy link" on a message) into channel id and message ts.
import { UserInputError } from "../errors.js";
import { excerpt } from "./excerpt.js";
import type { SlackMessageLink } from "./types.js";

export const PERMALINK_FORM = "https://<workspace>.slack.com/archives/<channel id>/p<16 digits>";

const EXPECTED = `Use “Copy link” on the message; a message link looks like ${PERMALINK_FORM}.`;

/** Anything on a Slack host counts as an attempt at a link, so its mistakes get explained. */
const SLACK_HOST_START = /^(?:https?:\/\/)?(?:[a-z0-9-]+\.)*slack(?:-gov)?\.com(?:[/?#:]|$)/i;

/** Workspace hosts, including Enterprise Grid (`org.enterprise.slack.com`) and GovSlack. */
const WORKSPACE_URL =
  /^(?:https?:\/\/)?[a-z0-9][a-z0-9-]*(?:\.enterprise)?\.slack(?:-gov)?\.com\/archives\/([^/?#]+)\/([^/?#]*)\/?(?:\?([^#]*))?(?:#.*)?$/i;

const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;
const PERMALINK_TS = /^p(\d{10})(\d{6})$/;
const TS = /^\d{10}\.\d{6}$/;

/** Slack wraps links as `<url>` or `<url|label>`; the label is for display only. */
function unwrap(token: string): string {
  if (token.startsWith("<") && token.endsWith(">")) {
    const inner = token.slice(1, -1);
    const bar = inner.indexOf("|");
    return bar === -1 ? inner : inner.slice(0, bar);
  }
  return token;
}

function invalid(problem: string): UserInputError {
  return new UserInputError(`${problem} ${EXPECTED}`);
}

function queryParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    // Values we read are ids and digits with a dot: nothing percent-encoded to undo.
    if (!params.has(key)) params.set(key, eq === -1 ? "" : pair.slice(eq + 1));
  }
  return params;
}

/**
 * Parses a Slack message permalink, raw or in Slack's `<url>` / `<url|label>` escape.
 * Returns undefined when the token is not a Slack link at all.
 *
 * @throws UserInputError when the token is a Slack link but not a usable message link.
 */
export function parsePermalink(token: string): SlackMessageLink | undefined {
  // Slack escapes `&` in command text, so a pasted thread link arrives with `&amp;`.
  const url = unwrap(token.trim()).replaceAll("&amp;", "&");
  if (!SLACK_HOST_START.test(url)) return undefined;

  const match = WORKSPACE_URL.exec(url);
  if (!match) {
    throw invalid(`\`${excerpt(url)}\` is a Slack link but not a link to a message.`);
  }
  const [, channelId = "", tsPart = "", query = ""] = match;
  if (!CHANNEL_ID.test(channelId)) {
    throw invalid(`\`${excerpt(channelId)}\` in that link is not a Slack channel id (C…, G… or D…).`);
  }
  const tsMatch = PERMALINK_TS.exec(tsPart);
  if (!tsMatch) {
    throw invalid(`\`${excerpt(tsPart)}\` in that link is not a message id (p followed by 16 digits).`);
  }
  const ts = `${tsMatch[1]}.${tsMatch[2]}`;

  const params = queryParams(query);
  const threadTs = params.get("thread_ts");
  if (threadTs !== undefined && !TS.test(threadTs)) {
    throw invalid(`\`thread_ts=${excerpt(threadTs)}\` in that link is not a Slack message timestamp.`);
  }
  const cid = params.get("cid");
  if (cid !== undefined && !CHANNEL_ID.test(cid)) {
    throw invalid(`\`cid=${excerpt(cid)}\` in that link is not a Slack channel id.`);
  }

  return threadTs === undefined ? { channelId, ts } : { channelId, ts, threadTs };
}
