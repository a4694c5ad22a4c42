// Child processes under test (the app as `npm start` runs it, the bare Bolt floor) and what the
// kernel says about them: resident memory and CPU time from /proc.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { request } from "undici";
import { now, sleep } from "./stats.js";

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  name: string;
  pid: number;
  url: string;
  spawnedAt: number;
  logPath: string;
  proc: ChildProcess;
  exit: Promise<ExitInfo>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnOptions {
  name: string;
  /** Arguments to `node`. */
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  /** stdout and stderr go here, as they would to a log collector. */
  logPath: string;
}

export function spawnNode(options: SpawnOptions): ChildHandle {
  const log = openSync(options.logPath, "a");
  const spawnedAt = now();
  const proc = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const exit = new Promise<ExitInfo>((resolve) => {
    proc.once("exit", (code, signal) => resolve({ code, signal }));
  });
  if (proc.pid === undefined) throw new Error(`could not start ${options.name}`);
  return {
    name: options.name,
    pid: proc.pid,
    url: `http://127.0.0.1:${options.port}`,
    spawnedAt,
    logPath: options.logPath,
    proc,
    exit,
  };
}

/** Polls `path` every 5 ms; resolves with the milliseconds from spawn to the first 200. */
export async function waitReady(child: ChildHandle, path: string, timeoutMs = 20_000): Promise<number> {
  let exited: ExitInfo | undefined;
  void child.exit.then((info) => {
    exited = info;
  });
  const deadline = child.spawnedAt + timeoutMs;
  while (now() < deadline) {
    if (exited) {
      throw new Error(
        `${child.name} exited (code ${exited.code}, signal ${exited.signal}) before it was ready; see ${child.logPath}`,
      );
    }
    try {
      const res = await request(`${child.url}${path}`, { headersTimeout: 1000, bodyTimeout: 1000 });
      await res.body.dump();
      if (res.statusCode === 200) return now() - child.spawnedAt;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  throw new Error(`${child.name} was not ready within ${timeoutMs} ms; see ${child.logPath}`);
}

/** SIGTERM, then SIGKILL after `timeoutMs`. */
export async function stopChild(child: ChildHandle, timeoutMs = 20_000): Promise<ExitInfo & { ms: number }> {
  const started = now();
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill("SIGTERM");
  const timer = setTimeout(() => child.proc.kill("SIGKILL"), timeoutMs);
  const info = await child.exit;
  clearTimeout(timer);
  return { ...info, ms: now() - started };
}

function statusField(pid: number, field: string): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** Resident set size in MiB. */
export function rssMb(pid: number): number | undefined {
  return statusField(pid, "VmRSS");
}

/** Peak resident set size since start, in MiB. */
export function peakRssMb(pid: number): number | undefined {
  return statusField(pid, "VmHWM");
}

/** User + system CPU seconds the process has used (all its threads). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of proc(5), counted from the state (field 3); USER_HZ is 100 on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Samples RSS every `everyMs` until stopped. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number[] } {
  const samples: number[] = [];
  const take = () => {
    const value = rssMb(pid);
    if (value !== undefined) samples.push(value);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** CPU seconds all CPUs spent busy since boot (/proc/stat; USER_HZ 100). */
export function systemBusySeconds(): number {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const [, ...fields] = line.trim().split(/\s+/);
    const ticks = fields.map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return (total - idle) / 100;
  } catch {
    return 0;
  }
}

function ownCpuSeconds(pids: readonly number[]): number {
  const self = process.cpuUsage();
  return (self.user + self.system) / 1e6 + pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
}

export interface CpuUse {
  /** % of one core. */
  childPct: number;
  benchPct: number;
  /** CPU used by processes that are not part of the bench (another job on the machine). */
  othersPct: number;
  wallSeconds: number;
}

/** CPU use of a child, of this process, and of everything else on the machine over a phase. */
export function cpuMeter(pid: number, ownPids: readonly number[]): { stop(): CpuUse } {
  const started = now();
  const child0 = cpuSeconds(pid) ?? 0;
  const self0 = process.cpuUsage();
  const system0 = systemBusySeconds();
  const own0 = ownCpuSeconds(ownPids);
  return {
    stop() {
      const wall = (now() - started) / 1000;
      const child = (cpuSeconds(pid) ?? child0) - child0;
      const self = process.cpuUsage(self0);
      const others = systemBusySeconds() - system0 - (ownCpuSeconds(ownPids) - own0);
      return {
        childPct: (100 * child) / wall,
        benchPct: (100 * (self.user + self.system)) / 1e6 / wall,
        othersPct: Math.max(0, (100 * others) / wall),
        wallSeconds: wall,
      };
    },
  };
}

/**
 * Waits (up to `maxWaitMs`) until other processes on the machine use less than `maxOthersPct` of a core
 * over half a second, so that a round does not start while another job runs. Returns the % last seen.
 */
export async function waitForQuiet(
  ownPids: readonly number[],
  maxOthersPct = 20,
  maxWaitMs = 30_000,
): Promise<number> {
  const deadline = now() + maxWaitMs;
  let othersPct = 0;
  do {
    const meter = cpuMeter(ownPids[0] ?? process.pid, ownPids);
    await sleep(500);
    othersPct = meter.stop().othersPct;
    if (othersPct < maxOthersPct) return othersPct;
  } while (now() < deadline);
  return othersPct;
}

/**
 * What package.json's `start` script runs (`node <flags> <entry>`), so the bench runs the app exactly as
 * `npm start` does. Fails loudly if the script takes another shape.
 */
export function startScript(root: string): { flags: string[]; entry: string } {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts?: { start?: string };
  };
  const match = /^node((?:\s+--[^\s]+)*)\s+(\S+\.js)$/.exec(pkg.scripts?.start?.trim() ?? "");
  if (!match?.[2])
    throw new Error('package.json "start" is not `node [--flags] <file>.js`; bench/processes.ts reads it');
  return { flags: (match[1] ?? "").split(/\s+/).filter((flag) => flag !== ""), entry: match[2] };
}
