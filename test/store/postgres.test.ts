import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, StoreUnavailableError } from "../../src/errors.js";
import { createStore } from "../../src/store/create-store.js";
import { POSTGRES_MIGRATIONS } from "../../src/store/migrations.js";
import type { Store } from "../../src/store/port.js";
import { createPostgresStore } from "../../src/store/postgres.js";
import { capturingLogger, silentLogger } from "../support/store-fixtures.js";
import {
  dropSchemas,
  freshSchemaName,
  rawQuery,
  skipWithoutPostgres,
  TEST_DATABASE_URL,
  urlWithSchema,
} from "../support/store-postgres.js";
import { startTcpProxy } from "../support/store-tcp-proxy.js";
import { storeContract } from "./store-contract.js";

const skip = await skipWithoutPostgres("postgres.test.ts");
const schemas: string[] = [];
afterAll(async () => {
  if (!skip) await dropSchemas(schemas);
});

function freshUrl(): string {
  const schema = freshSchemaName();
  schemas.push(schema);
  return urlWithSchema(schema);
}

describe("PostgreSQL adapter without a server", () => {
  it("when nothing listens on the port, then createStore rejects with StoreUnavailableError that hides the password", async () => {
    const attempt = createStore("postgres://wa:s3cret-pass@127.0.0.1:1/wa_slack", silentLogger());
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("postgres://wa@127.0.0.1:1/wa_slack");
    expect(error.message).toContain("Check that PostgreSQL is running");
    expect(error.message).not.toContain("s3cret-pass");
  });

  it("when the schema name is not a plain identifier, then createStore refuses it as a configuration error", async () => {
    const attempt = createStore(
      `${TEST_DATABASE_URL}?schema=${encodeURIComponent('x"; DROP TABLE y; --')}`,
      silentLogger(),
    );
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/schema name/);
  });
});

describe.skipIf(skip)("PostgreSQL adapter", () => {
  storeContract("PostgreSQL", async () => {
    const url = freshUrl();
    return { store: await createStore(url, silentLogger()), reopen: () => createStore(url, silentLogger()) };
  });

  it("when several instances start at once, then each migration is applied exactly once", async () => {
    const url = freshUrl();
    const stores = await Promise.all(Array.from({ length: 5 }, () => createStore(url, silentLogger())));
    try {
      const schema = new URL(url).searchParams.get("schema");
      const rows = await rawQuery<{ version: number }>(
        `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
      );
      expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })));
      expect(stores.every((s) => s.kind === "postgres")).toBe(true);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it("when the schema parameter is given, then the tables live in that schema only", async () => {
    const url = freshUrl();
    const store = await createStore(url, silentLogger());
    await store.close();
    const schema = new URL(url).searchParams.get("schema");
    const tables = await rawQuery<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      "audit_log",
      "installations",
      "schema_migrations",
      "workspaces",
    ]);
  });

  it("when a newer app adds a migration, then reopening applies only that one", async () => {
    const url = freshUrl();
    await (await createStore(url, silentLogger())).close();
    const lines: string[] = [];
    const upgraded = await createPostgresStore(
      {
        url,
        migrations: [
          ...POSTGRES_MIGRATIONS,
          { version: 999, name: "add a note column", sql: "ALTER TABLE audit_log ADD COLUMN note text" },
        ],
      },
      capturingLogger(lines),
    );
    await upgraded.close();
    expect(lines.filter((l) => l.includes("applied migration"))).toHaveLength(1);
    expect(lines[0]).toContain("add a note column");
  });

  it("when the database does not exist, then createStore rejects with StoreUnavailableError saying so", async () => {
    const u = new URL(TEST_DATABASE_URL);
    u.pathname = "/wa_slack_no_such_database";
    const attempt = createStore(u.href, silentLogger());
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toThrow(/Create the database/);
  });

  it("when the database goes away after start, then every method rejects with StoreUnavailableError", async () => {
    const target = new URL(TEST_DATABASE_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(freshUrl());
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const lines: string[] = [];
    const store = await createStore(viaProxy.href, capturingLogger(lines, "warn"));
    try {
      await store.ping();
      await proxy.cut();
      const calls: Array<[string, (s: Store) => Promise<unknown>]> = [
        ["ping", (s) => s.ping()],
        ["getWorkspace", (s) => s.getWorkspace("T0X")],
        ["listWorkspaces", (s) => s.listWorkspaces()],
        [
          "putWorkspace",
          (s) =>
            s.putWorkspace({
              workspaceId: "T0X",
              sealedApiKey: null,
              defaultSessionId: null,
              visibility: "channel",
              updatedBy: "cli",
              updatedAt: new Date(),
            }),
        ],
        ["deleteWorkspace", (s) => s.deleteWorkspace("T0X")],
        ["getInstallation", (s) => s.getInstallation("T0X")],
        [
          "putInstallation",
          (s) =>
            s.putInstallation({
              installationId: "T0X",
              isEnterpriseInstall: false,
              sealedInstallation: "x",
              updatedAt: new Date(),
            }),
        ],
        ["deleteInstallation", (s) => s.deleteInstallation("T0X")],
        ["listInstallations", (s) => s.listInstallations()],
        [
          "appendAudit",
          (s) =>
            s.appendAudit({
              workspaceId: "T0X",
              userId: "U",
              operation: "react",
              sessionId: "S",
              chat: "c",
              messageId: "m",
              emoji: "👍",
              outcome: { ok: true, status: "sent" },
              at: new Date(),
            }),
        ],
        ["listAudit", (s) => s.listAudit({ workspaceId: "T0X", limit: 1 })],
      ];
      for (const [name, call] of calls) {
        const error = await call(store).then(
          () => new Error(`${name} resolved`),
          (e: unknown) => e,
        );
        expect(error, name).toBeInstanceOf(StoreUnavailableError);
        expect((error as Error).message, name).toContain(`127.0.0.1:${proxy.port}`);
      }
    } finally {
      await store.close();
    }
  });
});
