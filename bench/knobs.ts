// The bench's settings, read once from the environment (BENCH_*); defaults give a ~8-minute run,
// BENCH_QUICK=1 a ~1-minute smoke run.

export interface Knobs {
  quick: boolean;
  /** Fixed rate of the main scenario (commands/s, view submissions included) and its length. */
  rate: number;
  seconds: number;
  /** The fixed-rate scenario alternates app and bare Bolt in this many rounds. */
  rounds: number;
  fastLatencyMs: number;
  slowRate: number;
  slowSeconds: number;
  slowLatencyMs: number;
  /** Requests kept outstanding in the saturation scenario, and for how long. */
  concurrency: number;
  saturationSeconds: number;
  burst: number;
  /** Connections the burst is sent over (a kernel accept backlog, not the app, limits far more). */
  burstConnections: number;
  /** Share of requests that are react-modal view submissions instead of `/wa react` commands. */
  viewShare: number;
  teams: number;
  /** Listeners the bare Bolt app registers (2 = `/wa` and views; the app registers 12). */
  bareListeners: number;
  warmup: number;
  /** Warm-up before the fixed-rate scenario, whose p99s are targets: long enough for steady state. */
  fastWarmup: number;
  /** Requests per floor measurement of the gateway client alone. */
  floorCount: number;
  cpuProf: boolean;
  /** Sample the app's allocations (bench/heap-sampler.mjs), collected objects included. */
  heapProf: boolean;
  /** Extra `node` flags for the app child (experiments, e.g. `--trace-gc`); none by default, as `npm start`. */
  appFlags: string[];
  /** The mirror: chats linked (each to its own channel) that deliveries are spread over. */
  mirrorChats: number;
  /** Webhook acknowledgement: fixed rate, its length (all rounds together), rounds alternating app and floor. */
  mirrorAckRate: number;
  mirrorAckSeconds: number;
  mirrorAckRounds: number;
  /** Event → chat.postMessage: fixed rate over every chat, its length, rounds. */
  mirrorE2eRate: number;
  mirrorE2eSeconds: number;
  mirrorE2eRounds: number;
  /** Ingest ceiling: deliveries outstanding (closed loop) and for how long, per store. */
  mirrorIngestConcurrency: number;
  mirrorIngestSeconds: number;
  /** Pacing: posts a second Slack allows per channel (the app's pace is set to the same), and events into one chat. */
  mirrorPaceN: number;
  mirrorPaceEvents: number;
  /** Memory: events left waiting for a paused Slack (measured at 0, half and all of them). */
  mirrorBacklog: number;
  /** Deliveries per process before a measured mirror phase. */
  mirrorWarmup: number;
  /** PostgreSQL for the ingest ceiling (a fresh schema, dropped afterwards); "off" skips it. */
  postgresUrl: string;
  /** Scenarios to run (BENCH_SCENARIOS=fast,slow…); all by default. */
  scenarios: ReadonlySet<Scenario>;
  reportPath: string;
}

