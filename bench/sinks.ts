// The far ends the app talks to, run in a worker thread so that answering them never delays the load
// generator's clock: the gateway simulator (src/sandbox/gateway) and a minimal Slack Web API and
// response_url receiver that stamps every arrival. This file is the main thread's handle on them.
import type { BenchTeam } from "./fixtures.js";
import { startWorkerRpc } from "./worker-rpc.js";

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

export async function startSinks(teams: readonly BenchTeam[], fastLatencyMs: number): Promise<Sinks> {
  const waiting = new Map<string, () => void>();
  const arrived = new Set<string>();
  const rpc = startWorkerRpc<SinkReady, SinkRequest>(
    new URL("./sinks-worker.ts", import.meta.url),
    { teams, latencyMs: fastLatencyMs },
    {
      name: "sinks",
      onOther(message) {
        for (const id of (message.arrivals as string[] | undefined) ?? []) {
          const wake = waiting.get(id);
          if (wake) {
            waiting.delete(id);
            wake();
          } else arrived.add(id);
        }
      },
    },
  );
  const info = await rpc.ready;
  const { call } = rpc;

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
    close: rpc.close,
  };
}
