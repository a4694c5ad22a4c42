// The port that runs each chat's mirroring work: one run of a chat at a time, every chat with pending
// events run again until a run succeeds. Two adapters: in-process (SQLite, one app process) and
// graphile-worker (PostgreSQL, several app instances sharing the work).
import { createHash } from "node:crypto";
import type { ChatKey } from "../../store/mirror-port.js";

export interface ChatQueue {
  /** Makes sure the chat's pending events get processed soon: once per schedule burst, never two runs of one chat at once. Resolves once the request is durable (PostgreSQL) or queued (in-process). */
  schedule(key: ChatKey): Promise<void>;
  /** Starts working; resumes every chat that still has pending events (store.chatsWithPendingEvents()). */
  start(): Promise<void>;
  /** Stops taking new runs, lets running ones finish within `drainMs`, then releases everything. */
  stop(drainMs?: number): Promise<void>;
  /** For /readyz, logs and tests: runs in progress and chats waiting. */
  readonly stats: { running: number; waiting: number };
}

/**
 * A run that stopped early to give its slot to other chats: its channel's next post is a while off
 * (Slack's pace), and a run waiting for it would keep chats whose channels are free from running.
 */
export interface RunRest {
  /** Run the chat again after this long; a schedule meanwhile does not bring it forward. */
  resumeInMs: number;
}

/**
 * Works through the chat's pending events in order. Safe to run twice (it re-reads the pending events);
 * throws when it should be retried later; resolves when there is nothing more to do for now, or with a
 * RunRest when the rest should wait for its channel.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a run that only finishes is any async function's `Promise<void>`.
export type ProcessChat = (key: ChatKey) => Promise<RunRest | void>;

/** How many chats one app process runs at once, unless told otherwise. */
export const DEFAULT_CONCURRENCY = 8;
/** How long stop() lets running chats finish, unless told otherwise (the app's own drain). */
export const DEFAULT_DRAIN_MS = 10_000;

/**
 * A stable name for one chat: a graphile-worker queue name and job key (at most 128 and 512 characters)
 * and a map key. The three ids are joined as JSON before hashing so that no two chats share a name,
 * whatever `@`, `.` or `:` their ids hold.
 */
export function chatQueueName(key: ChatKey): string {
  const ids = JSON.stringify([key.workspaceId, key.sessionId, key.chatJid]);
  return `chat:${createHash("sha256").update(ids).digest("hex")}`;
}

/** Only the key's own fields: a caller's object may carry more (an inbox row), which is not ours to keep or log. */
export function chatKeyOf(key: ChatKey): ChatKey {
  return { workspaceId: key.workspaceId, sessionId: key.sessionId, chatJid: key.chatJid };
}

export function checkConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1 (got ${concurrency})`);
  }
}
