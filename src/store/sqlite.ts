// The SQLite adapter (better-sqlite3): one file on one host, WAL so readers never wait for the writer.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { StoreUnavailableError } from "../errors.js";
import type { Logger } from "../logger.js";
import { type Migration, SQLITE_MIGRATIONS } from "./migrations.js";
import type {
  AuditEntry,
  AuditOutcome,
  AuditQuery,
  AuditRecord,
  InstallationRecord,
  Store,
  WorkspaceRecord,
} from "./port.js";
import { auditRecordFrom, outcomeColumns, toVisibility } from "./rows.js";
import { type Checkpointer, type CheckpointerOptions, startCheckpointer } from "./sqlite-checkpointer.js";
import { createSqliteMirror } from "./sqlite-mirror.js";

export interface SqliteStoreOptions {
  /** `:memory:` or a file path (relative paths resolve against `cwd`). */
  path: string;
  cwd?: string | undefined;
  /** How long a write waits for another process's write lock before the store counts as unavailable. */
  busyTimeoutMs?: number | undefined;
  /** Migrations to apply; tests pass a longer list to prove upgrades. */
  migrations?: readonly Migration[] | undefined;
  /**
   * Checkpoint the WAL from a worker thread instead of at the end of a commit on the event loop
   * (sqlite-checkpointer.ts). For the long-running app; a one-shot CLI command has no use for it.
   */
  backgroundCheckpoints?: boolean | CheckpointerOptions | undefined;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/**
 * SQLite result codes that mean "the database file cannot be used right now" rather than a bug in a
 * query: locked, disk full or failing, unreadable, read-only, not a database.
 */
const UNAVAILABLE_CODES =
  /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|NOTADB|CORRUPT|PROTOCOL|PERM|AUTH|NOLFS)/;

interface WorkspaceRow {
  workspace_id: string;
  sealed_api_key: string | null;
  default_session_id: string | null;
  visibility: string;
  updated_by: string;
  updated_at: number;
}

interface InstallationRow {
  installation_id: string;
  is_enterprise_install: number;
  sealed_installation: string;
  updated_at: number;
}

interface AuditRow {
  id: number;
  workspace_id: string;
  user_id: string;
  operation: string;
  session_id: string;
  chat: string;
  message_id: string;
  emoji: string | null;
  options: string | null;
  ok: number;
  status: string | null;
  error_code: string | null;
  pending: number;
  at: number;
}

