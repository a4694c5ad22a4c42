// The far ends the app talks to, run in a worker thread so that answering them never delays the load
// generator's clock: the fake WhatsApp gateway (test/support) and a minimal Slack Web API and
// response_url receiver that stamps every arrival. This file is the main thread's handle on them.
import { Worker } from "node:worker_threads";
import type { BenchTeam } from "./fixtures.js";

/** An arrival at a sink: [id, epoch ms, success?, error code]. */
export type Arrival = [id: string, at: number, ok: boolean, code: string | undefined];

export interface SinkCounts {
  responses: number;
  views: number;
  gatewayRequests: number;
  gatewayInFlight: number;
}

export interface Harvest {
  /** response_url posts by shot id. */
  responses: Arrival[];
  /** views.update calls by view id. */
  views: Arrival[];
  /** Gateway requests by WhatsApp message id (stamped by the fake gateway, 1 ms resolution). */
  gateway: [mid: string, at: number][];
  gatewayMaxInFlight: number;
  /** Most connections open at once to the Slack sink (Web API and response_url together). */
  slackConnectionsMax: number;
  /** Web API calls other than views.update, by method (fallback routes taken, auth.test). */
  otherCalls: Record<string, number>;
}

export type SinkRequest =
  | { op: "setLatency"; ms: number }
  | { op: "watch"; on: boolean }
  | { op: "reset" }
  | { op: "counts" }
  | { op: "harvest" }
  | { op: "close" };

export interface SinkReady {
  gatewayUrl: string;
  slackApiUrl: string;
  responseBase: string;
}

export interface Sinks extends SinkReady {
  /**
   * Resolves when the result for this response_url id (or view id) arrives. Only while watching
   * (`watch(true)`); ids are announced in batches, so this adds well under a millisecond.
   */
  resultOf(id: string): Promise<void>;
  watch(on: boolean): Promise<void>;
  setLatency(ms: number): Promise<void>;
  /** Forgets every arrival and the gateway's max-in-flight figure. */
  reset(): Promise<void>;
  counts(): Promise<SinkCounts>;
  harvest(): Promise<Harvest>;
  close(): Promise<void>;
}

interface SinkMessage {
  id?: number;
  ready?: SinkReady;
  arrivals?: string[];
  result?: unknown;
  error?: string;
}

/** A worker thread running a TypeScript module of the bench (`entry`, a file URL). */
export function startTsWorker(entry: URL, workerData: unknown): Worker {
  // Node 20 does not pass tsx's loader to workers: register it inside, then load the TypeScript entry.
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};
register();
await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData });
}

export async function startSinks(teams: readonly BenchTeam[], fastLatencyMs: number): Promise<Sinks> {
  const worker = startTsWorker(new URL("./sinks-worker.ts", import.meta.url), {
    teams,
    latencyMs: fastLatencyMs,
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let failed: Error | undefined;
  const waiting = new Map<string, () => void>();
  const arrived = new Set<string>();
  const ready = new Promise<SinkReady>((resolve, reject) => {
    worker.on("message", (message: SinkMessage) => {
      if (message.ready) return resolve(message.ready);
      if (message.arrivals) {
        for (const id of message.arrivals) {
          const wake = waiting.get(id);
          if (wake) {
            waiting.delete(id);
            wake();
          } else arrived.add(id);
        }
        return;
      }
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter || message.id === undefined) return;
      pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`sinks: ${message.error}`));
      else waiter.resolve(message.result);
    });
    worker.on("error", (error) => {
      failed = error;
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  const info = await ready;

  function call<T>(request: SinkRequest): Promise<T> {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, request });
    });
  }

  return {
    ...info,
    resultOf(id) {
      if (arrived.delete(id)) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.set(id, resolve));
    },
    async watch(on) {
      await call<void>({ op: "watch", on });
      if (!on) {
        arrived.clear();
        for (const wake of waiting.values()) wake();
        waiting.clear();
      }
    },
    setLatency: (ms) => call<void>({ op: "setLatency", ms }),
    reset: () => call<void>({ op: "reset" }),
    counts: () => call<SinkCounts>({ op: "counts" }),
    harvest: () => call<Harvest>({ op: "harvest" }),
    async close() {
      await call<void>({ op: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
