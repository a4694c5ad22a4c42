import { describe, expect, it } from "vitest";
import { createChannelPacer } from "../../../src/mirror/post/channel-pacer.js";

/** A clock the test moves, and a sleep that moves it (the pacer never really waits here). */
function fakeTime() {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    slept,
  };
}

describe("the channel pacer", () => {
  it("when a channel has posted nothing, then a burst goes at once and the next post waits about an interval", async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 1_000, burst: 3, clock: time.clock, sleep: time.sleep });
    expect(pacer.delayFor("C1")).toBe(0);
    for (let i = 0; i < 3; i++) await pacer.slot("C1");
    expect(time.slept).toEqual([]);
    // 2 % wider than the interval, so posts never crowd into Slack's second.
    expect(pacer.delayFor("C1")).toBe(1_020);
    expect(pacer.delayFor("C2")).toBe(0);
  });

  it("when the delay is asked for, then no slot is taken: asking again, or taking it, sees the same wait", async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 500, burst: 1, clock: time.clock, sleep: time.sleep });
    await pacer.slot("C1");
    const wait = pacer.delayFor("C1");
    expect(wait).toBeGreaterThan(0);
    expect(pacer.delayFor("C1")).toBe(wait);
    await pacer.slot("C1");
    expect(time.slept).toEqual([wait]);
    time.advance(10_000);
    expect(pacer.delayFor("C1")).toBe(0);
  });

  it("when Slack holds a channel, then its delay is the hold's, and other channels do not wait", async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 1_000, burst: 3, clock: time.clock, sleep: time.sleep });
    await pacer.slot("C1");
    pacer.holdFor("C1", 30_000);
    expect(pacer.delayFor("C1")).toBe(30_000);
    expect(pacer.delayFor("C2")).toBe(0);
  });
});
