import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_RETRY, retryFits } from "../../src/gateway/retry.js";

describe("backoffDelayMs", () => {
  it("when any attempt fails, then the delay is a whole number in [0, min(cap, base·2^(n-1)))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseDelayMs, maxDelayMs, r) => {
          const delay = backoffDelayMs(attempt, { maxAttempts: 3, baseDelayMs, maxDelayMs }, () => r);
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          // Half-open: the ceiling itself is never drawn, except that a ceiling of 0 gives 0.
          expect(delay).toBeLessThan(Math.max(ceiling, 1));
        },
      ),
    );
  });

  it("when the jitter source is at its top, then the delays grow exponentially up to the cap", () => {
    const top = () => 0.999_999;
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, DEFAULT_RETRY, top));

    expect(delays).toEqual([199, 399, 799, 1599, 1999]);
  });

  it("when the jitter source misbehaves (NaN, out of range), then the delay stays within bounds", () => {
    expect(backoffDelayMs(1, DEFAULT_RETRY, () => Number.NaN)).toBe(0);
    expect(backoffDelayMs(1, DEFAULT_RETRY, () => 5)).toBe(200);
    expect(backoffDelayMs(1, DEFAULT_RETRY, () => -1)).toBe(0);
  });
});

describe("retryFits", () => {
  it("when the sleep and an attempt end before the deadline, then it fits; otherwise it does not", () => {
    expect(retryFits(1_000, 200, 300)).toBe(true);
    expect(retryFits(1_000, 800, 300)).toBe(false);
    expect(retryFits(0, 0, 50)).toBe(false);
  });
});
