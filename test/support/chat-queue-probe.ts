// A real processChat for the chat queue tests: it works through the chat's inbox like the processor does
// (pending events in order, each finished), and records what a test needs to see: runs per chat, runs of
// one chat that overlapped, runs of all chats at once. A test can hold a chat's runs open or make them fail.
import { setTimeout as sleep } from "node:timers/promises";
import { chatQueueName, type ProcessChat, type RunRest } from "../../src/mirror/queue/chat-queue.js";
import type { ChatKey, InboxInsert, MirrorStore } from "../../src/store/mirror-port.js";

export class SlackDownForTest extends Error {
  constructor() {
    super("Slack did not answer (test)");
    this.name = new.target.name;
  }
}

interface ChatRecord {
  started: number;
  succeeded: number;
  failed: number;
  active: number;
  maxActive: number;
  /** Event ids in the order they were finished. */
  finished: string[];
  /** Runs that ended resting (RunRest). */
  rested: number;
  /** When each run started (epoch ms). */
  startedAt: number[];
}

export interface ChatProbe {
  processChat: ProcessChat;
  of(key: ChatKey): Readonly<ChatRecord>;
  /** The most runs of one chat that were ever under way together (1 when the queue keeps its promise). */
  readonly maxOverlap: number;
  /** The most runs of any chats under way together. */
  readonly maxConcurrent: number;
  readonly active: number;
  /** Runs of the chat that start from now on wait inside processChat until the returned function is called. */
  hold(key: ChatKey): () => void;
  /** The chat's next `times` runs throw, as when Slack is down. */
  failNext(key: ChatKey, times: number): void;
  /** The chat's next run ends resting for `resumeInMs`, as when its channel's next slot is far off. */
  restNext(key: ChatKey, resumeInMs: number): void;
}

export interface ChatProbeOptions {
  /** Whose inbox the runs work through; without one a run only records itself. */
  store?: Pick<MirrorStore, "pendingEvents" | "finishEvent"> | undefined;
  /** How long each run works (after its inbox), so overlapping runs would have time to meet. */
  workMs?: number | undefined;
}

export function chatProbe(options: ChatProbeOptions = {}): ChatProbe {
  const records = new Map<string, ChatRecord>();
  const gates = new Map<string, Promise<void>>();
  const failures = new Map<string, number>();
  const rests = new Map<string, number>();
  let active = 0;
  let maxConcurrent = 0;
  let maxOverlap = 0;

  function recordOf(key: ChatKey): ChatRecord {
    const name = chatQueueName(key);
    let record = records.get(name);
    if (record === undefined) {
      record = {
        started: 0,
        succeeded: 0,
        failed: 0,
        active: 0,
        maxActive: 0,
        finished: [],
        rested: 0,
        startedAt: [],
      };
      records.set(name, record);
    }
    return record;
  }

  async function processChat(key: ChatKey): Promise<RunRest | undefined> {
    const name = chatQueueName(key);
    const record = recordOf(key);
    record.started += 1;
    record.startedAt.push(Date.now());
    record.active += 1;
    record.maxActive = Math.max(record.maxActive, record.active);
    maxOverlap = Math.max(maxOverlap, record.active);
    active += 1;
    maxConcurrent = Math.max(maxConcurrent, active);
    try {
      await gates.get(name);
      const toFail = failures.get(name) ?? 0;
      if (toFail > 0) {
        failures.set(name, toFail - 1);
        record.failed += 1;
        throw new SlackDownForTest();
      }
      const rest = rests.get(name);
      if (rest !== undefined) {
        rests.delete(name);
        record.rested += 1;
        return { resumeInMs: rest };
      }
      if (options.store !== undefined) {
        for (;;) {
          const pending = await options.store.pendingEvents(key, 10);
          if (pending.length === 0) break;
          for (const event of pending) {
            await options.store.finishEvent(event.id, "done");
            record.finished.push(event.eventId);
          }
        }
      }
      if (options.workMs !== undefined) await sleep(options.workMs);
      record.succeeded += 1;
      return undefined;
    } finally {
      record.active -= 1;
      active -= 1;
    }
  }

  return {
    processChat,
    of: recordOf,
    get maxOverlap() {
      return maxOverlap;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    get active() {
      return active;
    },
    hold(key) {
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const name = chatQueueName(key);
      gates.set(name, gate);
      return () => {
        if (gates.get(name) === gate) gates.delete(name);
        release();
      };
    },
    failNext(key, times) {
      failures.set(chatQueueName(key), times);
    },
    restNext(key, resumeInMs) {
      rests.set(chatQueueName(key), resumeInMs);
    },
  };
}

export const WORKSPACE = "T0QUEUE";
export const SESSION = "01HZXSESSION";

/** A chat of the test workspace; `n` picks a group. */
export function chatKey(n: number, overrides: Partial<ChatKey> = {}): ChatKey {
  return { workspaceId: WORKSPACE, sessionId: SESSION, chatJid: `1203630123456789${n}@g.us`, ...overrides };
}

/** A gateway event of the chat; `n` orders them as the gateway's ULIDs would. */
export function inboxEvent(key: ChatKey, n: number): InboxInsert {
  return {
    ...key,
    eventId: `evt_01JC3Z8V6K${String(n).padStart(16, "0")}`,
    eventType: "message.received",
    waMessageId: `3EB0${String(n).padStart(8, "0")}`,
    envelope: JSON.stringify({ id: n }),
    receivedAt: new Date("2025-03-01T10:00:00.000Z"),
  };
}

/** Polls `check` until it holds, failing with `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}
