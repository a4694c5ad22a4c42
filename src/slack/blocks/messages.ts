// The app's Slack messages: confirmations, errors, help, status and "working…" notes.
import { HELP_LINES } from "../../domain/command.js";
import { shortcodeFor } from "../../domain/emoji.js";
import type { Action, MessageRef, Visibility } from "../../domain/types.js";
import type { SendResult } from "../../gateway/types.js";
import type { MirrorOverview } from "../../usecases/mirror-overview.js";
import type { GatewayCheck } from "../../usecases/workspace-status.js";
import type { KnownBlock } from "./block-kit.js";
import { describeError } from "./error-messages.js";
import {
  code,
  describeActor,
  describeChat,
  describeVisibility,
  escapeText,
  LIMITS,
  mention,
  shorten,
  slackDate,
} from "./format.js";
import { mirrorLines } from "./mirror-lines.js";

/** A Slack message body: `text` is the notification fallback, `blocks` what is shown. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** The workspace settings a message or the Home tab shows; never the key itself. */
export interface ShownConfig {
  maskedKey?: string | undefined;
  defaultSessionId?: string | undefined;
  visibility: Visibility;
  updatedBy: string;
  updatedAt: Date;
}

export const SHORTCUT_NAMES = {
  react: "React on WhatsApp",
  unreact: "Remove WhatsApp reaction",
  vote: "Vote in WhatsApp poll",
} as const;

export const SHORTCUTS_HELP =
  `On a Slack message that came from WhatsApp, open its ⋮ menu for *${SHORTCUT_NAMES.react}*, ` +
  `*${SHORTCUT_NAMES.unreact}* and *${SHORTCUT_NAMES.vote}*.`;

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: shorten(text, LIMITS.sectionText) } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: shorten(text, LIMITS.contextText) }] };
}

/** A poll option as written, quoted so its own spaces and punctuation read as part of it. */
export function quoteOption(option: string): string {
  return `“${escapeText(option)}”`;
}

/** The emoji with its Slack shortcode beside it, so it reads the same on clients that draw it differently. */
export function describeEmoji(emoji: string): string {
  const shortcode = shortcodeFor(emoji);
  return shortcode === undefined ? escapeText(emoji) : `${escapeText(emoji)} (${code(shortcode)})`;
}

export function confirmationMessage(input: {
  action: Action;
  target: MessageRef;
  result: SendResult;
  userId: string;
}): SlackMessage {
  const { action, target, result } = input;
  const who = mention(input.userId);
  const chat = describeChat(target.chat);
  let sentence: string;
  switch (action.op) {
    case "react":
      sentence = `${who} reacted ${describeEmoji(action.emoji)} to a WhatsApp message in ${chat}.`;
      break;
    case "unreact":
      sentence = `Reaction removed: ${who} took back their reaction to a WhatsApp message in ${chat}.`;
      break;
    case "vote":
      sentence =
        action.options.length === 0
          ? `Vote cleared: ${who} took back their vote in a WhatsApp poll in ${chat}.`
          : `${who} voted ${action.options.map(quoteOption).join(", ")} in a WhatsApp poll in ${chat}.`;
      break;
  }
  // The gateway may answer without a status word when it has only queued the request.
  const status = result.status ?? "accepted";
  const notes = [`Status: *${escapeText(status)}*`, `message ${code(target.messageId)}`];
  if (result.replayed) notes.push("the gateway had already done this request");
  return {
    text: shorten(`${sentence} (${escapeText(status)})`, LIMITS.sectionText),
    blocks: [section(`:white_check_mark: ${sentence}`), context(notes.join(" · "))],
  };
}

function formatUsage(usage: string): string {
  const safe = escapeText(usage.replace(/`/g, "'"));
  return usage.includes("\n") ? `\`\`\`${safe}\`\`\`` : `\`${safe}\``;
}

export function errorMessage(error: unknown): SlackMessage {
  const described = describeError(error);
  const summary = escapeText(described.summary);
  const body = described.usage === undefined ? summary : `${summary}\nUsage: ${formatUsage(described.usage)}`;
  const contextLine =
    described.detail === undefined
      ? code(described.code)
      : `${code(described.code)} · ${escapeText(described.detail)}`;
  return {
    text: shorten(summary, LIMITS.sectionText),
    blocks: [section(`:warning: ${body}`), context(contextLine)],
  };
}

export function helpMessage(): SlackMessage {
  const lines = HELP_LINES.map((line) => `• ${escapeText(line)}`).join("\n");
  return {
    text: "How to use /wa: react to WhatsApp messages and vote in WhatsApp polls from Slack.",
    blocks: [
      section("*React to WhatsApp messages and vote in WhatsApp polls from Slack*"),
      section(lines),
      section(SHORTCUTS_HELP),
    ],
  };
}

export function configLines(config: ShownConfig): string[] {
  return [
    `*API key:* ${config.maskedKey ? code(config.maskedKey) : "none: a workspace admin must run `/wa config`"}`,
    `*Default session:* ${config.defaultSessionId ? code(config.defaultSessionId) : "none (commands need `--session`)"}`,
    `*Confirmations:* ${describeVisibility(config.visibility)}`,
    `*Last changed:* by ${describeActor(config.updatedBy)}, ${slackDate(config.updatedAt)}`,
  ];
}

function describeGatewayCheck(gateway: GatewayCheck, config: ShownConfig | undefined): string {
  switch (gateway.kind) {
    case "ok":
      return gateway.canRead
        ? `:white_check_mark: The gateway answers and knows session ${code(gateway.sessionId)}${gateway.sessionStatus ? ` (${escapeText(gateway.sessionStatus)})` : ""}.`
        : ":white_check_mark: The gateway answers and accepts the key (it has no `read` permission, so the session's state is not shown).";
    case "failed": {
      const described = describeError(gateway.error);
      return `:x: ${escapeText(described.summary)} (${code(described.code)})`;
    }
    case "skipped":
      if (!config?.maskedKey) return "Gateway not checked: there is no API key to check it with.";
      if (!config.defaultSessionId) return "Gateway not checked: there is no default session to look up.";
      return "Gateway not checked.";
  }
}

export function statusMessage(input: {
  workspaceId: string;
  config?: ShownConfig | undefined;
  gateway: GatewayCheck;
  mirror?: MirrorOverview | undefined;
}): SlackMessage {
  const { config } = input;
  const head = `*WhatsApp for this workspace* (${code(input.workspaceId)})`;
  const configured = config?.maskedKey !== undefined && config.maskedKey !== "";
  const settings =
    config === undefined
      ? "Not connected to WhatsApp yet. A workspace admin must run `/wa config`."
      : [
          configured ? "Connected to WhatsApp." : "Not connected to WhatsApp yet.",
          ...configLines(config),
        ].join("\n");
  const check = describeGatewayCheck(input.gateway, config);
  return {
    text: `WhatsApp status: ${configured ? "connected" : "not connected"}.`,
    blocks: [
      section(head),
      section(settings),
      section(check),
      ...(input.mirror ? [section(mirrorLines(input.mirror).join("\n"))] : []),
    ],
  };
}

export function workingMessage(action: Action): SlackMessage {
  let text: string;
  switch (action.op) {
    case "react":
      text = `Sending ${escapeText(action.emoji)} to WhatsApp…`;
      break;
    case "unreact":
      text = "Removing your reaction on WhatsApp…";
      break;
    case "vote":
      text =
        action.options.length === 0 ? "Clearing your vote on WhatsApp…" : "Sending your vote to WhatsApp…";
      break;
  }
  return { text, blocks: [context(`:hourglass_flowing_sand: ${text}`)] };
}