export async function createSqliteStore(options: SqliteStoreOptions, logger: Logger): Promise<Store> {
  const memory = options.path === ":memory:";
  const file = memory ? ":memory:" : resolve(options.cwd ?? process.cwd(), options.path);
  const where = memory ? "in-memory SQLite database" : `SQLite database ${file}`;

  function unavailable(error: unknown): StoreUnavailableError {
    const reason = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(
      `The ${where} cannot be used (${reason}). Check that its folder exists and is writable, that the disk is not full, and that no other program holds a lock on the file (DATABASE_URL sets the path).`,
      { cause: error },
    );
  }

  function isUnavailable(error: unknown): boolean {
    if (error instanceof Database.SqliteError) return UNAVAILABLE_CODES.test(error.code);
    const code = (error as { code?: unknown } | null)?.code;
    // File system errors while creating the folder or opening the file.
    return typeof code === "string" && /^E[A-Z]+$/.test(code);
  }

  const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS));
  let db: Database.Database;
  let checkpointer: Checkpointer | undefined;
  try {
    if (!memory) mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!memory) db.pragma("journal_mode = WAL");
    // WAL makes NORMAL durable against application crashes; only a power loss can drop the last commits.
    db.pragma("synchronous = NORMAL");
    // better-sqlite3's bundled SQLite has foreign keys on by default, other builds do not; the mirror's
    // tables rely on them (ON DELETE CASCADE, no reaction on an unmapped message).
    db.pragma("foreign_keys = ON");
    migrate(db, options.migrations ?? SQLITE_MIGRATIONS, logger);
    if (!memory && options.backgroundCheckpoints) {
      const settings = options.backgroundCheckpoints === true ? {} : options.backgroundCheckpoints;
      checkpointer = startCheckpointer(db, file, logger, settings);
    }
  } catch (error) {
    throw isUnavailable(error) || !(error instanceof Database.SqliteError) ? unavailable(error) : error;
  }

  const statements = {
    getWorkspace: db.prepare<[string], WorkspaceRow>("SELECT * FROM workspaces WHERE workspace_id = ?"),
    putWorkspace: db.prepare(
      `INSERT INTO workspaces (workspace_id, sealed_api_key, default_session_id, visibility, updated_by, updated_at)
       VALUES (@workspaceId, @sealedApiKey, @defaultSessionId, @visibility, @updatedBy, @updatedAt)
       ON CONFLICT (workspace_id) DO UPDATE SET
         sealed_api_key = excluded.sealed_api_key,
         default_session_id = excluded.default_session_id,
         visibility = excluded.visibility,
         updated_by = excluded.updated_by,
         updated_at = excluded.updated_at`,
    ),
    deleteWorkspace: db.prepare<[string]>("DELETE FROM workspaces WHERE workspace_id = ?"),
    listWorkspaces: db.prepare<[], WorkspaceRow>("SELECT * FROM workspaces ORDER BY workspace_id"),
    getInstallation: db.prepare<[string], InstallationRow>(
      "SELECT * FROM installations WHERE installation_id = ?",
    ),
    putInstallation: db.prepare(
      `INSERT INTO installations (installation_id, is_enterprise_install, sealed_installation, updated_at)
       VALUES (@installationId, @isEnterpriseInstall, @sealedInstallation, @updatedAt)
       ON CONFLICT (installation_id) DO UPDATE SET
         is_enterprise_install = excluded.is_enterprise_install,
         sealed_installation = excluded.sealed_installation,
         updated_at = excluded.updated_at`,
    ),
    deleteInstallation: db.prepare<[string]>("DELETE FROM installations WHERE installation_id = ?"),
    listInstallations: db.prepare<[], InstallationRow>(
      "SELECT * FROM installations ORDER BY installation_id",
    ),
    appendAudit: db.prepare(
      `INSERT INTO audit_log
         (workspace_id, user_id, operation, session_id, chat, message_id, emoji, options, ok, status, error_code, pending, at)
       VALUES
         (@workspaceId, @userId, @operation, @sessionId, @chat, @messageId, @emoji, @options, @ok, @status, @errorCode, @pending, @at)`,
    ),
    settleAudit: db.prepare(
      "UPDATE audit_log SET ok = @ok, status = @status, error_code = @errorCode, pending = 0 WHERE id = @id AND pending = 1",
    ),
    settleStalePendingAudit: db.prepare(
      "UPDATE audit_log SET ok = @ok, status = @status, error_code = @errorCode, pending = 0 WHERE pending = 1 AND at < @before",
    ),
    listAudit: db.prepare<[string, number, number], AuditRow>(
      `SELECT * FROM audit_log WHERE workspace_id = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?`,
    ),
    beginImmediate: db.prepare("BEGIN IMMEDIATE"),
    rollback: db.prepare("ROLLBACK"),
  };

  let closed = false;

  /** Runs one synchronous database call, turning "the file cannot be used" into StoreUnavailableError. */
  async function run<T>(work: () => T): Promise<T> {
    if (closed) throw new StoreUnavailableError(`The ${where} is closed.`);
    try {
      return work();
    } catch (error) {
      throw isUnavailable(error) ? unavailable(error) : error;
    }
  }

  return {
    kind: "sqlite",
    ...createSqliteMirror(db, run),

    getWorkspace: (workspaceId) =>
      run(() => {
        const row = statements.getWorkspace.get(workspaceId);
        return row === undefined ? undefined : workspaceFromRow(row);
      }),

    putWorkspace: (record) =>
      run(() => {
        statements.putWorkspace.run({
          workspaceId: record.workspaceId,
          sealedApiKey: record.sealedApiKey,
          defaultSessionId: record.defaultSessionId,
          visibility: record.visibility,
          updatedBy: record.updatedBy,
          updatedAt: record.updatedAt.getTime(),
        });
      }),

    deleteWorkspace: (workspaceId) => run(() => statements.deleteWorkspace.run(workspaceId).changes > 0),

    listWorkspaces: () => run(() => statements.listWorkspaces.all().map(workspaceFromRow)),

    getInstallation: (installationId) =>
      run(() => {
        const row = statements.getInstallation.get(installationId);
        return row === undefined ? undefined : installationFromRow(row);
      }),

    putInstallation: (record) =>
      run(() => {
        statements.putInstallation.run({
          installationId: record.installationId,
          isEnterpriseInstall: record.isEnterpriseInstall ? 1 : 0,
          sealedInstallation: record.sealedInstallation,
          updatedAt: record.updatedAt.getTime(),
        });
      }),

    deleteInstallation: (installationId) =>
      run(() => statements.deleteInstallation.run(installationId).changes > 0),

    listInstallations: () => run(() => statements.listInstallations.all().map(installationFromRow)),

    appendAudit: (entry: AuditEntry) =>
      run(() => {
        const { lastInsertRowid } = statements.appendAudit.run({
          workspaceId: entry.workspaceId,
          userId: entry.userId,
          operation: entry.operation,
          sessionId: entry.sessionId,
          chat: entry.chat,
          messageId: entry.messageId,
          emoji: entry.emoji ?? null,
          options: entry.options === undefined ? null : JSON.stringify(entry.options),
          ...sqliteOutcome(entry.outcome),
          at: entry.at.getTime(),
        });
        return Number(lastInsertRowid);
      }),

    settleAudit: (id, outcome) =>
      run(() => {
        const { pending: _, ...columns } = sqliteOutcome(outcome);
        statements.settleAudit.run({ id, ...columns });
      }),

    settleStalePendingAudit: (before: Date, outcome: AuditOutcome) =>
      run(() => {
        const { pending: _, ...columns } = sqliteOutcome(outcome);
        return statements.settleStalePendingAudit.run({ before: before.getTime(), ...columns }).changes;
      }),

    listAudit: (query: AuditQuery): Promise<AuditRecord[]> =>
      run(() =>
        statements.listAudit
          .all(
            query.workspaceId,
            query.since?.getTime() ?? Number.MIN_SAFE_INTEGER,
            Math.max(0, Math.trunc(query.limit)),
          )
          .map((row) =>
            auditRecordFrom({
              id: row.id,
              workspaceId: row.workspace_id,
              userId: row.user_id,
              operation: row.operation,
              sessionId: row.session_id,
              chat: row.chat,
              messageId: row.message_id,
              emoji: row.emoji,
              options: row.options === null ? null : (JSON.parse(row.options) as string[]),
              ok: row.ok === 1,
              status: row.status,
              errorCode: row.error_code,
              pending: row.pending === 1,
              at: new Date(row.at),
            }),
          ),
      ),

    ping: () =>
      run(() => {
        // Ready means able to store an event, not only to read: SQLite answers a read while another
        // process holds the file's write lock, so the check takes that lock, without waiting for it
        // (a wait would block the event loop), and gives it back at once.
        db.pragma("busy_timeout = 0");
        try {
          statements.beginImmediate.run();
          statements.rollback.run();
        } finally {
          db.pragma(`busy_timeout = ${busyTimeoutMs}`);
        }
      }),

    async close() {
      if (closed) return;
      closed = true;
      // The worker's connection goes first, so the app's is the last one and removes the WAL file.
      await checkpointer?.close();
      db.close();
    },
  };
}

