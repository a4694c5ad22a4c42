import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/errors.js";
import { createStore } from "../../src/store/create-store.js";
import { SQLITE_MIGRATIONS } from "../../src/store/migrations.js";
import { createSqliteStore } from "../../src/store/sqlite.js";
import { capturingLogger, silentLogger, tempFolder } from "../support/store-fixtures.js";
import { expectUpgradedToMirror, mirrorContract } from "./mirror-contract.js";
import { storeContract } from "./store-contract.js";

const folder = tempFolder("wa-slack-sqlite-");
afterAll(() => folder.cleanup());
let counter = 0;
const freshFile = () => join(folder.path, `db-${++counter}`, "wa-slack.db");

async function freshSubject() {
  const file = freshFile();
  return {
    store: await createStore(`sqlite:${file}`, silentLogger()),
    reopen: () => createStore(`sqlite:${file}`, silentLogger()),
  };
}

storeContract("SQLite", freshSubject);
mirrorContract("SQLite", freshSubject);

describe("SQLite adapter", () => {
  it("when the URL is relative, then the file is made under cwd, folder included", async () => {
    const cwd = join(folder.path, "relative");
    const store = await createStore("sqlite:data/nested/wa-slack.db", silentLogger(), { cwd });
    await store.close();
    expect(readFileSync(join(cwd, "data/nested/wa-slack.db")).subarray(0, 15).toString()).toBe(
      "SQLite format 3",
    );
  });

  it("when the URL is sqlite::memory:, then a working throwaway store opens", async () => {
    const store = await createStore("sqlite::memory:", silentLogger());
    await store.putWorkspace({
      workspaceId: "T0MEM",
      sealedApiKey: null,
      defaultSessionId: null,
      visibility: "ephemeral",
      updatedBy: "cli",
      updatedAt: new Date(0),
    });
    expect(await store.getWorkspace("T0MEM")).toBeDefined();
    expect(store.kind).toBe("sqlite");
    await store.close();
  });

  it("when the file is opened, then it is in WAL mode with one row per applied migration", async () => {
    const file = freshFile();
    await (await createStore(`sqlite:${file}`, silentLogger())).close();
    await (await createStore(`sqlite:${file}`, silentLogger())).close();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
      const versions = raw.prepare("SELECT version FROM schema_migrations ORDER BY version").all();
      expect(versions).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version })));
      const indexes = raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'")
        .all();
      expect(indexes).toContainEqual({ name: "audit_log_workspace_at" });
    } finally {
      raw.close();
    }
  });

  it("when a newer app adds a migration, then reopening applies only that one and keeps the data", async () => {
    const file = freshFile();
    const first = await createStore(`sqlite:${file}`, silentLogger());
    await first.appendAudit({
      workspaceId: "T0UP",
      userId: "U1",
      operation: "unreact",
      sessionId: "S",
      chat: "c",
      messageId: "m",
      outcome: { ok: true, status: "sent" },
      at: new Date(1_000),
    });
    await first.close();
    const lines: string[] = [];
    const upgraded = await createSqliteStore(
      {
        path: file,
        migrations: [
          ...SQLITE_MIGRATIONS,
          { version: 999, name: "add a note column", sql: "ALTER TABLE audit_log ADD COLUMN note TEXT" },
        ],
      },
      capturingLogger(lines),
    );
    expect(await upgraded.listAudit({ workspaceId: "T0UP", limit: 5 })).toHaveLength(1);
    await upgraded.close();
    expect(lines.filter((l) => l.includes("applied migration"))).toHaveLength(1);
    expect(lines[0]).toContain("add a note column");
  });

  it("when a database from before the mirror is opened, then the mirror's tables are added and the data is kept", async () => {
    const file = freshFile();
    mkdirSync(dirname(file), { recursive: true });
    const old = new Database(file);
    // As the app of migration 2 left it.
    old.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    );
    for (const migration of SQLITE_MIGRATIONS.filter((m) => m.version <= 2)) {
      old.exec(migration.sql);
      old.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(migration.version, migration.name, 0);
    }
    old.prepare("INSERT INTO workspaces VALUES ('T0OLD', 'sealed-key', 'S', 'channel', 'cli', 1000)").run();
    old
      .prepare(
        "INSERT INTO audit_log (workspace_id, user_id, operation, session_id, chat, message_id, emoji, options, ok, status, error_code, at, pending) VALUES ('T0OLD', 'U1', 'react', 'S', 'c', 'm', '👍', NULL, 0, NULL, NULL, 2000, 1)",
      )
      .run();
    old.close();

    const lines: string[] = [];
    const store = await createSqliteStore({ path: file }, capturingLogger(lines));
    try {
      await expectUpgradedToMirror(store);
    } finally {
      await store.close();
    }
    expect(lines.filter((l) => l.includes("applied migration")).map((l) => JSON.parse(l).version)).toEqual([
      3,
    ]);
  });

  it("when a mirrored message is deleted, then its reactions, votes and Slack reactions go with it", async () => {
    const file = freshFile();
    const store = await createStore(`sqlite:${file}`, silentLogger());
    const key = { workspaceId: "T0FK", sessionId: "S", chatJid: "1@g.us" };
    await store.acceptEvent({
      ...key,
      eventId: "evt_1",
      eventType: "message.received",
      waMessageId: "W1",
      envelope: "{}",
      receivedAt: new Date(0),
    });
    const [pending] = await store.pendingEvents(key, 1);
    const mirrored = await store.recordMirrored(
      {
        ...key,
        waMessageId: "W1",
        channelId: "C1",
        slackTs: "1.1",
        threadTs: null,
        sender: "",
        content: "{}",
      },
      pending?.id ?? -1,
    );
    await store.setWhatsAppReaction(mirrored.id, "", "👍", new Date(1));
    await store.setPollVote(mirrored.id, "", ["A"], new Date(1));
    await store.addSlackReaction(mirrored.id, { userId: "U1", name: "tada", at: new Date(1) });
    await store.close();
    const raw = new Database(file);
    try {
      raw.pragma("foreign_keys = ON");
      raw.prepare("DELETE FROM mirrored_messages WHERE id = ?").run(mirrored.id);
      for (const table of ["whatsapp_reactions", "poll_votes", "slack_reactions"]) {
        expect(raw.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
      }
    } finally {
      raw.close();
    }
  });

  it("when an event is parked with a note, then its row keeps why", async () => {
    const file = freshFile();
    const store = await createStore(`sqlite:${file}`, silentLogger());
    const key = { workspaceId: "T0NOTE", sessionId: "S", chatJid: "1@g.us" };
    await store.acceptEvent({
      ...key,
      eventId: "evt_1",
      eventType: "x",
      waMessageId: null,
      envelope: "{}",
      receivedAt: new Date(0),
    });
    const [pending] = await store.pendingEvents(key, 1);
    await store.recordEventFailure(pending?.id ?? -1, "boom");
    await store.finishEvent(pending?.id ?? -1, "parked", "gave up after 1 attempt");
    await store.close();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.prepare("SELECT state, attempts, last_error, note FROM inbox").all()).toEqual([
        { state: "parked", attempts: 1, last_error: "boom", note: "gave up after 1 attempt" },
      ]);
    } finally {
      raw.close();
    }
  });

  it("when the path lies under a regular file, then createStore rejects with StoreUnavailableError naming the path", async () => {
    const blocker = join(folder.path, "not-a-folder");
    writeFileSync(blocker, "x");
    const attempt = createStore(`sqlite:${blocker}/db/wa-slack.db`, silentLogger());
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toThrow(/not-a-folder.*writable/s);
  });

  it("when another process holds the write lock past the busy timeout, then a write rejects with StoreUnavailableError, reads still answer, and ping says it can't take writes until the lock is gone", async () => {
    const file = freshFile();
    const store = await createStore(`sqlite:${file}`, silentLogger(), { busyTimeoutMs: 50 });
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    try {
      await expect(
        store.putWorkspace({
          workspaceId: "T0LOCK",
          sealedApiKey: null,
          defaultSessionId: null,
          visibility: "channel",
          updatedBy: "cli",
          updatedAt: new Date(),
        }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
      // WAL: readers still answer while a writer holds the lock; readiness means writes, so ping says no.
      await expect(store.getWorkspace("T0LOCK")).resolves.toBeUndefined();
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      other.exec("ROLLBACK");
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      if (other.inTransaction) other.exec("ROLLBACK");
      other.close();
      await store.close();
    }
  });

  it("when the file is not a database, then createStore rejects with StoreUnavailableError", async () => {
    const file = join(folder.path, "garbage.db");
    writeFileSync(
      file,
      "this is not a database file, just text that is long enough to have a header".repeat(20),
    );
    await expect(createStore(`sqlite:${file}`, silentLogger())).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
