// Plain-text and JSON renderings for the CLI. Only masked keys ever get here.
import type { AuditRecord } from "../store/port.js";
import type { WorkspaceConfig } from "../store/workspaces.js";

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
