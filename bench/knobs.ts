// The bench's settings, read once from the environment (BENCH_*); defaults give a ~4-minute run,
// BENCH_QUICK=1 a ~35-second smoke run.

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
  /** Scenarios to run (BENCH_SCENARIOS=fast,slow…); all by default. */
  scenarios: ReadonlySet<Scenario>;
  reportPath: string;
}

export const SCENARIOS = ["fast", "sustained", "saturation", "burst", "slow"] as const;
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
