// Bounds the gateway calls in flight, fairly across workspaces: a flood from one workspace queues
// behind its own share and cannot take every slot from the others. Queues are bounded, so memory is too.
import { OverloadedError } from "../errors.js";

export interface FairLimiterOptions {
  /** Gateway calls in flight across all workspaces. */
  maxInFlight: number;
  /** Gateway calls in flight for one workspace (leaves room for the others). */
  maxInFlightPerKey: number;
  /** Calls waiting for one workspace before new ones are refused. */
  maxQueuedPerKey: number;
}

/**
 * The app's limits on gateway calls. The gateway client keeps as many connections as `maxInFlight`, so
 * a call the limiter lets through is sent at once: a second, hidden queue in the connection pool would
 * spend the call's deadline waiting, and let floods from a few workspaces delay everyone else again.
 */
export const GATEWAY_LIMITS: FairLimiterOptions = {
  maxInFlight: 64,
  maxInFlightPerKey: 16,
  maxQueuedPerKey: 500,
};

interface Waiter {
  key: string;
  start: () => void;
}

export interface FairLimiter {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  readonly inFlight: number;
  readonly queued: number;
}

export function createFairLimiter(options: FairLimiterOptions): FairLimiter {
  let inFlight = 0;
  let queued = 0;
  const inFlightByKey = new Map<string, number>();
  // Each workspace keeps its own FIFO queue; a free slot goes to the least-loaded workspace.
  const queues = new Map<string, Waiter[]>();

  const canStart = (key: string) =>
    inFlight < options.maxInFlight && (inFlightByKey.get(key) ?? 0) < options.maxInFlightPerKey;

  function acquire(key: string) {
    inFlight += 1;
    inFlightByKey.set(key, (inFlightByKey.get(key) ?? 0) + 1);
  }

  function release(key: string) {
    inFlight -= 1;
    const left = (inFlightByKey.get(key) ?? 1) - 1;
    if (left === 0) inFlightByKey.delete(key);
    else inFlightByKey.set(key, left);
    pump();
  }

  /** Of the workspaces with waiting work that may start, the one with the fewest calls in flight. */
  function nextKey(): string | undefined {
    let best: string | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (const key of queues.keys()) {
      const load = inFlightByKey.get(key) ?? 0;
      if (load < options.maxInFlightPerKey && load < bestLoad) {
        best = key;
        bestLoad = load;
      }
    }
    return best;
  }

  function pump() {
    while (inFlight < options.maxInFlight) {
      const key = nextKey();
      if (key === undefined) return;
      const queue = queues.get(key) ?? [];
      const next = queue.shift();
      // Served keys go to the back, so equal loads take turns.
      queues.delete(key);
      if (queue.length > 0) queues.set(key, queue);
      if (!next) continue;
      queued -= 1;
      acquire(next.key);
      next.start();
    }
  }

  return {
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return queued;
    },
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const runTask = () => {
        let result: Promise<T>;
        try {
          result = task();
        } catch (error) {
          result = Promise.reject(error);
        }
        return result.finally(() => release(key));
      };
      if (canStart(key) && !queues.has(key)) {
        acquire(key);
        return runTask();
      }
      const queue = queues.get(key) ?? [];
      if (queue.length >= options.maxQueuedPerKey) {
        return Promise.reject(
          new OverloadedError(
            `Too many WhatsApp actions are waiting for workspace ${key}; refused a new one`,
          ),
        );
      }
      return new Promise<T>((resolve, reject) => {
        queue.push({ key, start: () => runTask().then(resolve, reject) });
        queues.set(key, queue);
        queued += 1;
      });
    },
  };
}
