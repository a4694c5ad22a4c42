// Picks the store adapter from DATABASE_URL and opens it (applying migrations).
import { ConfigError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Store } from "./port.js";
import { createSqliteStore } from "./sqlite.js";

export interface CreateStoreOptions {
  /** Folder that a relative `sqlite:` path is relative to; defaults to the process's working folder. */
  cwd?: string | undefined;
  /** SQLite: how long a write waits for another process's lock (default 5 s). */
  busyTimeoutMs?: number | undefined;
  /** SQLite: checkpoint the WAL from a worker thread (the app; not the CLI). */
  backgroundCheckpoints?: boolean | undefined;
  /** PostgreSQL: connect timeout (default 2 s) and statement timeout (default 5 s). */
  connectionTimeoutMs?: number | undefined;
  statementTimeoutMs?: number | undefined;
}

/**
 * `sqlite:<path>` (relative to cwd; `sqlite::memory:` for a throwaway database) or
 * `postgres://…` / `postgresql://…` (optionally `?schema=<name>`).
 * Rejects with StoreUnavailableError when the database cannot be opened or reached, and with ConfigError
 * when the URL itself is unusable.
 */
export async function createStore(
  databaseUrl: string,
  logger: Logger,
  options: CreateStoreOptions = {},
): Promise<Store> {
  const url = databaseUrl.trim();
  if (url.startsWith("sqlite:")) {
    // `sqlite:///abs/path` is accepted too, as the URL-shaped spelling of `sqlite:/abs/path`.
    const rest = url.slice("sqlite:".length);
    const path = rest.startsWith("//") ? rest.slice(2) : rest;
    if (path === "")
      throw new ConfigError(["DATABASE_URL sqlite: needs a file path, e.g. sqlite:data/wa-slack.db"]);
    return createSqliteStore(
      {
        path,
        cwd: options.cwd,
        busyTimeoutMs: options.busyTimeoutMs,
        backgroundCheckpoints: options.backgroundCheckpoints,
      },
      logger,
    );
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    // Loaded only here: a SQLite deployment never pays for pg at start-up.
    const { createPostgresStore } = await import("./postgres.js");
    return createPostgresStore(
      {
        url,
        connectionTimeoutMs: options.connectionTimeoutMs,
        statementTimeoutMs: options.statementTimeoutMs,
      },
      logger,
    );
  }
  // config.ts validates DATABASE_URL first; this only guards direct callers.
  throw new ConfigError(["DATABASE_URL must be sqlite:<path> or postgres://… / postgresql://…"]);
}
