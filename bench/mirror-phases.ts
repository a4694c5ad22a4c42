// The mirror's scenarios, each beside its floor in the same run: signed webhook deliveries of `message`
// events into the app (as `npm start` runs it) and into a bare node:http server (bench/bare-webhook.ts),
// with a fake Slack (mirror-sinks.ts) stamping each post. Webhook acknowledgement at a fixed rate, event →
// chat.postMessage latency, the ingest ceiling on SQLite and PostgreSQL, pacing against Slack's 429s, and
// memory with a backlog waiting for a paused Slack. Every scenario starts fresh processes on a fresh
// database, so one scenario's backlog never runs into the next.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { Pool } from "undici";
import { SLACK_CHANNEL_PACE } from "../src/mirror/post/channel-pacer.js";
import type { BenchTeam } from "./fixtures.js";
import type { Knobs } from "./knobs.js";
import { createLoadPool, runClosedLoop, runFixedRate, runList } from "./load.js";
import { createDeliveryFactory, type Delivery, mirrorChats, seedMirror } from "./mirror-fixtures.js";
import type { MirrorHarvest, MirrorSinks } from "./mirror-sinks.js";
import {
  type Load,
  measureRound,
  type PhaseResult,
  type RawRound,
  type ResultSink,
  summarizePhase,
} from "./phases.js";
import {
  type ChildHandle,
  freePort,
  peakRssMb,
  rssMb,
  sampleRss,
  spawnNode,
  stopChild,
  waitForQuiet,
  waitReady,
} from "./processes.js";
import { formatProfile, summarizeProfile } from "./profile.js";
import type { ScenarioProcesses } from "./report.js";
import { now, type Summary, sleep, summarize } from "./stats.js";

/** Other jobs' CPU (% of one core) above which a fixed-rate round is measured again (as run.ts does). */
const NOISY_ROUND_PCT = 15;

export interface MirrorContext {
  knobs: Knobs;
  root: string;
  /** The bench's temporary folder: databases and the app's working folder. */
  work: string;
  team: BenchTeam;
  gatewayUrl: string;
  sinks: MirrorSinks;
  /** `npm start`'s node flags and its entry, as run.ts reads them from package.json. */
  startFlags: string[];
  mainJs: string;
  botToken: string;
  signingSecret: string;
  encryptionKey: string;
  stamp: string;
  resultsDir: string;
  /** Registers a child with run.ts (killed if the bench fails; its pid counts as the bench's own). */
  track(child: ChildHandle): ChildHandle;
  livePids(): number[];
  say(text: string): void;
}

/** What Slack received for the deliveries of a phase. */
export interface PostStats {
  /** Deliveries acknowledged 2xx, each of which owes one post. */
  expected: number;
  /** Distinct deliveries posted. */
  posted: number;
  /** Posts beyond the first of a delivery. */
  duplicates: number;
  missing: number;
  /** Posts that arrived after a later delivery's of the same chat had. */
  outOfOrder: number;
  /** The delivery's send time → the post's arrival at Slack. */
  fromSend: Summary | undefined;
  /** The delivery's due time (open loop) → the post's arrival. */
  fromDue: Summary | undefined;
  rateLimited: number;
  /** From the end of sending to the last post. */
  drainMs: number;
  /** Posts a second between the first and the last one. */
  postsPerSecond: number;
  firstPostAt: number | undefined;
  lastPostAt: number | undefined;
  /** Longest time between two posts. */
  maxGapMs: number;
  slackConnectionsMax: number;
}

export interface MirrorPhase extends PhaseResult {
  store: "sqlite" | "postgres" | "none";
  posts?: PostStats;
  /** Ack p99 of each round (fixed rates), in order. */
  roundP99s?: number[];
  /** Send → post p99 of each round, when posts were owed. */
  roundPostP99s?: number[];
  /** Posts a second the app made while no post was owed (the backlog of earlier deliveries draining). */
  backgroundPostsPerSecond?: number;
  /** Events the app's inbox held once it stopped, and how many deliveries it had acknowledged as stored. */
  stored?: { inInbox: number; acknowledged: number };
}

export interface PacingResult {
  events: number;
  /** Slack's allowance per channel (posts in any rolling second) and the app's pace, set to match. */
  slackPerSecond: number;
  appIntervalMs: number;
  appBurst: number;
  posts: PostStats;
  /** The least time the posts could take at Slack's allowance: the burst at once, then N a second. */
  idealSeconds: number;
  /** Time between consecutive posts arriving at Slack. */
  gaps: Summary | undefined;
  /** For each 429: how long before it the N-th accepted post before it had arrived (under 1000 ms, or no 429). */
  limitedWindowMs: Summary | undefined;
  /** Each 429's arrival, in ms after the first post (raw figures, for a look at when they came). */
  limitedAtMs: number[];
}

