// One measured phase: load one process (the app or the bare Bolt floor) in one mode, wait for the
// app's results to arrive, and turn the stamps into figures.
import type { Pool } from "undici";
import { messageIdOf, type Shot, viewIdOf } from "./fixtures.js";
import { type Ack, runBurst, runClosedLoop, runFixedRate, runList } from "./load.js";
import { type ChildHandle, cpuMeter, sampleRss, waitForQuiet } from "./processes.js";
import type { Harvest, Sinks } from "./sinks.js";
import { now, type Summary, sleep, summarize } from "./stats.js";

export const SLACK_DEADLINE_MS = 3000;

const shotIdOfView = (viewId: string) => viewId.slice(viewIdOf("").length);

export type Load =
  | { mode: "rate"; shots: readonly Shot[]; rate: number }
  | {
      mode: "closed";
      next: (i: number) => Shot;
      concurrency: number;
      durationMs: number;
      /** Wait for each request's result too (the app); the bare Bolt app has none to wait for. */
      untilResult?: (shot: Shot) => Promise<void>;
    }
  | { mode: "burst"; shots: readonly Shot[] }
  /** Closed loop through a fixed list, `concurrency` outstanding (1: one after another, in order). */
  | { mode: "list"; shots: readonly Shot[]; concurrency: number };

export interface ResultStats {
  /** Acknowledged shots, each of which owes a result. */
  expected: number;
  /** Refused in their ack (overload): answered there, no result owed. */
  refusedAtDoor: number;
  received: number;
  ok: number;
  failureCodes: Record<string, number>;
  /** Sent → result posted to response_url, minus the gateway's set latency (successes only). */
  e2eCommands: Summary | undefined;
  /** Sent → views.update with the outcome, minus the gateway's set latency. */
  e2eViews: Summary | undefined;
  /** Sent → the gateway received the call (the gateway stamps whole milliseconds). */
  toGateway: Summary | undefined;
  /** Gateway received → result posted, minus the set latency. */
  afterGateway: Summary | undefined;
  /** Results that arrived while the load was being sent, per second of sending. */
  completedPerSecond: number;
  /** From the end of sending to the last result. */
  drainMs: number;
  gatewayMaxInFlight: number;
  slackConnectionsMax: number;
  /** Web API calls besides views.update: fallbacks taken. */
  otherCalls: Record<string, number>;
}

export interface PhaseResult {
  scenario: string;
  target: "app" | "bare";
  label: string;
  gatewayLatencyMs: number;
  sent: number;
  views: number;
  sendMs: number;
  /** Scheduled send → acknowledgement read. */
  ack: Summary | undefined;
  /** Actual send → acknowledgement read. */
  ackFromSend: Summary | undefined;
  /** How late the load generator sent (scheduled → actual). */
  sendLag: Summary | undefined;
  /** Not acknowledged with a 200 within Slack's 3 s (failed requests included). */
  ackOver3s: number;
  failedAcks: number;
  ackErrors: Record<string, number>;
  acksPerSecond: number;
  rssP50Mb: number | undefined;
  rssMaxMb: number | undefined;
  childCpuPct: number;
  benchCpuPct: number;
  /** CPU used by other jobs on the machine while this phase ran (% of one core): noise. */
  othersCpuPct: number;
  /** Rounds measured again because another job ran beside them (fixed-rate scenario). */
  roundsRepeated?: number;
  /** Ack p99 of each round, in order (fixed-rate scenario). */
  roundAckP99s?: number[];
  /** End-to-end p99 of the commands of each round (app, fixed-rate scenario). */
  roundE2eP99s?: number[];
  results?: ResultStats;
}

export interface PhaseInput {
  scenario: string;
  label: string;
  target: "app" | "bare";
  child: ChildHandle;
  pool: Pool;
  sinks: Sinks;
  load: Load;
  gatewayLatencyMs: number;
  /** How long to wait for the app's results after the last ack. */
  drainTimeoutMs: number;
  /** Every process of the bench (children), to tell other jobs' CPU use from ours. */
  ownPids: readonly number[];
  /** Wait for other jobs on the machine to quiet down before sending (off in BENCH_QUICK runs). */
  waitForQuiet: boolean;
}

async function send(pool: Pool, load: Load): Promise<{ acks: Ack[]; startedAt: number; endedAt: number }> {
  const startedAt = now();
  let acks: Ack[];
  switch (load.mode) {
    case "rate":
      acks = await runFixedRate(pool, load.shots, load.rate);
      break;
    case "closed":
      acks = (await runClosedLoop(pool, load.next, load.concurrency, load.durationMs, load.untilResult)).acks;
      break;
    case "burst":
      acks = await runBurst(pool, load.shots);
      break;
    case "list":
      acks = await runList(pool, load.shots, load.concurrency);
      break;
  }
  return { acks, startedAt, endedAt: now() };
}

