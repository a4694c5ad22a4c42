// WAL checkpoints from a worker thread. What a checkpoint does is visible in the database file
// itself: until the log is copied back, a copy of the main file without its -wal holds none of the
// new rows.
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import type { AuditEntry, Store } from "../../src/store/port.js";
import { createSqliteStore } from "../../src/store/sqlite.js";
import { capturingLogger, silentLogger, tempFolder } from "../support/store-fixtures.js";

const folder = tempFolder("wa-slack-checkpoint-");
afterAll(() => folder.cleanup());
let counter = 0;
const freshFile = () => join(folder.path, `db-${++counter}`, "wa-slack.db");

function entry(n: number): AuditEntry {
  return {
    workspaceId: "T0CHECK",
    userId: "U0USER",
    operation: "react",
    sessionId: "01HZXSESSION",
    chat: "120363012345678901@g.us",
    messageId: `3EB0${String(n).padStart(16, "0")}`,
    emoji: "👍",
    outcome: { ok: true, status: "sent" },
    at: new Date(1_700_000_000_000 + n),
  };
}

async function append(store: Store, count: number): Promise<void> {
  for (let n = 0; n < count; n++) await store.appendAudit(entry(n));
}

/** Audit rows in the main database file alone, as if the -wal file were lost. */
function rowsInMainFile(file: string): number {
  const copy = `${file}.copy-${++counter}`;
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    // The schema itself may still be only in the log.
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").get();
    if (table === undefined) return 0;
    const row = db.prepare("SELECT count(*) AS n FROM audit_log").get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe("SQLite WAL checkpoints", () => {
  it("when nothing checkpoints in the background, then a few writes stay in the -wal file", async () => {
    const file = freshFile();
    const store = await createSqliteStore({ path: file }, silentLogger());
    await append(store, 50);
    await new Promise((r) => setTimeout(r, 200));
    expect(rowsInMainFile(file)).toBe(0);
    await store.close();
  });

  it("when the worker runs, then writes reach the database file without the app's connection checkpointing", async () => {
    const file = freshFile();
    const store = await createSqliteStore(
      { path: file, backgroundCheckpoints: { intervalMs: 25 } },
      silentLogger(),
    );
    await append(store, 50);
    expect(await eventually(() => rowsInMainFile(file) === 50)).toBe(true);
    await append(store, 25);
    expect(await eventually(() => rowsInMainFile(file) === 75)).toBe(true);
    await store.close();
  });

  it("when the worker runs, then the app's connection no longer checkpoints by itself", async () => {
    const file = freshFile();
    // A long interval: any checkpoint within the test would be the app connection's own.
    const store = await createSqliteStore(
      { path: file, backgroundCheckpoints: { intervalMs: 60_000 } },
      silentLogger(),
    );
    // The worker switches the app's checkpoints off once it runs; give it that moment.
    await new Promise((r) => setTimeout(r, 300));
    // Far past SQLite's 1,000-page threshold, where it would have checkpointed on the app's connection.
    await append(store, 3_000);
    expect(rowsInMainFile(file)).toBe(0);
    await store.close();
    expect(rowsInMainFile(file)).toBe(3_000);
  });

  it("when the worker cannot start, then a warning says so and SQLite checkpoints on the app's connection again", async () => {
    const file = freshFile();
    const lines: string[] = [];
    const store = await createSqliteStore(
      { path: file, backgroundCheckpoints: { intervalMs: 25, driver: "/nonexistent/better-sqlite3" } },
      capturingLogger(lines),
    );
    expect(await eventually(() => lines.some((l) => l.includes("checkpoint worker stopped")))).toBe(true);
    await append(store, 3_000);
    // The last checkpoint came at a 1,000-page boundary, so most rows are in the main file.
    expect(rowsInMainFile(file)).toBeGreaterThan(1_000);
    await store.close();
  });

  it("when the store closes, then the worker stops and no -wal file is left", async () => {
    const file = freshFile();
    const store = await createSqliteStore(
      { path: file, backgroundCheckpoints: { intervalMs: 25 } },
      silentLogger(),
    );
    await append(store, 10);
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(rowsInMainFile(file)).toBe(10);
  });
});
