// A bench module run in a worker thread, and the main thread's requests to it: each request carries an
// id, the worker answers `{ id, result }` or `{ id, error }`, and says `{ ready }` once it serves. Both
// fakes of the bench (sinks.ts, mirror-sinks.ts) run this way, so that answering the app never delays
// the load generator's clock.
import { Worker } from "node:worker_threads";

interface RpcMessage<Ready> {
  id?: number;
  ready?: Ready;
  result?: unknown;
  error?: string;
}

export interface WorkerRpc<Ready, Request> {
  ready: Promise<Ready>;
  call<T>(request: Request): Promise<T>;
  /** Asks the worker to close (`{ op: "close" }`), then ends the thread. */
  close(): Promise<void>;
}

/** A worker thread running a TypeScript module of the bench (`entry`, a file URL). */
function startTsWorker(entry: URL, workerData: unknown): Worker {
  // Node 20 does not pass tsx's loader to workers: register it inside, then load the TypeScript entry.
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};
register();
await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData });
}

/**
 * Starts `entry` in a worker. `name` prefixes the errors it reports; `onOther` gets the messages that
 * are neither `ready` nor an answer (the sinks' batches of arrivals).
 */
export function startWorkerRpc<Ready, Request extends { op: string }>(
  entry: URL,
  workerData: unknown,
  options: { name: string; onOther?: (message: Record<string, unknown>) => void },
): WorkerRpc<Ready, Request> {
  const worker = startTsWorker(entry, workerData);
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let failed: Error | undefined;
  const ready = new Promise<Ready>((resolve, reject) => {
    worker.on("message", (message: RpcMessage<Ready>) => {
      if (message.ready !== undefined) return resolve(message.ready);
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter || message.id === undefined) {
        options.onOther?.(message as Record<string, unknown>);
        return;
      }
      pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`${options.name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
    worker.on("error", (error) => {
      failed = error;
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });

  function call<T>(request: Request): Promise<T> {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, request });
    });
  }

  return {
    ready,
    call,
    async close() {
      await call<void>({ op: "close" } as Request).catch(() => undefined);
      await worker.terminate();
    },
  };
}
