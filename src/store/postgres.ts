// The PostgreSQL adapter (pg Pool): for several app instances sharing one database.
import pg from "pg";
import { ConfigError, StoreUnavailableError } from "../errors.js";
import type { Logger } from "../logger.js";
import { type Migration, POSTGRES_MIGRATIONS } from "./migrations.js";
import type {
  AuditEntry,
  AuditOutcome,
  AuditQuery,
  AuditRecord,
  InstallationRecord,
  Store,
  WorkspaceRecord,
} from "./port.js";
import { createPostgresMirror, type PostgresQuery } from "./postgres-mirror.js";
import { auditRecordFrom, outcomeColumns, toVisibility } from "./rows.js";

export interface PostgresStoreOptions {
  /**
   * `postgres://…` or `postgresql://…`. A `schema=<name>` query parameter puts every table in that
   * schema (created when missing) by setting the connections' search_path.
   */
  url: string;
  /** Same as the URL's `schema` parameter; wins over it. */
  schema?: string | undefined;
  maxConnections?: number | undefined;
  connectionTimeoutMs?: number | undefined;
  statementTimeoutMs?: number | undefined;
  /** Migrations to apply; tests pass a longer list to prove upgrades. */
  migrations?: readonly Migration[] | undefined;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** Any constant works, as long as every instance of the app uses the same one. */
const MIGRATION_LOCK_KEY = "7216130934601213547";

/** Socket-level failures: the server is not there or went away. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ECONNABORTED",
]);

/** SQLSTATEs that mean the database cannot serve us, not that a query is wrong. */
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "57014", // query_canceled: the statement timeout fired
  "3D000", // invalid_catalog_name: the database does not exist
  "28000", // invalid_authorization_specification
  "28P01", // invalid_password
]);

const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection error and is not queryable|Query read timeout|Cannot use a pool after calling end/i;

interface WorkspaceRow {
  workspace_id: string;
  sealed_api_key: string | null;
  default_session_id: string | null;
  visibility: string;
  updated_by: string;
  updated_at: Date;
}

interface InstallationRow {
  installation_id: string;
  is_enterprise_install: boolean;
  sealed_installation: string;
  updated_at: Date;
}

interface AuditRow {
  id: string;
  workspace_id: string;
  user_id: string;
  operation: string;
  session_id: string;
  chat: string;
  message_id: string;
  emoji: string | null;
  options: string[] | null;
  ok: boolean;
  status: string | null;
  error_code: string | null;
  pending: boolean;
  at: Date;
}

interface Target {
  connectionString: string;
  schema: string | undefined;
  /** The URL without its password, for messages. */
  display: string;
  password: string;
  hostPort: string;
}

/** Splits the URL into what pg needs and what we may show; `schema` becomes a search_path option. */
export function parsePostgresUrl(url: string, schemaOverride?: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError([
      "DATABASE_URL is not a valid postgres:// URL (special characters in the password must be percent-encoded)",
    ]);
  }
  const schema = schemaOverride ?? (parsed.searchParams.get("schema") || undefined);
  parsed.searchParams.delete("schema");
  if (schema !== undefined) {
    if (!SCHEMA_NAME.test(schema)) {
      throw new ConfigError([
        `DATABASE_URL's schema name "${schema}" is not usable: use letters, digits and _ only`,
      ]);
    }
    // pg lets the connection string win over the config object, so the option goes into the URL.
    const existing = parsed.searchParams.get("options");
    parsed.searchParams.set("options", `${existing ? `${existing} ` : ""}-c search_path=${schema}`);
  }
  const password = decodeURIComponent(parsed.password);
  const shown = new URL(parsed.href);
  shown.password = "";
  shown.search = "";
  if (schema !== undefined) shown.searchParams.set("schema", schema);
  const port = parsed.port || "5432";
  return {
    connectionString: parsed.href,
    schema,
    display: shown.href,
    password,
    hostPort: `${parsed.hostname || "localhost"}:${port}`,
  };
}

