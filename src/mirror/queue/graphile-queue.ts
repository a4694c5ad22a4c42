// The chat queue for several app instances sharing one PostgreSQL database, on graphile-worker 0.16: one
// job per chat, whose named queue keeps the chat's runs one at a time across every instance and whose job
// key folds a burst of schedules into one run; retries and their backoff are graphile-worker's.
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import {
  makeWorkerUtils,
  type Runner,
  run,
  type Task,
  type TaskSpec,
  type WorkerEvents,
  Logger as WorkerLogger,
  type WorkerPool,
  type WorkerUtils,
} from "graphile-worker";
import pg from "pg";
import { z } from "zod";
import { ConfigError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { ChatKey, MirrorStore } from "../../store/mirror-port.js";
import { parsePostgresUrl } from "../../store/postgres.js";
import {
  type ChatQueue,
  chatKeyOf,
  chatQueueName,
  checkConcurrency,
  DEFAULT_CONCURRENCY,
  DEFAULT_DRAIN_MS,
  type ProcessChat,
} from "./chat-queue.js";

export const MIRROR_CHAT_TASK = "mirror_chat";

/**
 * graphile-worker waits e^min(attempt, 10) seconds after a failed attempt: seconds at first, then up to
 * about 6 hours. The 37th attempt comes about a week after the first failure, past any Slack outage and
 * a weekend with nobody on call. A chat that still fails then waits for its next event or the next start.
 */
export const DEFAULT_MAX_ATTEMPTS = 37;

/** How long a worker that graphile-worker stopped by itself stays down before it is started again. */
const RESTART_DELAY_MS = 1_000;

/** Longest pause between tries to release a dead worker's locks while the database is away. */
const RELEASE_RETRY_MAX_MS = 30_000;

/** How often stats.waiting is read from the database. */
const WAITING_REFRESH_MS = 5_000;

/** PostgreSQL cuts identifiers at 63 bytes, and the worker schema adds `_worker` to the app's. */
const WORKER_SCHEMA_SUFFIX = "_worker";
const MAX_APP_SCHEMA_LENGTH = 63 - WORKER_SCHEMA_SUFFIX.length;

const chatKeySchema = z.object({
  workspaceId: z.string().min(1),
  sessionId: z.string().min(1),
  chatJid: z.string().min(1),
});

export interface GraphileQueueOptions {
  /** The app's DATABASE_URL (`postgres://…`, optionally `?schema=<name>`). */
  databaseUrl: string;
  processChat: ProcessChat;
  store: Pick<MirrorStore, "chatsWithPendingEvents">;
  logger: Logger;
  /** How many chats this instance runs at once (default 8). */
  concurrency?: number | undefined;
  /** Attempts of one job before graphile-worker stops retrying it (default 37, about a week). */
  maxAttempts?: number | undefined;
}

export interface GraphileTarget {
  /** The URL without the app's `schema` parameter, which pg would otherwise pass to the server. */
  connectionString: string;
  /** `<app schema>_worker`, or graphile-worker's own `graphile_worker` when the app has no schema. */
  workerSchema: string;
  /** The URL without its password, for messages. */
  display: string;
}

export function graphileTarget(databaseUrl: string): GraphileTarget {
  // The store's parser: the same URL and schema name rules, the same errors.
  const { schema, display } = parsePostgresUrl(databaseUrl.trim());
  if (schema !== undefined && schema.length > MAX_APP_SCHEMA_LENGTH) {
    throw new ConfigError([
      `DATABASE_URL's schema name "${schema}" is too long for the job queue's schema "${schema}${WORKER_SCHEMA_SUFFIX}": use at most ${MAX_APP_SCHEMA_LENGTH} characters`,
    ]);
  }
  const url = new URL(databaseUrl.trim());
  url.searchParams.delete("schema");
  return {
    connectionString: url.href,
    workerSchema: schema === undefined ? "graphile_worker" : `${schema}${WORKER_SCHEMA_SUFFIX}`,
    display,
  };
}

export function createGraphileQueue(options: GraphileQueueOptions): ChatQueue {
  const { processChat, store } = options;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  checkConcurrency(concurrency);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 32_767) {
    throw new RangeError(`maxAttempts must be a whole number from 1 to 32767 (got ${maxAttempts})`);
  }
  const target = graphileTarget(options.databaseUrl);
  const { workerSchema } = target;
  const logger = options.logger.child({ queue: "graphile", workerSchema });
  const workerLogger = graphileLogger(logger);

  const pool = new pg.Pool({
    connectionString: target.connectionString,
    // One LISTEN connection, one per concurrent job while it is fetched and settled, and a few for
    // schedule() bursts and the waiting count.
    max: concurrency + 4,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: "wa-slack-queue",
  });
  // graphile-worker logs these while it runs; this listener only keeps one that comes later from ending the process.
  pool.on("error", (error) => logger.debug({ err: error }, "an idle chat queue connection failed"));

  let state: "new" | "started" | "stopped" = "new";
  let utilsPromise: Promise<WorkerUtils> | undefined;
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let runner: Runner | undefined;
  /** Runners that stopped by themselves and still finish their jobs, while a new one already works. */
  const retiring = new Set<Promise<void>>();
  let restarting: Promise<void> | undefined;
  const stopped = new AbortController();

  const events = new EventEmitter() as WorkerEvents;
  /** graphile-worker's worker pools not yet released: the current runner's and any retiring one's. */
  const workerPools = new Set<WorkerPool>();
  let currentPool: WorkerPool | undefined;
  events.on("pool:create", ({ workerPool }) => {
    workerPools.add(workerPool);
    currentPool = workerPool;
  });
  events.on("pool:release", ({ workerPool }) => workerPools.delete(workerPool));
  // Its first sign of stopping by itself: the runner's own "stop" only comes once the jobs have ended.
  events.on("pool:gracefulShutdown", ({ workerPool }) => {
    if (state === "started" && workerPool === currentPool) restarting ??= restartRunner();
  });
  // graphile-worker 0.16 ends a worker that cannot settle its job (the database went away while the job
  // ran or as it ended: "committing seppuku"). The job and its chat's queue stay locked by that worker
  // until graphile-worker's stale-lock expiry, 4 hours later, and the pool does not replace the worker: a
  // PostgreSQL restart in the middle of a chat's run held that chat back for hours, and enough of them
  // left this instance with no worker at all. The worker's id is its own, so once the database answers
  // its locks are released (nothing alive holds them), and the runner that lost it is replaced.
  const releasing = new Set<Promise<void>>();
  const replaced = new WeakSet<WorkerPool>();
  events.on("worker:fatalError", ({ worker, error }) => {
    logger.warn(
      { err: error, workerId: worker.workerId },
      "a chat queue worker ended on a database error; its chat is released once the database answers",
    );
    const release = releaseDeadWorker(worker.workerId, worker.workerPool);
    releasing.add(release);
    void release.finally(() => releasing.delete(release));
  });
  const scheduling = new Set<Promise<unknown>>();
  let running = 0;
  let waiting = 0;
  let refreshTimer: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> | undefined;

  const mirrorChat: Task = async (payload, helpers) => {
    const parsed = chatKeySchema.safeParse(payload);
    if (!parsed.success) {
      // Retrying cannot fix a payload; only a writer other than schedule() makes one like this.
      logger.error(
        { jobId: helpers.job.id, issues: parsed.error.issues },
        "dropped a job that names no chat",
      );
      return;
    }
    const key = chatKeyOf(parsed.data);
    const { attempts, max_attempts: allowed } = helpers.job;
    running += 1;
    try {
      const rest = await processChat(key);
      // The rest waits in a job of its own, due when the channel is free; this one ends and frees its
      // slot. "replace" takes the chat's key from this running job (or moves a schedule's job made
      // meanwhile to the same time: it would only wait for the channel too).
      if (rest) {
        await helpers.addJob(MIRROR_CHAT_TASK, key, {
          ...jobSpecOf(key),
          jobKeyMode: "replace",
          runAt: new Date(Date.now() + Math.max(0, rest.resumeInMs)),
        });
      }
    } catch (error) {
      if (attempts >= allowed) {
        logger.error(
          { chat: key, attempt: attempts, maxAttempts: allowed, err: error },
          "mirroring the chat failed on its last attempt; its next event or the next start runs it again",
        );
      } else {
        logger.warn(
          { chat: key, attempt: attempts, maxAttempts: allowed, err: error },
          "mirroring the chat failed; it is retried later",
        );
      }
      throw error;
    } finally {
      running -= 1;
    }
  };

  function utils(): Promise<WorkerUtils> {
    utilsPromise ??= openUtils(pool, workerSchema, workerLogger).catch((error: unknown) => {
      utilsPromise = undefined;
      throw error;
    });
    return utilsPromise;
  }

  function jobSpecOf(key: ChatKey): TaskSpec {
    const name = chatQueueName(key);
    return { queueName: name, jobKey: name, maxAttempts };
  }

  async function schedule(key: ChatKey): Promise<void> {
    const spec: TaskSpec = {
      ...jobSpecOf(key),
      // "preserve_run_at": a waiting job of the chat absorbs the schedule (one run per burst) with its
      // attempts reset. A job that failed before is brought forward, so new events are tried at once even
      // mid-backoff; one never tried keeps its time, which is now, or later for a run resting until its
      // channel is free (it would only wait for the channel again). A running or exhausted job has its
      // key taken away and a new job takes it, which the chat's queue starts only after the running one
      // ends: a schedule during a run is never lost, and a schedule revives a chat that ran out of
      // attempts. ("unsafe_dedupe" would drop a schedule that comes during a run.)
      jobKeyMode: "preserve_run_at",
    };
    await (await utils()).addJob(MIRROR_CHAT_TASK, chatKeyOf(key), spec);
  }

  function tracked<T>(work: Promise<T>): Promise<T> {
    scheduling.add(work);
    void work.then(
      () => scheduling.delete(work),
      () => scheduling.delete(work),
    );
    return work;
  }

  function refreshWaiting(): void {
    if (refreshing !== undefined || state !== "started") return;
    refreshing = pool
      .query<{ n: number }>(
        // graphile-worker's read-only view of its jobs; due and backing-off jobs both count as waiting.
        `SELECT count(*)::int AS n FROM "${workerSchema}".jobs
         WHERE task_identifier = $1 AND locked_at IS NULL AND attempts < max_attempts`,
        [MIRROR_CHAT_TASK],
      )
      .then(
        ({ rows }) => {
          waiting = rows[0]?.n ?? 0;
        },
        (error: unknown) => logger.debug({ err: error }, "could not count the waiting chats"),
      )
      .finally(() => {
        refreshing = undefined;
      });
  }

  async function startRunner(): Promise<void> {
    runner = await run({
      pgPool: pool,
      schema: workerSchema,
      concurrency,
      noHandleSignals: true,
      logger: workerLogger,
      events,
      taskList: { [MIRROR_CHAT_TASK]: mirrorChat },
      // Without a list graphile-worker would read a crontab file from the working folder.
      parsedCronItems: [],
    });
    runner.promise.catch((error: unknown) =>
      logger.error({ err: error }, "the chat queue's worker stopped on an error"),
    );
  }

  /**
   * graphile-worker 0.16 shuts its worker down when it hears of a breaking migration, and it hears of
   * those on a channel shared by the whole database: a graphile-worker installed in any other schema (a
   * second deployment, a test) stops this one too. So a worker that stops by itself is started again;
   * run() migrates first and refuses a schema that is really newer than this graphile-worker.
   */
  async function restartRunner(): Promise<void> {
    logger.warn("graphile-worker stopped the chat queue's worker by itself; starting a new one");
    // The old runner's jobs may run for a while yet; their chats' queues stay locked until they end, so
    // the new worker can start at once without running any chat twice at the same time.
    if (runner !== undefined) {
      const ended = runner.promise.catch(() => undefined);
      retiring.add(ended);
      void ended.then(() => retiring.delete(ended));
      runner = undefined;
    }
    try {
      // A pause, so that the rest of a burst of migration notices does not stop the new worker too.
      await sleep(RESTART_DELAY_MS, undefined, { signal: stopped.signal }).catch(() => undefined);
      if (state === "started") await startRunner();
    } catch (error) {
      logger.error({ err: error }, "could not start a new chat queue worker; this instance mirrors no chat");
    } finally {
      restarting = undefined;
    }
  }

  async function releaseDeadWorker(workerId: string, workerPool: WorkerPool): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await (await utils()).forceUnlockWorkers([workerId]);
        logger.warn({ workerId }, "the chat the ended worker held is released for another run");
        break;
      } catch (error) {
        if (stopped.signal.aborted) return;
        logger.debug({ err: error, workerId }, "could not release an ended worker's chat yet; trying again");
        const pause = Math.min(RELEASE_RETRY_MAX_MS, 1_000 * 2 ** attempt);
        await sleep(pause, undefined, { signal: stopped.signal }).catch(() => undefined);
        if (stopped.signal.aborted) return;
      }
    }
    // The database answers again: the runner short of a worker stops taking jobs and finishes the ones
    // it has, and its shutdown starts a new one (restartRunner); that is not waited for here.
    const short = runner;
    if (state !== "started" || short === undefined || restarting !== undefined) return;
    if (workerPool !== currentPool || replaced.has(workerPool)) return;
    replaced.add(workerPool);
    void short
      .stop()
      .catch((error: unknown) =>
        logger.warn({ err: error }, "could not stop the chat queue's worker that lost a worker"),
      );
  }

  async function startWorking(): Promise<void> {
    await utils();
    if (state === "stopped") return;
    await startRunner();
    const pending = await store.chatsWithPendingEvents();
    for (const key of pending) {
      if (state !== "started") return;
      await tracked(schedule(key));
    }
    if (pending.length > 0) logger.info({ chats: pending.length }, "resuming chats with pending events");
    refreshWaiting();
    refreshTimer = setInterval(refreshWaiting, WAITING_REFRESH_MS);
    refreshTimer.unref();
  }

  async function stopRunners(drainMs: number): Promise<void> {
    const done = [...retiring];
    if (runner !== undefined) done.push(runner.stop());
    if (done.length === 0) return;
    let deadline: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.all(done).then(() => true),
      new Promise<false>((resolve) => {
        deadline = setTimeout(() => resolve(false), drainMs);
      }),
    ]);
    clearTimeout(deadline);
    if (drained) return;
    // Failing the jobs unlocks their chats at once, for another instance to retry, rather than after
    // graphile-worker's 4-hour lock expiry.
    logger.warn({ running }, "chat runs did not finish in time; their jobs are failed for a retry");
    await Promise.all(
      [...workerPools].map((workerPool) => workerPool.forcefulShutdown("the app is stopping")),
    );
    await Promise.all(done);
  }

  return {
    async schedule(key) {
      if (state === "stopped") {
        // The events are in the inbox already: the next start() of any instance resumes the chat.
        logger.debug({ chat: chatKeyOf(key) }, "schedule after stop ignored");
        return;
      }
      await tracked(schedule(key));
    },

    start() {
      if (state === "stopped") {
        return Promise.reject(new Error("the chat queue was stopped; create a new one to start again"));
      }
      state = "started";
      starting ??= startWorking();
      return starting;
    },

    stop(drainMs = DEFAULT_DRAIN_MS) {
      stopping ??= (async () => {
        state = "stopped";
        stopped.abort();
        clearInterval(refreshTimer);
        await starting?.catch(() => undefined);
        await restarting;
        await Promise.allSettled([...releasing]);
        await stopRunners(drainMs);
        await Promise.allSettled([...scheduling]);
        await refreshing;
        const opened = await utilsPromise?.catch(() => undefined);
        await opened?.release();
        await pool.end();
      })();
      return stopping;
    },

    get stats() {
      return { running, waiting };
    },
  };
}

