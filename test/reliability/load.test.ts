// A flood of commands against a slow gateway. The fair limiter (src/usecases/fair-limiter.ts) keeps one
// workspace's flood from delaying another's work, bounds the gateway calls in flight, and keeps memory
// bounded. Assertions are on order and counts, never on how long anything took.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_LIMITS } from "../../src/usecases/fair-limiter.js";
import {
  GROUP_CHAT,
  type Harness,
  OTHER_API_KEY,
  OTHER_SESSION,
  OTHER_TEAM,
  startHarness,
  TEAM,
} from "../support/app-harness.js";
import { auditOf, heapUsedAfterGc, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.configure(TEAM);
  await h.configure(OTHER_TEAM, { apiKey: OTHER_API_KEY, session: OTHER_SESSION });
});
afterAll(async () => {
  h.gateway.setLatency(0);
  expectNoSecretsLeaked(h);
  await h.close();
});

const react = (mid: string, team = TEAM) => wa(h, `react --chat ${GROUP_CHAT} --mid ${mid} 👍`, { team });
const FLOOD = 200;
const MB = 1024 * 1024;

describe("a flood from one workspace", () => {
  it("when workspace A floods with hundreds of commands, then B is acked and reaches the gateway long before A's queue drains, and memory stays bounded", async () => {
    // Warm both workspaces (settings cache, connections), so the heap is measured from a steady state.
    await Promise.all([react("WARM_A"), react("WARM_B", OTHER_TEAM)].map(async (run) => (await run).reply()));
    h.gateway.setLatency(250);
    h.gateway.reset();
    const heapBefore = heapUsedAfterGc();

    const flood = await Promise.all(Array.from({ length: FLOOD }, (_, i) => react(`FLOOD_${i}`)));
    expect(flood.map((run) => run.res.status)).toEqual(Array(FLOOD).fill(200));
    // A's flood is acked and mostly still waiting: what B must not wait behind.
    const waitingForA = h.app.limiter.queued;
    expect(waitingForA).toBeGreaterThan(GATEWAY_LIMITS.maxInFlightPerKey);
    const b = await react("B_DURING_FLOOD", OTHER_TEAM);
    expect(b.res.status).toBe(200);
    expect(textOf(await b.reply(30_000))).toContain("sent");

    const posts = await Promise.all(flood.map((run) => run.reply(60_000)));
    expect(posts.every((p) => textOf(p).includes("sent"))).toBe(true);
    const paths = h.gateway.requests.map((r) => r.path);
    const bAt = paths.findIndex((p) => p.includes("/B_DURING_FLOOD/"));
    const floodAfterB = paths.slice(bAt + 1).filter((p) => p.includes("/FLOOD_")).length;
    // B was sent after all of A's acks, yet (nearly) everything A still had waiting reached the gateway
    // after B did: at most one round of A's slots finished in between.
    expect(bAt).toBeGreaterThanOrEqual(0);
    expect(floodAfterB).toBeGreaterThanOrEqual(waitingForA - GATEWAY_LIMITS.maxInFlightPerKey);
    // A alone never held more than its share; with B, one more.
    expect(h.gateway.maxInFlight).toBeLessThanOrEqual(GATEWAY_LIMITS.maxInFlightPerKey + 1);

    expect(h.app.limiter.inFlight).toBe(0);
    expect(h.app.limiter.queued).toBe(0);
    expect(await h.app.inFlight.drain(10_000)).toBe(true);
    const recorded = (await auditOf(h)).filter((r) => r.messageId.startsWith("FLOOD_"));
    expect(recorded).toHaveLength(FLOOD);
    expect(recorded.every((r) => "ok" in r.outcome && r.outcome.ok)).toBe(true);

    // A generous bound: what a leak of every request (bodies, closures, timers) would break, not noise.
    const growth = heapUsedAfterGc() - heapBefore;
    expect(growth).toBeLessThan(48 * MB);
  });
});

describe("floods from several workspaces", () => {
  it("when five workspaces flood at once, then the gateway sees more than one workspace's share in flight but never more than the global limit", async () => {
    const teams = Array.from({ length: 5 }, (_, i) => `TLOAD0000${i}`);
    for (const team of teams) await h.configure(team);
    h.gateway.setLatency(1_000);
    h.gateway.reset();
    const runs = await Promise.all(
      teams.flatMap((team) => Array.from({ length: 20 }, (_, i) => react(`MULTI_${team}_${i}`, team))),
    );
    expect(runs.every((run) => run.res.status === 200)).toBe(true);
    const posts = await Promise.all(runs.map((run) => run.reply(60_000)));
    expect(posts.every((p) => textOf(p).includes("sent"))).toBe(true);
    // Every call the limiter lets through is sent at once (the connection pool is as large as the limit),
    // so the workspaces really run side by side.
    expect(h.gateway.maxInFlight).toBeGreaterThan(GATEWAY_LIMITS.maxInFlightPerKey);
    expect(h.gateway.maxInFlight).toBeLessThanOrEqual(GATEWAY_LIMITS.maxInFlight);
  });
});