async function waitForResults(sinks: Sinks, expected: number, timeoutMs: number): Promise<void> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    const counts = await sinks.counts();
    if (counts.responses + counts.views >= expected && counts.gatewayInFlight === 0) return;
    await sleep(25);
  }
}

/** What one run of a load left behind, before it is turned into figures; rounds of a phase are merged. */
export interface RawRound {
  acks: Ack[];
  startedAt: number;
  endedAt: number;
  rssSamples: number[];
  childCpuSeconds: number;
  benchCpuSeconds: number;
  othersCpuSeconds: number;
  /** Other processes' CPU just before the round (it waits for a quiet machine, up to 30 s). */
  quietBeforePct: number;
  wallSeconds: number;
  harvest: Harvest | undefined;
}

/** Where a round's results arrive (the fake Slack): the round waits for them before its meters stop. */
export interface ResultSink<H> {
  /** Forgets the previous round's arrivals. */
  reset(): Promise<void>;
  /** Resolves once the results owed for `okAcks` acknowledged requests have arrived, or at the timeout. */
  settle(okAcks: number, timeoutMs: number): Promise<void>;
  harvest(): Promise<H>;
}

export type RoundInput = Pick<
  PhaseInput,
  "child" | "pool" | "load" | "drainTimeoutMs" | "ownPids" | "waitForQuiet"
>;

/**
 * Waits for a quiet machine, then sends one load with the child's RSS and CPU metered until every
 * result owed has arrived; what arrived is `collected`. Shared by the command path and the mirror.
 */
export async function measureRound<H>(
  input: RoundInput,
  results: ResultSink<H>,
): Promise<{ round: RawRound; collected: H }> {
  const { child } = input;
  await results.reset();
  const quietBefore = input.waitForQuiet ? await waitForQuiet(input.ownPids) : 0;
  const rss = sampleRss(child.pid);
  const cpu = cpuMeter(child.pid, input.ownPids);
  const { acks, startedAt, endedAt } = await send(input.pool, input.load);
  const okAcks = acks.filter((a) => a.status >= 200 && a.status < 300 && !a.refused).length;
  await results.settle(okAcks, input.drainTimeoutMs);
  const rssSamples = rss.stop();
  const usage = cpu.stop();
  const collected = await results.harvest();
  return {
    round: {
      acks,
      startedAt,
      endedAt,
      rssSamples,
      childCpuSeconds: (usage.childPct / 100) * usage.wallSeconds,
      benchCpuSeconds: (usage.benchPct / 100) * usage.wallSeconds,
      othersCpuSeconds: (usage.othersPct / 100) * usage.wallSeconds,
      quietBeforePct: quietBefore,
      wallSeconds: usage.wallSeconds,
      harvest: undefined,
    },
    collected,
  };
}

/** Sends one load and, for the app, waits until every acknowledged request has had its result. */
export async function runRound(input: PhaseInput): Promise<RawRound> {
  const { sinks } = input;
  const owed = input.target === "app";
  const { round, collected } = await measureRound(input, {
    reset: () => sinks.reset(),
    settle: (okAcks, timeoutMs) => (owed ? waitForResults(sinks, okAcks, timeoutMs) : Promise.resolve()),
    harvest: () => (owed ? sinks.harvest() : Promise.resolve(undefined)),
  });
  return { ...round, harvest: collected };
}

export async function runPhase(input: PhaseInput): Promise<PhaseResult> {
  return summarizePhase(input, [await runRound(input)]);
}

