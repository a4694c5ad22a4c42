// The chat queue for one app process (SQLite): chats run concurrently up to a bound, each chat one run
// at a time, a failed chat retried with jittered exponential backoff for as long as it keeps failing
// (the processor parks poison events itself, so giving up on a chat would only strand good ones).
import type { Logger } from "../../logger.js";
import type { ChatKey, MirrorStore } from "../../store/mirror-port.js";
import {
  type ChatQueue,
  chatKeyOf,
  chatQueueName,
  checkConcurrency,
  DEFAULT_CONCURRENCY,
  DEFAULT_DRAIN_MS,
  type ProcessChat,
  type RunRest,
} from "./chat-queue.js";

export interface RetrySettings {
  /** Ceiling of the first retry delay; it doubles with each failure in a row. */
  baseMs: number;
  /** Largest retry delay. */
  maxMs: number;
}

export interface InProcessQueueOptions {
  processChat: ProcessChat;
  store: Pick<MirrorStore, "chatsWithPendingEvents">;
  logger: Logger;
  /** Default 1 s doubling up to 5 minutes. */
  retry?: RetrySettings | undefined;
  /** How many chats run at once (default 8). */
  concurrency?: number | undefined;
  /** Math.random unless a test needs the jitter pinned. */
  random?: (() => number) | undefined;
}

const DEFAULT_RETRY: RetrySettings = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** `queued`: due, waiting for a free slot. `running`: in processChat. `retrying`: waiting out a backoff or a rest. */
type Phase = "queued" | "running" | "retrying";

interface ChatState {
  key: ChatKey;
  phase: Phase;
  /** Scheduled while running: run once more afterwards. */
  again: boolean;
  /** Failed runs in a row. */
  failures: number;
  timer: NodeJS.Timeout | undefined;
}

export function createInProcessQueue(options: InProcessQueueOptions): ChatQueue {
  const { processChat, store } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const random = options.random ?? Math.random;
  checkConcurrency(concurrency);
  if (!(retry.baseMs > 0) || !(retry.maxMs >= retry.baseMs)) {
    throw new RangeError(
      `retry needs 0 < baseMs <= maxMs (got baseMs ${retry.baseMs}, maxMs ${retry.maxMs})`,
    );
  }
  const logger = options.logger.child({ queue: "in-process" });

  /** Every chat with a run due, under way or waiting for a retry; a chat with nothing to do is absent. */
  const chats = new Map<string, ChatState>();
  /** Names of queued chats, oldest first (a Set keeps insertion order). */
  const ready = new Set<string>();
  const runs = new Set<Promise<void>>();
  let state: "new" | "started" | "stopped" = "new";
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  function retryDelay(failures: number): number {
    const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(failures - 1, 52));
    // Half fixed, half random: chats that failed together (Slack down) do not all come back together.
    return Math.round(ceiling / 2 + (ceiling / 2) * random());
  }

  function enqueue(name: string, chat: ChatState): void {
    chat.phase = "queued";
    ready.add(name);
    pump();
  }

  function pump(): void {
    if (state !== "started") return;
    for (const name of ready) {
      if (runs.size >= concurrency) return;
      ready.delete(name);
      const chat = chats.get(name);
      if (chat !== undefined) startRun(name, chat);
    }
  }

  function startRun(name: string, chat: ChatState): void {
    chat.phase = "running";
    // Deferred, so the processor never runs inside the schedule() call of whoever stored the event.
    const run = Promise.resolve(chat.key)
      .then(processChat)
      .then(
        (rest) => (rest ? rested(name, chat, rest) : finished(name, chat, undefined)),
        (error: unknown) => finished(name, chat, error ?? new Error("processChat rejected without a reason")),
      );
    runs.add(run);
    void run.finally(() => {
      runs.delete(run);
      pump();
    });
  }

  function finished(name: string, chat: ChatState, error: unknown): void {
    if (state === "stopped") {
      chats.delete(name);
      return;
    }
    if (error === undefined) {
      chat.failures = 0;
      if (chat.again) {
        chat.again = false;
        // To the back of the line: a chat that keeps receiving events does not starve the others.
        enqueue(name, chat);
      } else {
        chats.delete(name);
      }
      return;
    }
    chat.failures += 1;
    // The retry reads every pending event, including those scheduled during the failed run.
    chat.again = false;
    const delayMs = retryDelay(chat.failures);
    logger.warn(
      { chat: chat.key, failures: chat.failures, retryInMs: delayMs, err: error },
      "mirroring the chat failed; it is retried later",
    );
    chat.phase = "retrying";
    chat.timer = setTimeout(() => {
      chat.timer = undefined;
      enqueue(name, chat);
    }, delayMs);
    chat.timer.unref();
  }

  /** The run gave its slot back until its channel is free: runs again then (schedules meanwhile wait too). */
  function rested(name: string, chat: ChatState, rest: RunRest): void {
    if (state === "stopped") {
      chats.delete(name);
      return;
    }
    chat.failures = 0;
    chat.again = false;
    chat.phase = "retrying";
    chat.timer = setTimeout(
      () => {
        chat.timer = undefined;
        enqueue(name, chat);
      },
      Math.max(0, rest.resumeInMs),
    );
    chat.timer.unref();
  }

  function schedule(key: ChatKey): void {
    if (state === "stopped") {
      // The events are in the inbox already: the next start() resumes the chat.
      logger.debug({ chat: chatKeyOf(key) }, "schedule after stop ignored");
      return;
    }
    const name = chatQueueName(key);
    const chat = chats.get(name);
    if (chat === undefined) {
      const fresh: ChatState = {
        key: chatKeyOf(key),
        phase: "queued",
        again: false,
        failures: 0,
        timer: undefined,
      };
      chats.set(name, fresh);
      enqueue(name, fresh);
      return;
    }
    if (chat.phase === "running") chat.again = true;
    // A queued chat's run is still to come; a retrying chat keeps its backoff, so a failing dependency
    // (Slack down) is not hit once per incoming event, and its retry reads the new events too.
  }

  async function resume(): Promise<void> {
    const pending = await store.chatsWithPendingEvents();
    if (state === "stopped") return;
    state = "started";
    for (const key of pending) schedule(key);
    if (pending.length > 0) logger.info({ chats: pending.length }, "resuming chats with pending events");
    pump();
  }

  return {
    async schedule(key) {
      schedule(key);
    },

    start() {
      if (state === "stopped") {
        return Promise.reject(new Error("the chat queue was stopped; create a new one to start again"));
      }
      starting ??= resume().catch((error: unknown) => {
        starting = undefined;
        throw error;
      });
      return starting;
    },

    stop(drainMs = DEFAULT_DRAIN_MS) {
      stopping ??= (async () => {
        state = "stopped";
        ready.clear();
        for (const [name, chat] of chats) {
          clearTimeout(chat.timer);
          if (chat.phase !== "running") chats.delete(name);
        }
        if (runs.size === 0) return;
        let deadline: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          Promise.allSettled([...runs]).then(() => true),
          new Promise<false>((resolve) => {
            deadline = setTimeout(() => resolve(false), drainMs);
          }),
        ]);
        clearTimeout(deadline);
        if (!drained) {
          logger.warn(
            { running: runs.size },
            "stopped before every chat run finished; their events stay pending for the next start",
          );
        }
      })();
      return stopping;
    },

    get stats() {
      let waiting = 0;
      for (const chat of chats.values()) if (chat.phase !== "running" || chat.again) waiting += 1;
      return { running: runs.size, waiting };
    },
  };
}