export interface MemoryPoint {
  /** Deliveries stored and not yet posted (Slack paused). */
  waiting: number;
  /** Posts Slack holds unanswered (the chats running now). */
  heldBySlack: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  rssMb: number;
}

export interface MemoryResult {
  points: MemoryPoint[];
  /** Deliveries a second while the backlog was sent. */
  sendPerSecond: number;
  /** RSS sampled while the backlog was sent, its maximum. */
  rssMaxMb: number | undefined;
}

export interface MirrorRun {
  chats: number;
  phases: MirrorPhase[];
  /** One per scenario; `bare` is the floor (the bare node:http server) where the scenario has one. */
  processes: ScenarioProcesses[];
  pacing?: PacingResult;
  memory?: MemoryResult;
  /** Where the PostgreSQL ingest ran (without a password), or why it did not. */
  postgres?: { url: string } | { skipped: string };
  profiles: Record<string, string>;
}

type Target = "app" | "bare";

// ---- processes ----

function appEnv(ctx: MirrorContext, port: number, databaseUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: ctx.work,
    SLACK_SIGNING_SECRET: ctx.signingSecret,
    SLACK_BOT_TOKEN: ctx.botToken,
    SLACK_API_URL: ctx.sinks.slackApiUrl,
    GATEWAY_URL: ctx.gatewayUrl,
    APP_ENCRYPTION_KEY: ctx.encryptionKey,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    PORT: String(port),
  };
}

interface AppStart {
  scenario: string;
  databaseUrl: string;
  /** Preload bench/memory-probe.mjs, which writes the heap after a full GC on SIGUSR2 to this file. */
  memoryProbe?: string;
  /** Start through bench/mirror-app.ts with this pace per channel instead of `npm start`'s entry. */
  pace?: { intervalMs: number; burst: number };
}

