// Row <-> record mapping shared by both adapters, so both return exactly the same shapes.
import type { Operation, Visibility } from "../domain/types.js";
import type { AuditEntry, AuditOutcome, AuditRecord, PendingOutcome } from "./port.js";

const OPERATIONS: readonly Operation[] = ["react", "unreact", "vote"];
const VISIBILITIES: readonly Visibility[] = ["channel", "ephemeral"];

export function toOperation(value: string): Operation {
  const found = OPERATIONS.find((op) => op === value);
  if (found === undefined) throw new Error(`audit_log holds an unknown operation "${value}"`);
  return found;
}

export function toVisibility(value: string): Visibility {
  const found = VISIBILITIES.find((v) => v === value);
  if (found === undefined) throw new Error(`workspaces holds an unknown visibility "${value}"`);
  return found;
}

/** The columns of an audit row, once each dialect has turned its own types into these. */
export interface AuditColumns {
  id: number;
  workspaceId: string;
  userId: string;
  operation: string;
  sessionId: string;
  chat: string;
  messageId: string;
  emoji: string | null;
  options: string[] | null;
  ok: boolean;
  status: string | null;
  errorCode: string | null;
  pending: boolean;
  at: Date;
}

export function auditRecordFrom(columns: AuditColumns): AuditRecord {
  const outcome: AuditOutcome | PendingOutcome = columns.pending
    ? { pending: true }
    : columns.ok
      ? { ok: true, status: columns.status ?? "" }
      : { ok: false, errorCode: columns.errorCode ?? "" };
  const record: AuditRecord = {
    id: columns.id,
    workspaceId: columns.workspaceId,
    userId: columns.userId,
    operation: toOperation(columns.operation),
    sessionId: columns.sessionId,
    chat: columns.chat,
    messageId: columns.messageId,
    outcome,
    at: columns.at,
  };
  // Absent stays absent, so a record reads back equal to the entry that was appended.
  if (columns.emoji !== null) record.emoji = columns.emoji;
  if (columns.options !== null) record.options = columns.options;
  return record;
}

export function outcomeColumns(outcome: AuditEntry["outcome"]): {
  ok: boolean;
  status: string | null;
  errorCode: string | null;
  pending: boolean;
} {
  if ("pending" in outcome) return { ok: false, status: null, errorCode: null, pending: true };
  return outcome.ok
    ? { ok: true, status: outcome.status, errorCode: null, pending: false }
    : { ok: false, status: null, errorCode: outcome.errorCode, pending: false };
}