export async function createPostgresStore(options: PostgresStoreOptions, logger: Logger): Promise<Store> {
  const target = parsePostgresUrl(options.url, options.schema);

  function hint(error: unknown): string {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "28000" || code === "28P01") return "Check the user name and password in DATABASE_URL.";
    if (code === "3D000") return "Create the database, or fix its name in DATABASE_URL.";
    if (code === "57014") return "The database is overloaded or a lock is held too long; check its activity.";
    return `Check that PostgreSQL is running and accepts connections at ${target.hostPort}, and that DATABASE_URL is right.`;
  }

  function unavailable(error: unknown): StoreUnavailableError {
    let reason = error instanceof Error ? error.message : String(error);
    // pg never puts the password in a message, but a DNS error may echo a malformed host part.
    if (target.password.length > 0) reason = reason.split(target.password).join("***");
    return new StoreUnavailableError(
      `The PostgreSQL database ${target.display} did not answer (${reason || "no reason given"}). ${hint(error)}`,
      { cause: error },
    );
  }

  function isUnavailable(error: unknown): boolean {
    if (error instanceof StoreUnavailableError) return false;
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string") {
      if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
      // Class 08 is connection_exception; class 53 is insufficient_resources (disk full, too many connections).
      if (/^(08|53)[0-9A-Z]{3}$/.test(code)) return true;
    }
    if (error instanceof AggregateError) return error.errors.some(isUnavailable);
    return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
  }

  const statementTimeoutMs = options.statementTimeoutMs ?? 5_000;
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    // The server-side timeout cannot fire when the server is gone but the socket is not: the client gives up too.
    query_timeout: statementTimeoutMs + 2_000,
    keepAlive: true,
    application_name: "wa-slack",
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would end the process.
  pool.on("error", (error) => {
    logger.warn({ store: "postgres", err: unavailable(error) }, "an idle PostgreSQL connection failed");
  });

  let closed = false;

  async function run<T>(work: () => Promise<T>): Promise<T> {
    if (closed) throw new StoreUnavailableError(`The PostgreSQL database ${target.display} is closed.`);
    try {
      return await work();
    } catch (error) {
      throw isUnavailable(error) ? unavailable(error) : error;
    }
  }

  async function query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return run(async () => (await pool.query<R>(text, values)).rows);
  }

  /** Runs `work` between BEGIN and COMMIT on one client; any error rolls back and is rethrown. */
  async function transaction<T>(work: (query: PostgresQuery) => Promise<T>): Promise<T> {
    return run(async () => {
      const { client, failure, done } = await checkOut(pool);
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(async (text, values = []) => (await client.query(text, values)).rows);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        // A client that cannot even roll back is discarded rather than handed to the next caller.
        await client.query("ROLLBACK").catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        done(broken ?? failure());
      }
    });
  }

  try {
    await run(() => migrate(pool, target.schema, options.migrations ?? POSTGRES_MIGRATIONS, logger));
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  return {
    kind: "postgres",
    ...createPostgresMirror(query, transaction),

    async getWorkspace(workspaceId) {
      const rows = await query<WorkspaceRow>("SELECT * FROM workspaces WHERE workspace_id = $1", [
        workspaceId,
      ]);
      return rows[0] === undefined ? undefined : workspaceFromRow(rows[0]);
    },

    async putWorkspace(record) {
      await query(
        `INSERT INTO workspaces (workspace_id, sealed_api_key, default_session_id, visibility, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (workspace_id) DO UPDATE SET
           sealed_api_key = excluded.sealed_api_key,
           default_session_id = excluded.default_session_id,
           visibility = excluded.visibility,
           updated_by = excluded.updated_by,
           updated_at = excluded.updated_at`,
        [
          record.workspaceId,
          record.sealedApiKey,
          record.defaultSessionId,
          record.visibility,
          record.updatedBy,
          record.updatedAt,
        ],
      );
    },

    async deleteWorkspace(workspaceId) {
      const rows = await query("DELETE FROM workspaces WHERE workspace_id = $1 RETURNING workspace_id", [
        workspaceId,
      ]);
      return rows.length > 0;
    },

    async listWorkspaces() {
      return (await query<WorkspaceRow>("SELECT * FROM workspaces ORDER BY workspace_id")).map(
        workspaceFromRow,
      );
    },

    async getInstallation(installationId) {
      const rows = await query<InstallationRow>("SELECT * FROM installations WHERE installation_id = $1", [
        installationId,
      ]);
      return rows[0] === undefined ? undefined : installationFromRow(rows[0]);
    },

    async putInstallation(record) {
      await query(
        `INSERT INTO installations (installation_id, is_enterprise_install, sealed_installation, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (installation_id) DO UPDATE SET
           is_enterprise_install = excluded.is_enterprise_install,
           sealed_installation = excluded.sealed_installation,
           updated_at = excluded.updated_at`,
        [record.installationId, record.isEnterpriseInstall, record.sealedInstallation, record.updatedAt],
      );
    },

    async deleteInstallation(installationId) {
      const rows = await query(
        "DELETE FROM installations WHERE installation_id = $1 RETURNING installation_id",
        [installationId],
      );
      return rows.length > 0;
    },

    async listInstallations() {
      return (await query<InstallationRow>("SELECT * FROM installations ORDER BY installation_id")).map(
        installationFromRow,
      );
    },

    async appendAudit(entry: AuditEntry) {
      const outcome = outcomeColumns(entry.outcome);
      const rows = await query<{ id: string }>(
        `INSERT INTO audit_log
           (workspace_id, user_id, operation, session_id, chat, message_id, emoji, options, ok, status, error_code, pending, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         RETURNING id`,
        [
          entry.workspaceId,
          entry.userId,
          entry.operation,
          entry.sessionId,
          entry.chat,
          entry.messageId,
          entry.emoji ?? null,
          // pg would send a JS array as a PostgreSQL array, not as JSON.
          entry.options === undefined ? null : JSON.stringify(entry.options),
          outcome.ok,
          outcome.status,
          outcome.errorCode,
          outcome.pending,
          entry.at,
        ],
      );
      return Number(rows[0]?.id);
    },

    async settleAudit(id, settled) {
      const outcome = outcomeColumns(settled);
      await query(
        "UPDATE audit_log SET ok = $2, status = $3, error_code = $4, pending = false WHERE id = $1 AND pending",
        [id, outcome.ok, outcome.status, outcome.errorCode],
      );
    },

    async settleStalePendingAudit(before: Date, settled: AuditOutcome) {
      const outcome = outcomeColumns(settled);
      const rows = await query<{ n: string }>(
        `WITH settled AS (
           UPDATE audit_log SET ok = $2, status = $3, error_code = $4, pending = false
           WHERE pending AND at < $1
           RETURNING 1
         )
         SELECT count(*) AS n FROM settled`,
        [before, outcome.ok, outcome.status, outcome.errorCode],
      );
      return Number(rows[0]?.n ?? 0);
    },

    async listAudit(query_: AuditQuery): Promise<AuditRecord[]> {
      const rows = await query<AuditRow>(
        `SELECT * FROM audit_log
         WHERE workspace_id = $1 AND ($2::timestamptz IS NULL OR at >= $2)
         ORDER BY at DESC, id DESC LIMIT $3`,
        [query_.workspaceId, query_.since ?? null, Math.max(0, Math.trunc(query_.limit))],
      );
      return rows.map((row) =>
        auditRecordFrom({
          id: Number(row.id),
          workspaceId: row.workspace_id,
          userId: row.user_id,
          operation: row.operation,
          sessionId: row.session_id,
          chat: row.chat,
          messageId: row.message_id,
          emoji: row.emoji,
          options: row.options,
          ok: row.ok,
          status: row.status,
          errorCode: row.error_code,
          pending: row.pending,
          at: row.at,
        }),
      );
    },

    async ping() {
      await query("SELECT 1");
    },

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

function workspaceFromRow(row: WorkspaceRow): WorkspaceRecord {
  return {
    workspaceId: row.workspace_id,
    sealedApiKey: row.sealed_api_key,
    defaultSessionId: row.default_session_id,
    visibility: toVisibility(row.visibility),
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

function installationFromRow(row: InstallationRow): InstallationRecord {
  return {
    installationId: row.installation_id,
    isEnterpriseInstall: row.is_enterprise_install,
    sealedInstallation: row.sealed_installation,
    updatedAt: row.updated_at,
  };
}

/**
 * Applies missing migrations in one transaction under an advisory lock, so instances starting together
 * take turns and the later ones find nothing left to do. DDL is transactional in PostgreSQL: a failed
 * migration leaves nothing half-applied.
 */
/**
 * A client of the pool for a transaction. A connection that drops while checked out emits 'error' on the
 * client, not on the pool; with no listener that is an uncaught exception that ends the process. The
 * listener keeps the error, so the client is discarded when it is given back.
 */
async function checkOut(pool: pg.Pool): Promise<{
  client: pg.PoolClient;
  failure: () => Error | undefined;
  done: (broken: Error | undefined) => void;
}> {
  const client = await pool.connect();
  let failed: Error | undefined;
  const onError = (error: Error) => {
    failed = error;
  };
  client.on("error", onError);
  return {
    client,
    failure: () => failed,
    done: (broken) => {
      client.off("error", onError);
      client.release(broken ?? failed);
    },
  };
}

async function migrate(
  pool: pg.Pool,
  schema: string | undefined,
  migrations: readonly Migration[],
  logger: Logger,
): Promise<void> {
  const { client, done } = await checkOut(pool);
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [MIGRATION_LOCK_KEY]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const applied = new Set(
      (await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map(
        (r) => r.version,
      ),
    );
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      logger.info({ store: "postgres", version: migration.version }, `applied migration ${migration.name}`);
    }
    await client.query("COMMIT");
    const newest = Math.max(0, ...applied);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known) {
      logger.warn(
        { store: "postgres", databaseVersion: newest, appVersion: known },
        "the database schema is newer than this version of the app knows",
      );
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    // A client that failed mid-transaction is discarded rather than handed to the next caller.
    done(broken);
  }
}
