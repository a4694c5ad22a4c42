// The fake Slack Web API the mirror posts into, run in a worker thread (mirror-sinks-worker.ts) so that
// answering it never delays the load generator's clock. It stamps every chat.postMessage on arrival with
// the WhatsApp message id its metadata carries, and can limit posts per channel (429 + Retry-After, as
// Slack does) or hold every answer (Slack paused). This file is the main thread's handle on it.
import { startWorkerRpc } from "./worker-rpc.js";

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
  const rpc = startWorkerRpc<string, MirrorSinkRequest>(
    new URL("./mirror-sinks-worker.ts", import.meta.url),
    {},
    {
      name: "mirror sinks",
    },
  );
  const slackApiUrl = await rpc.ready;
  const { call } = rpc;

  return {
    slackApiUrl,
    behave: (behaviour) => call<void>({ op: "behave", behaviour }),
    reset: () => call<void>({ op: "reset" }),
    counts: () => call<MirrorSinkCounts>({ op: "counts" }),
    harvest: () => call<MirrorHarvest>({ op: "harvest" }),
    close: rpc.close,
  };
}
