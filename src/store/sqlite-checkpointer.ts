// WAL checkpoints off the event loop. Left to itself, SQLite checkpoints at the end of whichever
// commit makes the log pass 1,000 pages: it copies the log into the database file and fsyncs it,
// 4–5 ms every ~250 actions, on the event loop, while acknowledgements wait (bench/findings.md).
// Here a worker thread with its own connection checkpoints on a timer instead, and the app's
// connection never does. If the worker cannot run, SQLite's own checkpoints are switched back on:
// slower, never unbounded.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import type { Logger } from "../logger.js";

export interface CheckpointerOptions {
  /** How often the worker checkpoints (default 500 ms). */
  intervalMs?: number | undefined;
  /** Module the worker loads the driver from (tests point it elsewhere to make the worker fail). */
  driver?: string | undefined;
}

export interface Checkpointer {
  /** Stops the worker after a last checkpoint; the app's connection can then close on its own. */
  close(): Promise<void>;
}

/** SQLite's default: checkpoint when the log passes this many pages. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
const DEFAULT_INTERVAL_MS = 500;
/** A worker that has not stopped by then (a checkpoint stuck on a failing disk) is terminated. */
const CLOSE_TIMEOUT_MS = 2_000;

// Plain CommonJS evaluated in the worker: no file to find next to dist/ or src/, under node or vitest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// A checkpoint that finds the writer busy does what it can and tries again next time.
db.pragma("busy_timeout = 0");
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    if (!/^SQLITE_(BUSY|LOCKED)/.test(String(error && error.code))) throw error;
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
parentPort.postMessage("ready");
`;

export function startCheckpointer(
  db: Database.Database,
  file: string,
  logger: Logger,
  options: CheckpointerOptions = {},
): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      driver: options.driver ?? createRequire(import.meta.url).resolve("better-sqlite3"),
      intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
    },
    // Its heap is one connection and a timer.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  // Until the worker says it runs, the app's connection keeps checkpointing for itself.
  worker.once("message", () => {
    if (!stopping) db.pragma("wal_autocheckpoint = 0");
  });
  let stopping = false;
  worker.on("error", (error) => {
    if (stopping || !db.open) return;
    db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    logger.warn(
      { err: error },
      "the SQLite checkpoint worker stopped; SQLite checkpoints on the app's connection again",
    );
  });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  // A worker never keeps the process alive: the store's close() ends it.
  worker.unref();

  return {
    async close() {
      if (stopping) return exited;
      stopping = true;
      worker.postMessage("stop");
      const stuck = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
      await exited;
      clearTimeout(stuck);
    },
  };
}
