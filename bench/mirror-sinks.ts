// The fake Slack Web API the mirror posts into, run in a worker thread (mirror-sinks-worker.ts) so that
// answering it never delays the load generator's clock. It stamps every chat.postMessage on arrival with
// the WhatsApp message id its metadata carries, and can limit posts per channel (429 + Retry-After, as
// Slack does) or hold every answer (Slack paused). This file is the main thread's handle on it.
import { startTsWorker } from "./sinks.js";

/** A post Slack accepted: [WhatsApp message id, channel, arrival (epoch ms), ts given]. */
export type Post = [mid: string, channel: string, at: number, ts: string];

export interface MirrorSinkCounts {
  /** chat.postMessage calls answered ok (held ones once released). */
  posts: number;
  /** chat.postMessage calls answered 429. */
  rateLimited: number;
  /** Calls waiting for an answer while Slack is paused. */
  held: number;
}

export interface MirrorHarvest {
  posts: Post[];
  /** Every 429: [channel, arrival]. */
  rateLimited: [channel: string, at: number][];
  /** Most connections open at once from the app. */
  connectionsMax: number;
  /** Web API calls other than chat.postMessage, by method. */
  otherCalls: Record<string, number>;
}

export interface SlackBehaviour {
  /** Posts allowed per channel in any rolling second; beyond, 429 with Retry-After (whole seconds). */
  perSecond?: number | undefined;
  /** Hold every answer until paused is set false again. */
  paused?: boolean;
}

export type MirrorSinkRequest =
  | { op: "behave"; behaviour: SlackBehaviour }
  | { op: "reset" }
  | { op: "counts" }
  | { op: "harvest" }
  | { op: "close" };

export interface MirrorSinks {
  slackApiUrl: string;
  behave(behaviour: SlackBehaviour): Promise<void>;
  /** Forgets every arrival (held calls stay held). */
  reset(): Promise<void>;
  counts(): Promise<MirrorSinkCounts>;
  harvest(): Promise<MirrorHarvest>;
  close(): Promise<void>;
}

export async function startMirrorSinks(): Promise<MirrorSinks> {
  const worker = startTsWorker(new URL("./mirror-sinks-worker.ts", import.meta.url), {});
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let failed: Error | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    worker.on("message", (message: { id?: number; ready?: string; result?: unknown; error?: string }) => {
      if (message.ready !== undefined) return resolve(message.ready);
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter || message.id === undefined) return;
      pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`mirror sinks: ${message.error}`));
      else waiter.resolve(message.result);
    });
    worker.on("error", (error) => {
      failed = error;
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  const slackApiUrl = await ready;

  function call<T>(request: MirrorSinkRequest): Promise<T> {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, request });
    });
  }

  return {
    slackApiUrl,
    behave: (behaviour) => call<void>({ op: "behave", behaviour }),
    reset: () => call<void>({ op: "reset" }),
    counts: () => call<MirrorSinkCounts>({ op: "counts" }),
    harvest: () => call<MirrorHarvest>({ op: "harvest" }),
    async close() {
      await call<void>({ op: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