function sqliteOutcome(outcome: AuditEntry["outcome"]): {
  ok: number;
  status: string | null;
  errorCode: string | null;
  pending: number;
} {
  const columns = outcomeColumns(outcome);
  return { ...columns, ok: columns.ok ? 1 : 0, pending: columns.pending ? 1 : 0 };
}

function workspaceFromRow(row: WorkspaceRow): WorkspaceRecord {
  return {
    workspaceId: row.workspace_id,
    sealedApiKey: row.sealed_api_key,
    defaultSessionId: row.default_session_id,
    visibility: toVisibility(row.visibility),
    updatedBy: row.updated_by,
    updatedAt: new Date(row.updated_at),
  };
}

function installationFromRow(row: InstallationRow): InstallationRecord {
  return {
    installationId: row.installation_id,
    isEnterpriseInstall: row.is_enterprise_install === 1,
    sealedInstallation: row.sealed_installation,
    updatedAt: new Date(row.updated_at),
  };
}

/** Applies missing migrations in one IMMEDIATE transaction, so two processes starting together take turns. */
function migrate(db: Database.Database, migrations: readonly Migration[], logger: Logger): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const apply = db.transaction(() => {
    const applied = new Set(
      db
        .prepare<[], { version: number }>("SELECT version FROM schema_migrations")
        .all()
        .map((r) => r.version),
    );
    const insert = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      insert.run(migration.version, migration.name, Date.now());
      logger.info({ store: "sqlite", version: migration.version }, `applied migration ${migration.name}`);
    }
    return Math.max(0, ...applied);
  });
  const newest = apply.immediate();
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    logger.warn(
      { store: "sqlite", databaseVersion: newest, appVersion: known },
      "the database schema is newer than this version of the app knows",
    );
  }
}
