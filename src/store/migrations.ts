// The schema, as numbered migrations per dialect. A released migration is never edited: add the next one.
// Both adapters record what they applied in `schema_migrations` and apply the rest at start, in one
// transaction under a lock (sqlite.ts, postgres.ts). Those two short runners stay rather than a maintained
// migrator: node-pg-migrate serves PostgreSQL only (SQLite would keep its runner anyway), and umzug has no
// lock against two instances starting together, which the PostgreSQL runner's advisory lock gives.

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
  {
    version: 3,
    name: "the mirror: event settings and arrivals, links, inbox, message map, reactions, votes, seen Slack events",
    sql: `
      CREATE TABLE event_settings (
        workspace_id TEXT PRIMARY KEY,
        mode TEXT NOT NULL CHECK (mode IN ('webhook', 'realtime', 'off')),
        webhook_id TEXT,
        webhook_url TEXT,
        sealed_webhook_secret TEXT,
        updated_by TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE event_arrivals (
        workspace_id TEXT PRIMARY KEY,
        last_event_id TEXT NOT NULL,
        last_event_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE links (
        workspace_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        chat_jid TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        send_reactions INTEGER NOT NULL,
        paused_reason TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, session_id, chat_jid)
      ) STRICT;
      CREATE INDEX links_workspace_channel ON links (workspace_id, channel_id);
      CREATE TABLE inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workspace_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        chat_jid TEXT NOT NULL,
        event_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        wa_message_id TEXT,
        envelope TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'parked', 'skipped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        note TEXT,
        UNIQUE (workspace_id, event_id)
      ) STRICT;
      CREATE INDEX inbox_pending ON inbox (workspace_id, session_id, chat_jid, event_id) WHERE state = 'pending';
      CREATE TABLE mirrored_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workspace_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        chat_jid TEXT NOT NULL,
        wa_message_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        slack_ts TEXT NOT NULL,
        thread_ts TEXT,
        sender TEXT NOT NULL,
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CONSTRAINT mirrored_messages_whatsapp UNIQUE (workspace_id, session_id, chat_jid, wa_message_id),
        CONSTRAINT mirrored_messages_slack UNIQUE (workspace_id, channel_id, slack_ts)
      ) STRICT;
      CREATE TABLE whatsapp_reactions (
        message_id INTEGER NOT NULL REFERENCES mirrored_messages (id) ON DELETE CASCADE,
        reactor TEXT NOT NULL,
        emoji TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (message_id, reactor)
      ) STRICT;
      CREATE TABLE poll_votes (
        message_id INTEGER NOT NULL REFERENCES mirrored_messages (id) ON DELETE CASCADE,
        voter TEXT NOT NULL,
        options TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (message_id, voter)
      ) STRICT;
      CREATE TABLE slack_reactions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id INTEGER NOT NULL REFERENCES mirrored_messages (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        at INTEGER NOT NULL,
        UNIQUE (message_id, user_id, name)
      ) STRICT;
      CREATE TABLE slack_events_seen (
        event_id TEXT PRIMARY KEY,
        seen_at INTEGER NOT NULL
      ) STRICT;
      -- Start-up settles stale pending audit entries; without this it would read the whole log.
      CREATE INDEX audit_log_pending_at ON audit_log (at) WHERE pending = 1;
    `,
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
  {
    version: 3,
    name: "the mirror: event settings and arrivals, links, inbox, message map, reactions, votes, seen Slack events",
    // Ids that are listed or compared in order are COLLATE "C", so the order is byte order (as in SQLite)
    // whatever the database's locale: event ids (evt_<ULID>) sort in the order the gateway made them.
    sql: `
      CREATE TABLE event_settings (
        workspace_id text PRIMARY KEY,
        mode text NOT NULL CHECK (mode IN ('webhook', 'realtime', 'off')),
        webhook_id text,
        webhook_url text,
        sealed_webhook_secret text,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE event_arrivals (
        workspace_id text PRIMARY KEY,
        last_event_id text COLLATE "C" NOT NULL,
        last_event_at timestamptz NOT NULL
      );
      CREATE TABLE links (
        workspace_id text NOT NULL,
        session_id text COLLATE "C" NOT NULL,
        chat_jid text COLLATE "C" NOT NULL,
        channel_id text COLLATE "C" NOT NULL,
        send_reactions boolean NOT NULL,
        paused_reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, session_id, chat_jid)
      );
      CREATE INDEX links_workspace_channel ON links (workspace_id, channel_id);
      CREATE TABLE inbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        workspace_id text NOT NULL,
        session_id text NOT NULL,
        chat_jid text NOT NULL,
        event_id text COLLATE "C" NOT NULL,
        event_type text NOT NULL,
        wa_message_id text,
        envelope text NOT NULL,
        received_at timestamptz NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'parked', 'skipped')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        note text,
        UNIQUE (workspace_id, event_id)
      );
      CREATE INDEX inbox_pending ON inbox (workspace_id, session_id, chat_jid, event_id) WHERE state = 'pending';
      CREATE TABLE mirrored_messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        workspace_id text NOT NULL,
        session_id text NOT NULL,
        chat_jid text NOT NULL,
        wa_message_id text NOT NULL,
        channel_id text NOT NULL,
        slack_ts text NOT NULL,
        thread_ts text,
        sender text NOT NULL,
        content text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT mirrored_messages_whatsapp UNIQUE (workspace_id, session_id, chat_jid, wa_message_id),
        CONSTRAINT mirrored_messages_slack UNIQUE (workspace_id, channel_id, slack_ts)
      );
      CREATE TABLE whatsapp_reactions (
        message_id bigint NOT NULL REFERENCES mirrored_messages (id) ON DELETE CASCADE,
        reactor text COLLATE "C" NOT NULL,
        emoji text NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (message_id, reactor)
      );
      CREATE TABLE poll_votes (
        message_id bigint NOT NULL REFERENCES mirrored_messages (id) ON DELETE CASCADE,
        voter text COLLATE "C" NOT NULL,
        options jsonb NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (message_id, voter)
      );
      CREATE TABLE slack_reactions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        message_id bigint NOT NULL REFERENCES mirrored_messages (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        name text NOT NULL,
        at timestamptz NOT NULL,
        UNIQUE (message_id, user_id, name)
      );
      CREATE TABLE slack_events_seen (
        event_id text PRIMARY KEY,
        seen_at timestamptz NOT NULL
      );
      -- Start-up settles stale pending audit entries; without this it would read the whole log.
      CREATE INDEX audit_log_pending_at ON audit_log (at) WHERE pending;
    `,
  },
];
