// The load generator: signed requests into an app over a keep-alive undici pool, open-loop at a fixed
// rate (latency counted from the scheduled send time, so a slow app cannot hide behind a sender that
// waited for it), closed-loop with N outstanding (for a time, or through a fixed list), or all at once.
import { Pool } from "undici";
import type { Shot } from "./fixtures.js";
import { now } from "./stats.js";

export interface Ack {
  id: string;
  kind: Shot["kind"];
  /** When the shot was due (fixed rate, burst) or started (closed loop). */
  scheduledAt: number;
  /** When it was handed to the connection pool. */
  sentAt: number;
  /** When the whole acknowledgement had been read. */
  ackAt: number;
  /** HTTP status, 0 when the request failed. */
  status: number;
  /** The app refused the action in its ack (overload, src/usecases/admission.ts): no result follows. */
  refused?: boolean;
  error?: string;
}

/** What the app's refusal at the door says, in a command's reply or under a modal's field. */
const REFUSAL = "Too many WhatsApp actions are in progress";

export function createLoadPool(url: string, connections: number): Pool {
  return new Pool(url, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    // Far beyond Slack's 3 s: a late acknowledgement must be measured, not cut off.
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
}

export async function fire(pool: Pool, shot: Shot, scheduledAt: number): Promise<Ack> {
  const sentAt = now();
  try {
    const res = await pool.request({
      method: "POST",
      path: shot.path ?? "/slack/events",
      headers: shot.headers,
      body: shot.body,
    });
    const body = await res.body.text();
    const ack: Ack = {
      id: shot.id,
      kind: shot.kind,
      scheduledAt,
      sentAt,
      ackAt: now(),
      status: res.statusCode,
    };
    if (body !== "" && body.includes(REFUSAL)) ack.refused = true;
    return ack;
  } catch (error) {
    return {
      id: shot.id,
      kind: shot.kind,
      scheduledAt,
      sentAt,
      ackAt: now(),
      status: 0,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * Resolves at `due` within a few tens of microseconds: a timer gets close, then the last ~1.5 ms pass
 * in setImmediate turns, which still let every arriving response be read on time.
 */
export function waitUntil(due: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const left = due - now();
      if (left <= 0) resolve();
      else if (left > 2) setTimeout(check, left - 1.5);
      else setImmediate(check);
    };
    check();
  });
}

/** Open loop: shot i is due at start + i/rate whatever happened to the ones before it. */
export async function runFixedRate(
  pool: Pool,
  shots: readonly Shot[],
  ratePerSecond: number,
): Promise<Ack[]> {
  const interval = 1000 / ratePerSecond;
  const start = now() + 20;
  const pending: Promise<Ack>[] = [];
  for (let i = 0; i < shots.length; i++) {
    const due = start + i * interval;
    await waitUntil(due);
    pending.push(fire(pool, shots[i] as Shot, due));
  }
  return Promise.all(pending);
}

/**
 * Closed loop: `concurrency` requests outstanding until `durationMs` has passed. With `untilResult`, a
 * request counts as outstanding until its result has arrived too, not only its acknowledgement.
 */
export async function runClosedLoop(
  pool: Pool,
  next: (i: number) => Shot,
  concurrency: number,
  durationMs: number,
  untilResult?: (shot: Shot) => Promise<void>,
): Promise<{ acks: Ack[]; elapsedMs: number }> {
  const acks: Ack[] = [];
  const start = now();
  const end = start + durationMs;
  let i = 0;
  const lane = async () => {
    while (now() < end) {
      const shot = next(i++);
      const ack = await fire(pool, shot, now());
      acks.push(ack);
      if (untilResult && ack.status === 200) await untilResult(shot);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { acks, elapsedMs: now() - start };
}

/** Closed loop over a fixed list: `concurrency` lanes, each sending the next shot once its last is answered. */
export async function runList(pool: Pool, shots: readonly Shot[], concurrency: number): Promise<Ack[]> {
  const acks: Ack[] = [];
  let next = 0;
  const lane = async () => {
    while (next < shots.length) {
      const shot = shots[next++] as Shot;
      acks.push(await fire(pool, shot, now()));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return acks;
}

/** Every shot due at the same instant. */
export async function runBurst(pool: Pool, shots: readonly Shot[]): Promise<Ack[]> {
  const due = now();
  return Promise.all(shots.map((shot) => fire(pool, shot, due)));
}
