import { describe, expect, it } from "vitest";
import { OverloadedError } from "../../src/errors.js";
import { createFairLimiter } from "../../src/usecases/fair-limiter.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("the fair limiter", () => {
  it("when a workspace floods, then another workspace's task still starts before the flood drains", async () => {
    const limiter = createFairLimiter({ maxInFlight: 2, maxInFlightPerKey: 2, maxQueuedPerKey: 100 });
    const started: string[] = [];
    const gates = Array.from({ length: 10 }, deferred);
    const flood = gates.map((gate, i) =>
      limiter.run("A", async () => {
        started.push(`A${i}`);
        await gate.promise;
      }),
    );
    const other = limiter.run("B", async () => {
      started.push("B");
    });
    expect(limiter.inFlight).toBe(2);
    gates[0]?.resolve();
    await flood[0];
    await other;
    // B took the first free slot, ahead of A's eight waiting tasks.
    expect(started.slice(0, 3)).toEqual(["A0", "A1", "B"]);
    for (const gate of gates) gate.resolve();
    await Promise.all(flood);
    expect(limiter.inFlight).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  it("when a workspace has too much waiting, then new work is refused with OverloadedError, not dropped", async () => {
    const limiter = createFairLimiter({ maxInFlight: 1, maxInFlightPerKey: 1, maxQueuedPerKey: 2 });
    const gate = deferred();
    const running = limiter.run("A", () => gate.promise);
    const waiting = [limiter.run("A", async () => 1), limiter.run("A", async () => 2)];
    await expect(limiter.run("A", async () => 3)).rejects.toBeInstanceOf(OverloadedError);
    gate.resolve();
    await running;
    expect(await Promise.all(waiting)).toEqual([1, 2]);
  });

  it("when a task throws, then its slot is released and the error reaches the caller", async () => {
    const limiter = createFairLimiter({ maxInFlight: 1, maxInFlightPerKey: 1, maxQueuedPerKey: 5 });
    await expect(
      limiter.run("A", () => {
        throw new Error("sync failure");
      }),
    ).rejects.toThrow("sync failure");
    await expect(limiter.run("A", async () => Promise.reject(new Error("async failure")))).rejects.toThrow(
      "async failure",
    );
    expect(await limiter.run("A", async () => "ok")).toBe("ok");
    expect(limiter.inFlight).toBe(0);
  });

  it("when one workspace reaches its own cap, then the rest of the global slots stay for others", async () => {
    const limiter = createFairLimiter({ maxInFlight: 4, maxInFlightPerKey: 2, maxQueuedPerKey: 10 });
    const gate = deferred();
    const a = [1, 2, 3].map(() => limiter.run("A", () => gate.promise));
    expect(limiter.inFlight).toBe(2);
    expect(limiter.queued).toBe(1);
    const b = [1, 2].map(() => limiter.run("B", () => gate.promise));
    expect(limiter.inFlight).toBe(4);
    gate.resolve();
    await Promise.all([...a, ...b]);
    expect(limiter.inFlight).toBe(0);
  });
});