export function summarizePhase(
  input: Pick<PhaseInput, "scenario" | "label" | "target" | "gatewayLatencyMs">,
  rounds: readonly RawRound[],
): PhaseResult {
  const acks = rounds.flatMap((r) => r.acks);
  const okAcks = acks.filter((a) => a.status === 200);
  const sendMs = rounds.reduce((sum, r) => sum + (r.endedAt - r.startedAt), 0);
  const wall = rounds.reduce((sum, r) => sum + r.wallSeconds, 0);
  const sortedRss = rounds.flatMap((r) => r.rssSamples).sort((a, b) => a - b);
  const ackErrors: Record<string, number> = {};
  for (const a of acks) {
    if (a.status === 200) continue;
    const key = a.status === 0 ? (a.error ?? "request failed") : `HTTP ${a.status}`;
    ackErrors[key] = (ackErrors[key] ?? 0) + 1;
  }
  const result: PhaseResult = {
    scenario: input.scenario,
    target: input.target,
    label: input.label,
    gatewayLatencyMs: input.gatewayLatencyMs,
    sent: acks.length,
    views: acks.filter((a) => a.kind === "view").length,
    sendMs,
    ack: summarize(okAcks.map((a) => a.ackAt - a.scheduledAt)),
    ackFromSend: summarize(okAcks.map((a) => a.ackAt - a.sentAt)),
    sendLag: summarize(acks.map((a) => a.sentAt - a.scheduledAt)),
    ackOver3s: acks.filter((a) => a.status !== 200 || a.ackAt - a.scheduledAt > SLACK_DEADLINE_MS).length,
    failedAcks: acks.length - okAcks.length,
    ackErrors,
    acksPerSecond: okAcks.length / (sendMs / 1000),
    rssP50Mb: sortedRss[Math.floor(sortedRss.length / 2)],
    rssMaxMb: sortedRss[sortedRss.length - 1],
    childCpuPct: (100 * rounds.reduce((sum, r) => sum + r.childCpuSeconds, 0)) / wall,
    benchCpuPct: (100 * rounds.reduce((sum, r) => sum + r.benchCpuSeconds, 0)) / wall,
    othersCpuPct: (100 * rounds.reduce((sum, r) => sum + r.othersCpuSeconds, 0)) / wall,
  };
  if (input.target === "app" && rounds.some((r) => r.harvest !== undefined)) {
    result.results = resultStats(input.gatewayLatencyMs, rounds);
  }
  return result;
}

function resultStats(latency: number, rounds: readonly RawRound[]): ResultStats {
  const e2eCommands: number[] = [];
  const e2eViews: number[] = [];
  const toGateway: number[] = [];
  const afterGateway: number[] = [];
  const failureCodes: Record<string, number> = {};
  const otherCalls: Record<string, number> = {};
  let expected = 0;
  let refusedAtDoor = 0;
  let received = 0;
  let ok = 0;
  let during = 0;
  let sendMs = 0;
  let drainMs = 0;
  let gatewayMaxInFlight = 0;
  let slackConnectionsMax = 0;
  for (const round of rounds) {
    const harvest = round.harvest;
    if (!harvest) continue;
    const acks = round.acks.filter((a) => a.status === 200 && !a.refused);
    expected += acks.length;
    refusedAtDoor += round.acks.filter((a) => a.status === 200 && a.refused).length;
    sendMs += round.endedAt - round.startedAt;
    gatewayMaxInFlight = Math.max(gatewayMaxInFlight, harvest.gatewayMaxInFlight);
    slackConnectionsMax = Math.max(slackConnectionsMax, harvest.slackConnectionsMax);
    for (const [method, n] of Object.entries(harvest.otherCalls))
      otherCalls[method] = (otherCalls[method] ?? 0) + n;
    const byId = new Map(acks.map((a) => [a.id, a]));
    const gatewayAt = new Map(harvest.gateway);
    const arrivals = [
      ...harvest.responses.map((r) => ({ id: r[0], at: r[1], ok: r[2], code: r[3], view: false })),
      ...harvest.views.map((r) => ({ id: shotIdOfView(r[0]), at: r[1], ok: r[2], code: r[3], view: true })),
    ];
    let last = round.endedAt;
    for (const arrival of arrivals) {
      const ack = byId.get(arrival.id);
      if (!ack) continue;
      received += 1;
      if (arrival.at <= round.endedAt) during += 1;
      last = Math.max(last, arrival.at);
      if (!arrival.ok) {
        const code = arrival.code ?? "unknown";
        failureCodes[code] = (failureCodes[code] ?? 0) + 1;
        continue;
      }
      ok += 1;
      (arrival.view ? e2eViews : e2eCommands).push(arrival.at - ack.scheduledAt - latency);
      const reached = gatewayAt.get(messageIdOf(ack.id));
      if (reached !== undefined) {
        toGateway.push(reached - ack.scheduledAt);
        afterGateway.push(arrival.at - reached - latency);
      }
    }
    drainMs = Math.max(drainMs, last - round.endedAt);
  }
  return {
    expected,
    refusedAtDoor,
    received,
    ok,
    failureCodes,
    e2eCommands: summarize(e2eCommands),
    e2eViews: summarize(e2eViews),
    toGateway: summarize(toGateway),
    afterGateway: summarize(afterGateway),
    completedPerSecond: during / (sendMs / 1000),
    drainMs,
    gatewayMaxInFlight,
    slackConnectionsMax,
    otherCalls,
  };
}
