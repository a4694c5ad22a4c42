// The storage port. Adapters (SQLite, PostgreSQL) store only sealed secrets: they never see an API
// key or a Slack token in plain text. Unsealing and caching live above the port
// (usecases/workspace-directory.ts).
import type { Operation, Visibility } from "../domain/types.js";
import type { MirrorStore } from "./mirror-port.js";

/** One workspace's settings as stored. The id is a Slack team id, or an enterprise id for an org-wide install. */
export interface WorkspaceRecord {
  workspaceId: string;
  /** JWE compact serialization of the gateway API key, or null when none is set. */
  sealedApiKey: string | null;
  defaultSessionId: string | null;
  visibility: Visibility;
  /** Slack user id, or "cli" for the operator CLI. */
  updatedBy: string;
  updatedAt: Date;
}

/** A Slack OAuth installation, sealed whole (it carries bot and user tokens). */
export interface InstallationRecord {
  /** enterprise id for an org-wide install, else team id. */
  installationId: string;
  isEnterpriseInstall: boolean;
  /** JWE of the JSON of Bolt's Installation object. */
  sealedInstallation: string;
  updatedAt: Date;
}

/** How an action ended. */
export type AuditOutcome = { ok: true; status: string } | { ok: false; errorCode: string };

/**
 * An action recorded before the gateway is called, settled with its AuditOutcome afterwards. One that stays
 * pending was sent (or may have been) but the app could not record how it ended: the store went away mid-action.
 */
export type PendingOutcome = { pending: true };

export interface AuditEntry {
  workspaceId: string;
  userId: string;
  operation: Operation;
  sessionId: string;
  chat: string;
  messageId: string;
  /** The emoji of a reaction. */
  emoji?: string | undefined;
  /** The options of a vote ([] for a cleared vote). */
  options?: string[] | undefined;
  outcome: AuditOutcome | PendingOutcome;
  at: Date;
}

export interface AuditRecord extends AuditEntry {
  id: number;
}

export interface AuditQuery {
  workspaceId: string;
  since?: Date | undefined;
  /** Newest first; at most this many. */
  limit: number;
}

export interface Store extends MirrorStore {
  /** "sqlite" or "postgres", for logs and /readyz. */
  readonly kind: string;

  getWorkspace(workspaceId: string): Promise<WorkspaceRecord | undefined>;
  putWorkspace(record: WorkspaceRecord): Promise<void>;
  /** Returns whether a record was removed. */
  deleteWorkspace(workspaceId: string): Promise<boolean>;
  listWorkspaces(): Promise<WorkspaceRecord[]>;

  getInstallation(installationId: string): Promise<InstallationRecord | undefined>;
  putInstallation(record: InstallationRecord): Promise<void>;
  deleteInstallation(installationId: string): Promise<boolean>;
  listInstallations(): Promise<InstallationRecord[]>;

  /** Returns the new entry's id. */
  appendAudit(entry: AuditEntry): Promise<number>;
  /** Records how a pending entry ended; an entry that is not pending (or does not exist) is left as it is. */
  settleAudit(id: number, outcome: AuditOutcome): Promise<void>;
  /**
   * Settles every entry still pending from before `before` with `outcome`; returns how many. At start-up,
   * for entries a crash left pending. Only stale ones: another live instance may have a fresh one pending.
   */
  settleStalePendingAudit(before: Date, outcome: AuditOutcome): Promise<number>;
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;

  /** Resolves when the database answers a trivial query; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
