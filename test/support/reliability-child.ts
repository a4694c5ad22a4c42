// The built app (`node dist/main.js`) as a child process, as an operator runs it: its JSON log lines,
// its exit, and a build first when a source changed since the last build.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ENTRY = join(ROOT, "dist", "main.js");

/** Builds dist/ with the project's own build when a source changed since the last build (as npm start does). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--if-stale"], {
    cwd: ROOT,
    stdio: "pipe",
  });
}

export interface ChildApp {
  readonly child: ChildProcess;
  /** Every stdout line, parsed when it is JSON (pino writes one object a line when stdout is not a TTY). */
  readonly lines: { raw: string; json: Record<string, unknown> | undefined; at: number }[];
  readonly stderr: string[];
  /** Resolves with the first line matching, waiting for it. */
  waitForLine(
    match: (json: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal's name) and when it came. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export function spawnBuiltApp(env: Record<string, string>, cwd: string): ChildApp {
  const child = spawn(process.execPath, [ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: ChildApp["lines"] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  let pending = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const raw = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      lines.push({ raw, json, at: Date.now() });
      newline = pending.indexOf("\n");
    }
    for (const w of waiters) w();
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => void stderr.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => {
      child.once("exit", (code, signal) => {
        resolve({ code, signal, at: Date.now() });
        for (const w of waiters) w();
      });
    },
  );

  return {
    child,
    lines,
    stderr,
    exited,
    waitForLine(match, timeoutMs = 15_000) {
      const find = () => lines.find((l) => l.json !== undefined && match(l.json))?.json;
      const found = find();
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const check = () => {
          const value = find();
          if (value) {
            cleanup();
            resolve(value);
          } else if (child.exitCode !== null) {
            cleanup();
            reject(new Error(`the app exited (${child.exitCode}) before the line came: ${stderr.join("")}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for a log line; stderr: ${stderr.join("")}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
  };
}
