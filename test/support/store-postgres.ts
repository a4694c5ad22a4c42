// PostgreSQL for tests: the server from TEST_DATABASE_URL, one fresh schema per store, dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether to skip the PostgreSQL suites: only when the server does not answer and this is not CI.
 * In CI (which has PostgreSQL) the suites run, and fail, so a broken database is never silently skipped.
 */
export async function skipWithoutPostgres(suite: string): Promise<boolean> {
  if (await answers(TEST_DATABASE_URL)) return false;
  if (process.env.CI) return false;
  console.warn(
    `[${suite}] PostgreSQL does not answer at ${redact(TEST_DATABASE_URL)}: skipping its tests (set TEST_DATABASE_URL to run them).`,
  );
  return true;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.href;
  } catch {
    return "TEST_DATABASE_URL";
  }
}

export function freshSchemaName(): string {
  return `t_${randomBytes(6).toString("hex")}`;
}

/** The adapter's documented way to put its tables in one schema. */
export function urlWithSchema(schema: string, url = TEST_DATABASE_URL): string {
  const u = new URL(url);
  u.searchParams.set("schema", schema);
  return u.href;
}

/** Runs SQL outside the adapter, e.g. to read raw rows or drop schemas. */
export async function rawQuery<R extends pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
  url = TEST_DATABASE_URL,
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  await rawQuery(schemas.map((s) => `DROP SCHEMA IF EXISTS "${s}" CASCADE;`).join("\n"));
}
