// The schema, as numbered migrations per dialect. A released migration is never edited: add the next one.
// Both adapters record what they applied in `schema_migrations` and apply the rest at start.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "workspaces, installations, audit_log",
    sql: `
      CREATE TABLE workspaces (
        workspace_id TEXT PRIMARY KEY,
        sealed_api_key TEXT,
        default_session_id TEXT,
        visibility TEXT NOT NULL CHECK (visibility IN ('channel', 'ephemeral')),
        updated_by TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE installations (
        installation_id TEXT PRIMARY KEY,
        is_enterprise_install INTEGER NOT NULL,
        sealed_installation TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workspace_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        operation TEXT NOT NULL,
        session_id TEXT NOT NULL,
        chat TEXT NOT NULL,
        message_id TEXT NOT NULL,
        emoji TEXT,
        options TEXT,
        ok INTEGER NOT NULL,
        status TEXT,
        error_code TEXT,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_workspace_at ON audit_log (workspace_id, at);
    `,
  },
  {
    version: 2,
    name: "audit_log.pending: actions are recorded before the gateway is called",
    sql: "ALTER TABLE audit_log ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;",
  },
];

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "workspaces, installations, audit_log",
    sql: `
      CREATE TABLE workspaces (
        workspace_id text PRIMARY KEY,
        sealed_api_key text,
        default_session_id text,
        visibility text NOT NULL CHECK (visibility IN ('channel', 'ephemeral')),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE installations (
        installation_id text PRIMARY KEY,
        is_enterprise_install boolean NOT NULL,
        sealed_installation text NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        workspace_id text NOT NULL,
        user_id text NOT NULL,
        operation text NOT NULL,
        session_id text NOT NULL,
        chat text NOT NULL,
        message_id text NOT NULL,
        emoji text,
        options jsonb,
        ok boolean NOT NULL,
        status text,
        error_code text,
        at timestamptz NOT NULL
      );
      CREATE INDEX audit_log_workspace_at ON audit_log (workspace_id, at);
    `,
  },
  {
    version: 2,
    name: "audit_log.pending: actions are recorded before the gateway is called",
    sql: "ALTER TABLE audit_log ADD COLUMN pending boolean NOT NULL DEFAULT false;",
  },
];
