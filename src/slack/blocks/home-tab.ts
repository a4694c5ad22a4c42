// The App Home tab: the workspace's WhatsApp settings (key masked), a Configure button for admins,
// a short how-to, and the last actions from the audit log.
import type { AuditRecord } from "../../store/port.js";
import type { MirrorOverview } from "../../usecases/mirror-overview.js";
import { ActionId } from "../ids.js";
import type { HomeView, KnownBlock } from "./block-kit.js";
import { code, describeChat, LIMITS, mention, shorten, slackDate } from "./format.js";
import { configLines, describeEmoji, quoteOption, SHORTCUTS_HELP, type ShownConfig } from "./messages.js";
import { mirrorLines } from "./mirror-lines.js";

/** The Home tab shows this many actions at most: enough to see what happened, far below 100 blocks. */
export const HOME_RECENT_LIMIT = 10;

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: shorten(text, LIMITS.sectionText) } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: shorten(text, LIMITS.contextText) }] };
}

function describeAuditAction(record: AuditRecord): string {
  switch (record.operation) {
    case "react":
      return record.emoji ? `reacted ${describeEmoji(record.emoji)}` : "reacted";
    case "unreact":
      return "removed a reaction";
    case "vote": {
      const options = record.options ?? [];
      return options.length === 0 ? "cleared a vote" : `voted ${options.map(quoteOption).join(", ")}`;
    }
  }
}

function describeAuditRow(record: AuditRecord): string {
  const outcome =
    "pending" in record.outcome
      ? "outcome unknown"
      : record.outcome.ok
        ? `*${shorten(record.outcome.status, 40)}*`
        : `failed ${code(record.outcome.errorCode)}`;
  return (
    `${mention(record.userId)} ${describeAuditAction(record)} in ${describeChat(record.chat)} · ` +
    `${outcome} · ${slackDate(record.at)}`
  );
}

export function homeView(input: {
  config?: ShownConfig | undefined;
  isAdmin: boolean;
  recent: AuditRecord[];
  mirror?: MirrorOverview | undefined;
}): HomeView {
  const { config, isAdmin } = input;
  const configured = config?.maskedKey !== undefined && config.maskedKey !== "";
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: "WhatsApp for Slack" } }];

  const state = configured
    ? "This workspace is connected to WhatsApp."
    : `This workspace isn't connected to WhatsApp yet. ${
        isAdmin ? "Use *Configure* to enter the gateway API key." : "A workspace admin must set it up."
      }`;
  blocks.push(section(config ? [state, ...configLines(config)].join("\n") : state));
  if (isAdmin) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ActionId.openConfig,
          text: { type: "plain_text", text: "Configure" },
          ...(configured ? {} : { style: "primary" as const }),
        },
      ],
    });
  } else {
    blocks.push(context("Only workspace admins and owners can change these settings."));
  }

  if (input.mirror) blocks.push({ type: "divider" }, section(mirrorLines(input.mirror).join("\n")));

  blocks.push(
    { type: "divider" },
    section(
      "*How to use it*\n" +
        "• In a channel, `/wa link` mirrors a WhatsApp chat there (admins and owners); `/wa links` lists what is mirrored.\n" +
        "• In a channel, `/wa react <message link> :+1:` reacts and " +
        '`/wa vote <message link> "Pizza"` votes; `/wa help` lists everything.\n' +
        `• ${SHORTCUTS_HELP}`,
    ),
    { type: "divider" },
    section("*Recent actions*"),
  );

  const recent = input.recent.slice(0, HOME_RECENT_LIMIT);
  if (recent.length === 0) blocks.push(context("Nothing has been sent to WhatsApp from this workspace yet."));
  for (const record of recent) blocks.push(context(describeAuditRow(record)));

  return { type: "home", blocks };
}
