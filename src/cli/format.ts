// Plain-text and JSON renderings for the CLI. Only masked keys ever get here, and no webhook secret.
import type { LinkRecord } from "../store/mirror-port.js";
import type { AuditRecord } from "../store/port.js";
import type { EventsOverview } from "../usecases/event-settings.js";
import type { WorkspaceConfig } from "../usecases/workspace-directory.js";

/** What scripts get for a workspace: the key masked, absent values as null. */
export function workspaceJson(config: WorkspaceConfig) {
  return {
    workspaceId: config.workspaceId,
    maskedKey: config.maskedKey ?? null,
    defaultSessionId: config.defaultSessionId ?? null,
    visibility: config.visibility,
    updatedBy: config.updatedBy,
    updatedAt: config.updatedAt.toISOString(),
  };
}

const VISIBILITY_WORDS = {
  channel: "channel (confirmations are posted in the channel)",
  ephemeral: "ephemeral (confirmations are shown only to the user)",
} as const;

export function workspaceText(config: WorkspaceConfig): string {
  return [
    `Workspace:   ${config.workspaceId}`,
    `API key:     ${config.maskedKey ?? 'none (set one with: echo "$KEY" | npx wa-slack workspace set <team_id>)'}`,
    `Session:     ${config.defaultSessionId ?? "none (set one with --session)"}`,
    `Visibility:  ${VISIBILITY_WORDS[config.visibility]}`,
    `Changed by:  ${config.updatedBy} at ${config.updatedAt.toISOString()}`,
    "",
  ].join("\n");
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

export function workspaceListText(configs: readonly WorkspaceConfig[]): string {
  if (configs.length === 0) return "No workspaces are configured yet.\n";
  return table(
    ["TEAM", "API KEY", "SESSION", "VISIBILITY", "CHANGED BY", "CHANGED AT"],
    configs.map((c) => [
      c.workspaceId,
      c.maskedKey ?? "-",
      c.defaultSessionId ?? "-",
      c.visibility,
      c.updatedBy,
      c.updatedAt.toISOString(),
    ]),
  );
}

export function auditJson(record: AuditRecord) {
  return { ...record, at: record.at.toISOString() };
}

function actionWords(record: AuditRecord): string {
  switch (record.operation) {
    case "react":
      return `react ${record.emoji ?? ""}`.trim();
    case "unreact":
      return "unreact";
    case "vote":
      return record.options === undefined || record.options.length === 0
        ? "vote cleared"
        : `vote ${record.options.map((o) => JSON.stringify(o)).join(", ")}`;
  }
}

function outcomeWords(outcome: AuditRecord["outcome"]): string {
  if ("pending" in outcome) return "unknown (the outcome could not be recorded)";
  return outcome.ok ? `ok (${outcome.status})` : `failed (${outcome.errorCode})`;
}

export function auditText(records: readonly AuditRecord[]): string {
  if (records.length === 0) return "No audit entries.\n";
  return table(
    ["AT", "USER", "ACTION", "CHAT", "MESSAGE", "SESSION", "OUTCOME"],
    records.map((r) => [
      r.at.toISOString(),
      r.userId,
      actionWords(r),
      r.chat,
      r.messageId,
      r.sessionId,
      outcomeWords(r.outcome),
    ]),
  );
}

/** What scripts get for a workspace's events: absent values as null, the secret only as `secretSet`. */
export function eventsJson(overview: EventsOverview) {
  return {
    workspaceId: overview.workspaceId,
    mode: overview.mode,
    webhook:
      overview.webhook === undefined
        ? null
        : {
            id: overview.webhook.id,
            url: overview.webhook.url ?? null,
            secretSet: overview.webhook.secretSet,
          },
    lastEvent:
      overview.lastEvent === undefined
        ? null
        : { id: overview.lastEvent.id, at: overview.lastEvent.at.toISOString() },
    inbox: overview.inbox,
    updatedBy: overview.updatedBy ?? null,
    updatedAt: overview.updatedAt?.toISOString() ?? null,
  };
}

const MODE_WORDS = {
  webhook: "webhook (the gateway posts each event to the app)",
  realtime: "realtime (the app keeps a WebSocket open to the gateway)",
  off: "off (no events are received; nothing new is mirrored)",
} as const;

function webhookWords(overview: EventsOverview): string {
  const webhook = overview.webhook;
  if (webhook === undefined) return "none";
  const target = `${webhook.id}${webhook.url === undefined ? "" : ` -> ${webhook.url}`}`;
  if (overview.mode !== "webhook") {
    return `${target} (left at the gateway: it could not be deleted there; delete it with a key that has the manage permission)`;
  }
  return `${target} (secret: ${webhook.secretSet ? "set" : "none"})`;
}

export function eventsText(overview: EventsOverview): string {
  const { inbox, lastEvent } = overview;
  return [
    `Workspace:   ${overview.workspaceId}`,
    `Events:      ${MODE_WORDS[overview.mode]}`,
    `Webhook:     ${webhookWords(overview)}`,
    `Last event:  ${lastEvent === undefined ? "none yet" : `${lastEvent.id} at ${lastEvent.at.toISOString()}`}`,
    `Inbox:       ${inbox.pending} pending, ${inbox.parked} parked`,
    `Changed by:  ${
      overview.updatedBy === undefined || overview.updatedAt === undefined
        ? "never set"
        : `${overview.updatedBy} at ${overview.updatedAt.toISOString()}`
    }`,
    "",
  ].join("\n");
}

export function linkJson(link: LinkRecord) {
  return { ...link, createdAt: link.createdAt.toISOString() };
}

export function linksText(workspaceId: string, links: readonly LinkRecord[]): string {
  if (links.length === 0) return `Workspace ${workspaceId} has no links.\n`;
  return table(
    ["CHANNEL", "CHAT", "SESSION", "REACTIONS", "STATUS", "LINKED BY", "LINKED AT"],
    links.map((l) => [
      l.channelId,
      l.chatJid,
      l.sessionId,
      l.sendReactions ? "sent to WhatsApp" : "-",
      l.pausedReason === null ? "active" : `paused (${l.pausedReason})`,
      l.createdBy,
      l.createdAt.toISOString(),
    ]),
  );
}