function profFlags(ctx: MirrorContext, scenario: string): string[] {
  if (!ctx.knobs.cpuProf) return [];
  const dir = join(ctx.resultsDir, "prof");
  mkdirSync(dir, { recursive: true });
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=app-${scenario}-${ctx.stamp}.cpuprofile`];
}

async function startApp(ctx: MirrorContext, start: AppStart): Promise<ChildHandle> {
  const port = await freePort();
  const env = appEnv(ctx, port, start.databaseUrl);
  const preload = start.memoryProbe ? ["--import", join(ctx.root, "bench", "memory-probe.mjs")] : [];
  const args =
    start.pace === undefined
      ? [...ctx.startFlags, ...ctx.knobs.appFlags, ...profFlags(ctx, start.scenario), ...preload, ctx.mainJs]
      : [
          ...ctx.startFlags,
          ...profFlags(ctx, start.scenario),
          "--import",
          import.meta.resolve("tsx"),
          join(ctx.root, "bench", "mirror-app.ts"),
        ];
  if (start.memoryProbe) env.BENCH_MEMORY_PROBE = start.memoryProbe;
  if (start.pace) {
    env.BENCH_PACE_INTERVAL_MS = String(start.pace.intervalMs);
    env.BENCH_PACE_BURST = String(start.pace.burst);
  }
  return ctx.track(
    spawnNode({
      name: "app",
      args,
      cwd: ctx.work,
      env,
      port,
      logPath: join(ctx.resultsDir, `app-${ctx.stamp}.log`),
    }),
  );
}

async function startFloor(ctx: MirrorContext, relay: boolean): Promise<ChildHandle> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: ctx.work,
    PORT: String(port),
    SLACK_BOT_TOKEN: ctx.botToken,
  };
  if (relay) env.RELAY_SLACK_API_URL = ctx.sinks.slackApiUrl;
  return ctx.track(
    spawnNode({
      name: "bare node:http",
      args: ["--import", import.meta.resolve("tsx"), join(ctx.root, "bench", "bare-webhook.ts")],
      cwd: ctx.work,
      env,
      port,
      logPath: join(ctx.resultsDir, `bare-webhook-${ctx.stamp}.log`),
    }),
  );
}

/**
 * Starts the scenario's app (and floor), measures, and records their memory and start-up as run.ts does
 * for the command path: RSS 1 s after ready, 2 s after the load, and the kernel's peak.
 */
async function withProcesses(
  ctx: MirrorContext,
  run: MirrorRun,
  scenario: string,
  start: { app: () => Promise<ChildHandle>; floor?: () => Promise<ChildHandle> },
  measure: (t: { app: ChildHandle; floor: ChildHandle | undefined }) => Promise<void>,
): Promise<void> {
  const app = await start.app();
  const appReadyMs = await waitReady(app, "/readyz");
  const floor = start.floor ? await start.floor() : undefined;
  const floorReadyMs = floor ? await waitReady(floor, "/readyz") : Number.NaN;
  ctx.say(
    `${scenario}: app ready in ${appReadyMs.toFixed(0)} ms${floor ? `, floor in ${floorReadyMs.toFixed(0)} ms` : ""}`,
  );
  await sleep(ctx.knobs.quick ? 500 : 1000);
  const idle = { app: rssMb(app.pid), bare: floor ? rssMb(floor.pid) : undefined };
  await measure({ app, floor });
  await sleep(ctx.knobs.quick ? 500 : 2000);
  const after = { app: rssMb(app.pid), bare: floor ? rssMb(floor.pid) : undefined };
  const peak = { app: peakRssMb(app.pid), bare: floor ? peakRssMb(floor.pid) : undefined };
  // A paused Slack answers what it holds, so the app's drain is not spent waiting on it.
  await ctx.sinks.behave({});
  const appStop = await stopChild(app);
  if (floor) await stopChild(floor);
  run.processes.push({
    scenario,
    appReadyMs,
    bareReadyMs: floorReadyMs,
    idleMb: idle,
    afterMb: after,
    peakMb: peak,
    appStop: { code: appStop.code, signal: appStop.signal, ms: appStop.ms },
  });
  const profile = join(ctx.resultsDir, "prof", `app-${scenario}-${ctx.stamp}.cpuprofile`);
  if (ctx.knobs.cpuProf && existsSync(profile)) {
    run.profiles[scenario] = formatProfile(summarizeProfile(profile, 25));
    writeFileSync(
      join(ctx.resultsDir, `profile-${scenario}-${ctx.stamp}.txt`),
      `${run.profiles[scenario]}\n`,
    );
    ctx.say(`CPU profile: ${profile}`);
  }
}

// ---- rounds ----

/** Posts of the phase's deliveries, matched by the WhatsApp message id each post's metadata carries. */
function postStats(
  rounds: readonly {
    round: RawRound;
    collected: MirrorHarvest | undefined;
    deliveries: Map<string, Delivery>;
  }[],
  order: (id: string) => number,
): PostStats | undefined {
  if (!rounds.some((r) => r.collected !== undefined)) return undefined;
  const fromSend: number[] = [];
  const fromDue: number[] = [];
  let expected = 0;
  let posted = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let rateLimited = 0;
  let drainMs = 0;
  let connections = 0;
  let first: number | undefined;
  let last: number | undefined;
  let maxGapMs = 0;
  let postCount = 0;
  let spanMs = 0;
  for (const { round, collected, deliveries } of rounds) {
    if (!collected) continue;
    const acks = new Map(round.acks.filter((a) => a.status >= 200 && a.status < 300).map((a) => [a.id, a]));
    expected += acks.size;
    rateLimited += collected.rateLimited.length;
    connections = Math.max(connections, collected.connectionsMax);
    const seen = new Set<string>();
    const newestPerChat = new Map<number, number>();
    const ours = collected.posts.filter((p) => acks.has(p[0])).sort((a, b) => a[2] - b[2]);
    let previous: number | undefined;
    for (const [mid, , at] of ours) {
      const ack = acks.get(mid);
      const delivery = deliveries.get(mid);
      if (!ack || !delivery) continue;
      if (seen.has(mid)) {
        duplicates += 1;
        continue;
      }
      seen.add(mid);
      posted += 1;
      fromSend.push(at - ack.sentAt);
      fromDue.push(at - ack.scheduledAt);
      const index = order(mid);
      const newest = newestPerChat.get(delivery.chat) ?? -1;
      if (index < newest) outOfOrder += 1;
      else newestPerChat.set(delivery.chat, index);
      if (previous !== undefined) maxGapMs = Math.max(maxGapMs, at - previous);
      previous = at;
      first = first === undefined ? at : Math.min(first, at);
      last = last === undefined ? at : Math.max(last, at);
      drainMs = Math.max(drainMs, at - round.endedAt);
    }
    const times = ours.map((p) => p[2]);
    if (times.length > 1) {
      postCount += times.length - 1;
      spanMs += (times[times.length - 1] ?? 0) - (times[0] ?? 0);
    }
  }
  return {
    expected,
    posted,
    duplicates,
    missing: expected - posted,
    outOfOrder,
    fromSend: summarize(fromSend),
    fromDue: summarize(fromDue),
    rateLimited,
    drainMs,
    postsPerSecond: spanMs > 0 ? (postCount * 1000) / spanMs : 0,
    firstPostAt: first,
    lastPostAt: last,
    maxGapMs,
    slackConnectionsMax: connections,
  };
}

/** The fake Slack as a round's result sink: posts owed, or nothing to wait for. */
function slackResults(sinks: MirrorSinks, owed: boolean): ResultSink<MirrorHarvest | undefined> {
  return {
    reset: () => sinks.reset(),
    async settle(okAcks, timeoutMs) {
      if (!owed) return;
      const deadline = now() + timeoutMs;
      while (now() < deadline) {
        if ((await sinks.counts()).posts >= okAcks) return;
        await sleep(25);
      }
    },
    harvest: () => (owed ? sinks.harvest() : Promise.resolve(undefined)),
  };
}

interface RoundPlan {
  target: Target;
  child: ChildHandle;
  pool: Pool;
  load: Load;
  deliveries: Map<string, Delivery>;
  /** Wait for a post per acknowledged delivery (and harvest them). */
  owed: boolean;
  drainTimeoutMs: number;
}

async function mirrorRound(ctx: MirrorContext, plan: RoundPlan) {
  const since = now();
  const { round, collected } = await measureRound(
    {
      child: plan.child,
      pool: plan.pool,
      load: plan.load,
      drainTimeoutMs: plan.drainTimeoutMs,
      ownPids: ctx.livePids(),
      waitForQuiet: !ctx.knobs.quick,
    },
    slackResults(ctx.sinks, plan.owed),
  );
  // Posts made meanwhile (a backlog draining) when none were owed: Slack's counts since the reset.
  const background = plan.owed
    ? undefined
    : { posts: (await ctx.sinks.counts()).posts, seconds: (now() - since) / 1000 };
  return { round, collected, deliveries: plan.deliveries, background };
}

function deliveriesOf(make: (i: number) => Delivery, count: number): Map<string, Delivery> {
  const out = new Map<string, Delivery>();
  for (let i = 0; i < count; i++) {
    const d = make(i);
    out.set(d.id, d);
  }
  return out;
}

/** Index of a delivery in its phase, from its WhatsApp message id (`…_<i>`). */
const indexOf = (id: string) => Number(id.slice(id.lastIndexOf("_") + 1));

/**
 * A fixed rate in rounds that alternate app and floor, so a noisy moment of the machine falls on both; a
 * round during which another job took a noticeable share of the CPU is run again (at most twice).
 */
async function alternatingRounds(
  ctx: MirrorContext,
  scenario: string,
  label: string,
  targets: Record<Target, { child: ChildHandle; pool: Pool }>,
  options: { rate: number; seconds: number; rounds: number; owed: boolean; store: MirrorPhase["store"] },
): Promise<MirrorPhase[]> {
  const perRound = Math.max(1, Math.round((options.rate * options.seconds) / options.rounds));
  const rounds: Record<Target, Awaited<ReturnType<typeof mirrorRound>>[]> = { app: [], bare: [] };
  let repeated = 0;
  for (let r = 0; r < options.rounds; r++) {
    const order: Target[] = r % 2 === 0 ? ["app", "bare"] : ["bare", "app"];
    for (const target of order) {
      for (let attempt = 0; ; attempt++) {
        const make = createDeliveryFactory({
          prefix: `${scenario}-${target}-r${r}a${attempt}`,
          team: ctx.team,
          chats: mirrorChats(ctx.knobs.mirrorChats),
        });
        const deliveries = deliveriesOf(make, perRound);
        const result = await mirrorRound(ctx, {
          target,
          ...targets[target],
          load: { mode: "rate", shots: [...deliveries.values()], rate: options.rate },
          deliveries,
          owed: options.owed,
          drainTimeoutMs: 30_000,
        });
        const othersPct = (100 * result.round.othersCpuSeconds) / result.round.wallSeconds;
        if (othersPct <= NOISY_ROUND_PCT || attempt >= 2 || ctx.knobs.quick) {
          rounds[target].push(result);
          break;
        }
        repeated += 1;
        ctx.say(
          `${scenario}: ${target} round ${r + 1} ran beside another job (${othersPct.toFixed(0)}% of a core); again`,
        );
      }
    }
  }
  return (["app", "bare"] as const).map((target) => {
    const raw = rounds[target];
    const phase: MirrorPhase = {
      ...summarizePhase(
        { scenario, label, target, gatewayLatencyMs: 0 },
        raw.map((r) => r.round),
      ),
      store: target === "app" ? options.store : "none",
      roundsRepeated: repeated,
      roundP99s: raw.map(
        (r) =>
          summarizePhase({ scenario, label, target, gatewayLatencyMs: 0 }, [r.round]).ack?.p99 ?? Number.NaN,
      ),
    };
    const posts = postStats(raw, indexOf);
    if (posts) {
      phase.posts = posts;
      phase.roundPostP99s = raw.map((r) => postStats([r], indexOf)?.fromSend?.p99 ?? Number.NaN);
    }
    const background = raw.flatMap((r) => (r.background ? [r.background] : []));
    if (target === "app" && background.length > 0) {
      const seconds = background.reduce((sum, b) => sum + b.seconds, 0);
      phase.backgroundPostsPerSecond = background.reduce((sum, b) => sum + b.posts, 0) / seconds;
    }
    return phase;
  });
}

/** Sends deliveries (not measured) until the JIT, connections and caches are warm; waits for their posts. */
async function warmUp(
  ctx: MirrorContext,
  pool: Pool,
  prefix: string,
  count: number,
  rate: number,
  waitForPosts: boolean,
): Promise<void> {
  if (count <= 0) return;
  await ctx.sinks.reset();
  const make = createDeliveryFactory({ prefix, team: ctx.team, chats: mirrorChats(ctx.knobs.mirrorChats) });
  const acks = await runFixedRate(pool, [...deliveriesOf(make, count).values()], rate);
  const ok = acks.filter((a) => a.status === 200).length;
  if (ok < count) ctx.say(`warm-up ${prefix}: ${count - ok} deliveries not answered 200`);
  if (!waitForPosts) return;
  const deadline = now() + 60_000;
  while (now() < deadline && (await ctx.sinks.counts()).posts < ok) await sleep(50);
}

// ---- stores ----

function sqliteUrl(ctx: MirrorContext, scenario: string): { url: string; path: string } {
  const path = join(ctx.work, `${scenario}.db`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  return { url: `sqlite:${path}`, path };
}

function countSqliteInbox(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM inbox").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The server part of a PostgreSQL URL, for a report: never its password. */
function shownUrl(url: string): string {
  const u = new URL(url);
  u.password = "";
  u.search = "";
  return u.href;
}

async function withPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// ---- the scenarios ----

/** Runs the mirror scenarios chosen in knobs.scenarios, in order. */
export async function runMirrorScenarios(ctx: MirrorContext): Promise<MirrorRun> {
  const { knobs } = ctx;
  const run: MirrorRun = { chats: knobs.mirrorChats, phases: [], processes: [], profiles: {} };
  const chats = mirrorChats(knobs.mirrorChats);
  const has = (name: string) => (knobs.scenarios as ReadonlySet<string>).has(name);

  // Webhook acknowledgement at a fixed rate, beside a bare node:http server that only answers 200.
  if (has("mirror-ack")) {
    const { url } = sqliteUrl(ctx, "mirror-ack");
    await seedMirror(url, ctx.team, chats);
    await ctx.sinks.behave({});
    await withProcesses(
      ctx,
      run,
      "mirror-ack",
      {
        app: () => startApp(ctx, { scenario: "mirror-ack", databaseUrl: url }),
        floor: () => startFloor(ctx, false),
      },
      async ({ app, floor }) => {
        if (!floor) return;
        const targets = {
          app: { child: app, pool: createLoadPool(app.url, 64) },
          bare: { child: floor, pool: createLoadPool(floor.url, 64) },
        };
        for (const target of ["app", "bare"] as const) {
          await warmUp(ctx, targets[target].pool, `warm-ack-${target}`, knobs.mirrorWarmup, 400, false);
        }
        const label = `${knobs.mirrorAckRate}/s for ${knobs.mirrorAckSeconds} s over ${chats.length} chats`;
        const phases = await alternatingRounds(ctx, "mirror-ack", label, targets, {
          rate: knobs.mirrorAckRate,
          seconds: knobs.mirrorAckSeconds,
          rounds: knobs.mirrorAckRounds,
          owed: false,
          store: "sqlite",
        });
        run.phases.push(...phases);
        await targets.app.pool.close();
        await targets.bare.pool.close();
      },
    );
  }

  // Event → chat.postMessage at a rate every channel's pace allows, beside the floor relaying each event.
  if (has("mirror-e2e")) {
    const { url } = sqliteUrl(ctx, "mirror-e2e");
    await seedMirror(url, ctx.team, chats);
    await ctx.sinks.behave({});
    await withProcesses(
      ctx,
      run,
      "mirror-e2e",
      {
        app: () => startApp(ctx, { scenario: "mirror-e2e", databaseUrl: url }),
        floor: () => startFloor(ctx, true),
      },
      async ({ app, floor }) => {
        if (!floor) return;
        const targets = {
          app: { child: app, pool: createLoadPool(app.url, 32) },
          bare: { child: floor, pool: createLoadPool(floor.url, 32) },
        };
        // At the measured rate: faster would build a backlog that Slack's pace drains for many seconds.
        const warm = Math.min(knobs.mirrorWarmup, knobs.mirrorE2eRate * 5);
        for (const target of ["app", "bare"] as const) {
          await warmUp(ctx, targets[target].pool, `warm-e2e-${target}`, warm, knobs.mirrorE2eRate, true);
        }
        const label = `${knobs.mirrorE2eRate}/s for ${knobs.mirrorE2eSeconds} s over ${chats.length} chats`;
        const phases = await alternatingRounds(ctx, "mirror-e2e", label, targets, {
          rate: knobs.mirrorE2eRate,
          seconds: knobs.mirrorE2eSeconds,
          rounds: knobs.mirrorE2eRounds,
          owed: true,
          store: "sqlite",
        });
        run.phases.push(...phases);
        await targets.app.pool.close();
        await targets.bare.pool.close();
      },
    );
  }

  if (has("mirror-ingest")) await ingest(ctx, run, chats);
  if (has("mirror-pacing")) await pacing(ctx, run, chats);
  if (has("mirror-memory")) await memory(ctx, run, chats);
  await ctx.sinks.behave({});
  return run;
}

/**
 * Ingest ceiling: N deliveries outstanding, each lane sending its next as soon as its last one is
 * answered, on SQLite, on PostgreSQL (a fresh schema; graphile-worker schedules) and into the floor.
 * Afterwards the inbox is counted: every delivery answered 2xx must be in it.
 */
async function ingest(ctx: MirrorContext, run: MirrorRun, chats: ReturnType<typeof mirrorChats>) {
  const { knobs } = ctx;
  const label = `${knobs.mirrorIngestConcurrency} outstanding for ${knobs.mirrorIngestSeconds} s`;
  await ctx.sinks.behave({});

  /** A short closed loop (not measured), then the measured one; with how many deliveries got a 200. */
  async function closedLoop(
    name: string,
    target: Target,
    child: ChildHandle,
    store: MirrorPhase["store"],
  ): Promise<{ phase: MirrorPhase; answered: number }> {
    const pool = createLoadPool(child.url, knobs.mirrorIngestConcurrency);
    try {
      const warm = await runClosedLoop(
        pool,
        createDeliveryFactory({ prefix: `warm-${name}-${target}`, team: ctx.team, chats }),
        knobs.mirrorIngestConcurrency,
        knobs.quick ? 300 : 1_000,
      );
      const { round } = await mirrorRound(ctx, {
        target,
        child,
        pool,
        load: {
          mode: "closed",
          next: createDeliveryFactory({ prefix: `${name}-${target}`, team: ctx.team, chats }),
          concurrency: knobs.mirrorIngestConcurrency,
          durationMs: knobs.mirrorIngestSeconds * 1000,
        },
        deliveries: new Map(),
        owed: false,
        drainTimeoutMs: 0,
      });
      const phase: MirrorPhase = {
        ...summarizePhase({ scenario: name, label, target, gatewayLatencyMs: 0 }, [round]),
        store,
      };
      const answered = [...warm.acks, ...round.acks].filter((a) => a.status === 200).length;
      return { phase, answered };
    } finally {
      await pool.close();
    }
  }

  // SQLite, with the floor beside it.
  const sqlite = sqliteUrl(ctx, "mirror-ingest");
  await seedMirror(sqlite.url, ctx.team, chats);
  let measured: { phase: MirrorPhase; answered: number } | undefined;
  await withProcesses(
    ctx,
    run,
    "mirror-ingest",
    {
      app: () => startApp(ctx, { scenario: "mirror-ingest", databaseUrl: sqlite.url }),
      floor: () => startFloor(ctx, false),
    },
    async ({ app, floor }) => {
      measured = await closedLoop("mirror-ingest", "app", app, "sqlite");
      run.phases.push(measured.phase);
      if (floor) run.phases.push((await closedLoop("mirror-ingest", "bare", floor, "none")).phase);
    },
  );
  if (measured) {
    measured.phase.stored = { inInbox: countSqliteInbox(sqlite.path), acknowledged: measured.answered };
  }

  // PostgreSQL: a fresh schema, dropped afterwards with graphile-worker's.
  if (knobs.postgresUrl === "off") {
    run.postgres = { skipped: "BENCH_POSTGRES_URL=off" };
    return;
  }
  try {
    await withPostgres(knobs.postgresUrl, (c) => c.query("SELECT 1"));
  } catch (error) {
    run.postgres = {
      skipped: `PostgreSQL did not answer at ${shownUrl(knobs.postgresUrl)}: ${String(error)}`,
    };
    ctx.say(`mirror-ingest-pg skipped: ${run.postgres.skipped}`);
    return;
  }
  const schema = `bench_mirror_${ctx.stamp.replace(/[^0-9a-zA-Z]/g, "").toLowerCase()}`.slice(0, 40);
  const target = new URL(knobs.postgresUrl);
  target.searchParams.set("schema", schema);
  run.postgres = { url: `${shownUrl(knobs.postgresUrl)} (schema ${schema}, dropped afterwards)` };
  try {
    await seedMirror(target.href, ctx.team, chats);
    let pgMeasured: { phase: MirrorPhase; answered: number } | undefined;
    await withProcesses(
      ctx,
      run,
      "mirror-ingest-pg",
      { app: () => startApp(ctx, { scenario: "mirror-ingest-pg", databaseUrl: target.href }) },
      async ({ app }) => {
        pgMeasured = await closedLoop("mirror-ingest-pg", "app", app, "postgres");
        run.phases.push(pgMeasured.phase);
      },
    );
    if (pgMeasured) {
      const inInbox = await withPostgres(knobs.postgresUrl, async (c) => {
        const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".inbox`);
        return rows[0]?.n ?? 0;
      });
      pgMeasured.phase.stored = { inInbox, acknowledged: pgMeasured.answered };
    }
  } finally {
    await withPostgres(knobs.postgresUrl, async (c) => {
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS "${schema}_worker" CASCADE`);
    }).catch((error: unknown) => ctx.say(`could not drop schema ${schema}: ${String(error)}`));
  }
}

/**
 * Pacing: every event into one chat, sent one after another, against a fake Slack that allows N posts a
 * second in the channel and answers 429 (Retry-After) beyond. The app runs its own pace N times faster
 * (bench/mirror-app.ts), so that 500 posts take about 500 / N seconds.
 */
async function pacing(ctx: MirrorContext, run: MirrorRun, chats: ReturnType<typeof mirrorChats>) {
  const { knobs } = ctx;
  const n = knobs.mirrorPaceN;
  // The app's own pace per channel (about one post a second, bursts of 3), N times faster, against a Slack
  // that allows N a second: the real ratio of the two, in a fraction of the time.
  const burst = SLACK_CHANNEL_PACE.burst;
  const pace = { intervalMs: SLACK_CHANNEL_PACE.intervalMs / n, burst };
  const { url } = sqliteUrl(ctx, "mirror-pacing");
  await seedMirror(url, ctx.team, chats);
  await ctx.sinks.behave({ perSecond: n });
  await withProcesses(
    ctx,
    run,
    "mirror-pacing",
    { app: () => startApp(ctx, { scenario: "mirror-pacing", databaseUrl: url, pace }) },
    async ({ app }) => {
      const pool = createLoadPool(app.url, 1);
      const make = createDeliveryFactory({ prefix: "mirror-pacing", team: ctx.team, chats, chatOf: () => 0 });
      const deliveries = deliveriesOf(make, knobs.mirrorPaceEvents);
      const shots = [...deliveries.values()];
      const idealSeconds = Math.max(0, shots.length - burst) / n;
      const result = await mirrorRound(ctx, {
        target: "app",
        child: app,
        pool,
        load: { mode: "list", shots, concurrency: 1 },
        deliveries,
        owed: true,
        drainTimeoutMs: Math.max(30_000, idealSeconds * 3000),
      });
      await pool.close();
      const label = `${shots.length} events into one chat, Slack allowing ${n}/s`;
      const phase: MirrorPhase = {
        ...summarizePhase({ scenario: "mirror-pacing", label, target: "app", gatewayLatencyMs: 0 }, [
          result.round,
        ]),
        store: "sqlite",
      };
      const posts = postStats([result], indexOf);
      if (posts) phase.posts = posts;
      run.phases.push(phase);
      const accepted = (result.collected?.posts ?? []).map((p) => p[2]).sort((a, b) => a - b);
      const gaps = accepted.slice(1).map((at, i) => at - (accepted[i] ?? at));
      const limitedWindow = (result.collected?.rateLimited ?? []).map(([, at]) => {
        const before = accepted.filter((t) => t <= at);
        return at - (before[before.length - n] ?? Number.NaN);
      });
      if (posts) {
        run.pacing = {
          gaps: summarize(gaps),
          limitedWindowMs: summarize(limitedWindow.filter(Number.isFinite)),
          limitedAtMs: (result.collected?.rateLimited ?? []).map(([, at]) =>
            Math.round(at - (accepted[0] ?? at)),
          ),
          events: shots.length,
          slackPerSecond: n,
          appIntervalMs: pace.intervalMs,
          appBurst: burst,
          posts,
          idealSeconds,
        };
      }
    },
  );
}

/** Sends SIGUSR2 to the app (bench/memory-probe.mjs) and reads what it wrote after a full GC. */
async function probeHeap(child: ChildHandle, file: string): Promise<Record<string, number>> {
  rmSync(file, { force: true });
  child.proc.kill("SIGUSR2");
  const deadline = now() + 10_000;
  while (now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Record<string, number>;
    await sleep(20);
  }
  throw new Error("the app's memory probe did not answer within 10 s (bench/memory-probe.mjs)");
}

/**
 * Memory with a backlog: Slack paused (it holds every answer), deliveries keep coming and are stored;
 * they wait in the inbox, not in memory. The heap after a full GC at 0, half and all of the backlog.
 */
async function memory(ctx: MirrorContext, run: MirrorRun, chats: ReturnType<typeof mirrorChats>) {
  const { knobs } = ctx;
  const { url } = sqliteUrl(ctx, "mirror-memory");
  await seedMirror(url, ctx.team, chats);
  await ctx.sinks.behave({});
  const probeFile = join(ctx.work, "memory-probe.json");
  await withProcesses(
    ctx,
    run,
    "mirror-memory",
    { app: () => startApp(ctx, { scenario: "mirror-memory", databaseUrl: url, memoryProbe: probeFile }) },
    async ({ app }) => {
      const pool = createLoadPool(app.url, 16);
      // Warm-up within every channel's burst, so it is all posted at once and nothing waits.
      await warmUp(ctx, pool, "warm-memory", Math.min(knobs.mirrorWarmup, chats.length * 3), 100, true);
      if (!knobs.quick) await waitForQuiet(ctx.livePids());
      const points: MemoryPoint[] = [];
      let acked = 0;
      const point = async () => {
        const counts = await ctx.sinks.counts();
        const heap = await probeHeap(app, probeFile);
        const mb = (bytes: number | undefined) => (bytes ?? 0) / 1024 / 1024;
        points.push({
          waiting: acked - counts.posts,
          heldBySlack: counts.held,
          heapUsedMb: mb(heap.heapUsed),
          heapTotalMb: mb(heap.heapTotal),
          externalMb: mb(heap.external),
          rssMb: mb(heap.rss),
        });
      };
      await ctx.sinks.reset();
      await point();
      await ctx.sinks.behave({ paused: true });
      const rss = sampleRss(app.pid);
      const half = Math.floor(knobs.mirrorBacklog / 2);
      let sendMs = 0;
      for (const [step, count] of [
        [0, half],
        [1, knobs.mirrorBacklog - half],
      ] as const) {
        const make = createDeliveryFactory({ prefix: `mirror-memory-${step}`, team: ctx.team, chats });
        const started = now();
        const acks = await runList(pool, [...deliveriesOf(make, count).values()], 16);
        sendMs += now() - started;
        acked += acks.filter((a) => a.status === 200).length;
        await sleep(knobs.quick ? 200 : 1000);
        await point();
      }
      const samples = rss.stop();
      run.memory = {
        points,
        sendPerSecond: (acked * 1000) / Math.max(1, sendMs),
        rssMaxMb: samples.length > 0 ? Math.max(...samples) : undefined,
      };
      await pool.close();
    },
  );
}