/**
 * graphile-worker's utilities (migrating its schema first). Instances starting together on a fresh
 * database would race in CREATE SCHEMA, so they take turns under an advisory lock named after the schema.
 */
async function openUtils(pool: pg.Pool, workerSchema: string, logger: WorkerLogger): Promise<WorkerUtils> {
  const lockKey = createHash("sha256")
    .update(`wa-slack graphile-worker migration ${workerSchema}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [lockKey]);
    try {
      return await makeWorkerUtils({ pgPool: pool, schema: workerSchema, logger });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [lockKey]).catch((error: unknown) => {
        // Dropping the connection ends its session, which releases the lock too.
        broken = error instanceof Error ? error : new Error(String(error));
      });
    }
  } finally {
    client.release(broken);
  }
}

/** graphile-worker's log lines, through our logger at the levels an operator wants them. */
function graphileLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    // Only the error: other meta holds job rows, pools and clients, too much (and too revealing) for a log line.
    const error = meta?.error;
    const fields = error instanceof Error ? { worker: scope, err: error } : { worker: scope };
    switch (level as string) {
      case "error":
        // The task logs a failed job with its chat; the job line would repeat it as an error. graphile-worker's
        // own graceful-then-forceful shutdown (used by stop() when the drain runs out) ends its pool twice
        // and reports that as a bug.
        if (meta?.failure === true || message.includes("terminate() was called twice")) {
          logger.debug(fields, message);
        } else {
          logger.error(fields, message);
        }
        return;
      case "warning":
        logger.warn(fields, message);
        return;
      case "info":
        // One line per finished job: one per mirrored burst of messages.
        if (meta?.success === true) logger.debug(fields, message);
        else logger.info(fields, message);
        return;
      default:
        logger.trace(fields, message);
    }
  });
}
