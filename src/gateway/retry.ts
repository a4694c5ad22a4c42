// The retry policy of the gateway client: which delay to wait before the next attempt, and whether the
// total deadline still leaves room for it.
import { setTimeout as delay } from "node:timers/promises";

export interface RetryPolicy {
  /** Attempts in all, the first one included (1 = no retry). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/**
 * "Full jitter" backoff after failed attempt n (1-based): a whole number of ms drawn uniformly from
 * [0, ceiling), ceiling = min(cap, base·2^(n-1)). A ceiling of 0 gives 0, and a `random` outside its
 * [0, 1) contract is clamped, so one that returns 1 or more gives the ceiling itself, never more.
 * Full jitter spreads the retries of many clients that failed together, so a gateway that comes back
 * is not hit by all of them at the same instant.
 */
export function backoffDelayMs(failedAttempt: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.max(0, failedAttempt - 1);
  // 2^exponent grows past any cap quickly; clamping the exponent keeps the product finite.
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}

/**
 * Whether another attempt fits: sleeping `delayMs` and then running an attempt expected to take
 * `attemptEstimateMs` must end before the deadline. Starting an attempt that the deadline will cut
 * off only adds load on a gateway that is already struggling.
 */
export function retryFits(remainingMs: number, delayMs: number, attemptEstimateMs: number): boolean {
  return delayMs + attemptEstimateMs < remainingMs;
}

/** The default sleep: resolves after `ms`, rejects with the signal's reason when it aborts first. */
export function sleepWithSignal(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}