export const COMMAND_SCENARIOS = ["fast", "sustained", "saturation", "burst", "slow"] as const;
export const MIRROR_SCENARIOS = [
  "mirror-ack",
  "mirror-e2e",
  "mirror-ingest",
  "mirror-pacing",
  "mirror-memory",
] as const;
export const SCENARIOS = [...COMMAND_SCENARIOS, ...MIRROR_SCENARIOS] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function readKnobs(env: Readonly<Record<string, string | undefined>>): Knobs {
  const quick = env.BENCH_QUICK === "1";
  const num = (name: string, normal: number, quickValue = normal): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return quick ? quickValue : normal;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
    return value;
  };
  const knobs: Knobs = {
    quick,
    rate: num("BENCH_RATE", 100),
    seconds: num("BENCH_SECONDS", 30, 2),
    rounds: num("BENCH_ROUNDS", 6, 2),
    fastLatencyMs: num("BENCH_FAST_LATENCY_MS", 1),
    slowRate: num("BENCH_SLOW_RATE", 40),
    slowSeconds: num("BENCH_SLOW_SECONDS", 20, 2),
    slowLatencyMs: num("BENCH_SLOW_LATENCY_MS", 2000),
    concurrency: num("BENCH_CONCURRENCY", 32),
    saturationSeconds: num("BENCH_SATURATION_SECONDS", 10, 1),
    burst: num("BENCH_BURST", 1000, 300),
    burstConnections: num("BENCH_BURST_CONNECTIONS", 100),
    viewShare: num("BENCH_VIEW_SHARE", 0.1),
    teams: num("BENCH_TEAMS", 8),
    bareListeners: num("BENCH_BARE_LISTENERS", 2),
    warmup: num("BENCH_WARMUP", 400, 50),
    fastWarmup: num("BENCH_FAST_WARMUP", 1500, 50),
    floorCount: num("BENCH_FLOOR_COUNT", 500, 50),
    cpuProf: env.BENCH_CPU_PROF === "1",
    heapProf: env.BENCH_HEAP_PROF === "1",
    appFlags: (env.BENCH_APP_FLAGS ?? "").split(" ").filter((f) => f !== ""),
    mirrorChats: num("BENCH_MIRROR_CHATS", 50),
    mirrorAckRate: num("BENCH_MIRROR_ACK_RATE", 200),
    mirrorAckSeconds: num("BENCH_MIRROR_ACK_SECONDS", 12, 2),
    mirrorAckRounds: num("BENCH_MIRROR_ACK_ROUNDS", 4, 2),
    mirrorE2eRate: num("BENCH_MIRROR_E2E_RATE", 50),
    mirrorE2eSeconds: num("BENCH_MIRROR_E2E_SECONDS", 16, 2),
    mirrorE2eRounds: num("BENCH_MIRROR_E2E_ROUNDS", 2, 1),
    mirrorIngestConcurrency: num("BENCH_MIRROR_INGEST_CONCURRENCY", 32),
    mirrorIngestSeconds: num("BENCH_MIRROR_INGEST_SECONDS", 6, 1),
    mirrorPaceN: num("BENCH_MIRROR_PACE_N", 20),
    mirrorPaceEvents: num("BENCH_MIRROR_PACE_EVENTS", 500, 60),
    mirrorBacklog: num("BENCH_MIRROR_BACKLOG", 10_000, 1_000),
    mirrorWarmup: num("BENCH_MIRROR_WARMUP", 600, 100),
    postgresUrl: env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    scenarios: readScenarios(env.BENCH_SCENARIOS),
    reportPath: env.BENCH_REPORT ?? (quick ? "bench/results/REPORT.quick.md" : "bench/REPORT.md"),
  };
  if (knobs.rate <= 0 || knobs.slowRate <= 0) throw new Error("BENCH_RATE and BENCH_SLOW_RATE must be > 0");
  if (knobs.viewShare > 1) throw new Error("BENCH_VIEW_SHARE is a share between 0 and 1");
  if (!Number.isInteger(knobs.rounds) || knobs.rounds < 1)
    throw new Error("BENCH_ROUNDS must be an integer ≥ 1");
  if (knobs.teams < 1 || knobs.concurrency < 1 || knobs.burstConnections < 1) {
    throw new Error("BENCH_TEAMS, BENCH_CONCURRENCY and BENCH_BURST_CONNECTIONS must be ≥ 1");
  }
  for (const [name, value] of Object.entries({
    BENCH_MIRROR_CHATS: knobs.mirrorChats,
    BENCH_MIRROR_ACK_RATE: knobs.mirrorAckRate,
    BENCH_MIRROR_ACK_ROUNDS: knobs.mirrorAckRounds,
    BENCH_MIRROR_E2E_RATE: knobs.mirrorE2eRate,
    BENCH_MIRROR_E2E_ROUNDS: knobs.mirrorE2eRounds,
    BENCH_MIRROR_INGEST_CONCURRENCY: knobs.mirrorIngestConcurrency,
    BENCH_MIRROR_PACE_N: knobs.mirrorPaceN,
    BENCH_MIRROR_PACE_EVENTS: knobs.mirrorPaceEvents,
  })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  }
  if (knobs.mirrorChats > 9999) throw new Error("BENCH_MIRROR_CHATS is at most 9999");
  return knobs;
}

function readScenarios(raw: string | undefined): ReadonlySet<Scenario> {
  if (raw === undefined || raw.trim() === "") return new Set(SCENARIOS);
  const picked = raw.split(",").map((s) => s.trim());
  const unknown = picked.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new Error(`BENCH_SCENARIOS: unknown ${unknown.join(", ")} (known: ${SCENARIOS.join(", ")})`);
  return new Set(picked as Scenario[]);
}
