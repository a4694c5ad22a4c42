// Turns a run's figures into bench/REPORT.md (tables, ratios app / floor, targets) and a compact
// summary for the terminal. Hand-written findings (what profiling showed, what was fixed) come from
// bench/findings.md, so they survive the report being overwritten.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Floors } from "./floors.js";
import { COMMAND_SCENARIOS, type Knobs, MIRROR_SCENARIOS } from "./knobs.js";
import type { MirrorRun } from "./mirror-phases.js";
import { renderMirrorSections, renderMirrorTargets } from "./mirror-report.js";
import type { PhaseResult } from "./phases.js";
import { ms, ratio, type Summary } from "./stats.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

type PerTarget = { app: number | undefined; bare: number | undefined };

/** The processes of one scenario: each scenario starts a fresh app and a fresh bare Bolt app. */
export interface ScenarioProcesses {
  scenario: string;
  appReadyMs: number;
  bareReadyMs: number;
  /** RSS 1 s after ready, 2 s after the load, and the peak (VmHWM), in MiB. */
  idleMb: PerTarget;
  afterMb: PerTarget;
  peakMb: PerTarget;
  appStop: { code: number | null; signal: string | null; ms: number };
}

export interface BenchRun {
  date: string;
  machine: Machine;
  knobs: Omit<Knobs, "scenarios"> & { scenarios: string[] };
  benchSeconds: number;
  /** How the app was started: `npm start`'s node flags and any BENCH_APP_FLAGS. */
  appCommand?: string;
  floors: Floors;
  processes: ScenarioProcesses[];
  phases: PhaseResult[];
  /** Top of the app's CPU profile per scenario (BENCH_CPU_PROF=1). */
  profiles: Record<string, string>;
  /** The app's allocation sites per scenario (BENCH_HEAP_PROF=1). */
  heapProfiles: Record<string, string>;
  /** The mirror's scenarios (bench/mirror-phases.ts); absent in runs made before the bench had them. */
  mirror?: MirrorRun | undefined;
}

export const TARGETS = {
  ackRatio: 1.3,
  e2eP99Ms: 10,
  ackDeadlineMs: 3000,
  rssMb: 150,
  readyMs: 2000,
} as const;

export function machineInfo(): Machine {
  let release = `${os.type()} ${os.release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1];
    if (pretty) release = `${pretty} (${os.type()} ${os.release()})`;
  } catch {
    // not Linux: the kernel line will do
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: release,
  };
}

const find = (run: BenchRun, scenario: string, target: "app" | "bare") =>
  run.phases.find((p) => p.scenario === scenario && p.target === target);

const triple = (s: Summary | undefined) => `${ms(s?.p50)} / ${ms(s?.p99)} / ${ms(s?.max)}`;
const mb = (v: number | undefined) => (v === undefined ? "–" : `${v.toFixed(0)} MB`);
const x = (v: number | undefined) => (v === undefined ? "–" : `${v.toFixed(2)}×`);
const mark = (ok: boolean) => (ok ? "✅" : "❌");

interface TargetRow {
  name: string;
  measured: string;
  limit: string;
  met: boolean;
}

const STEADY = ["fast", "slow", "burst"];
const CAPACITY = ["sustained"];
const OVERLOAD = ["saturation"];

/** The highest RSS of the app (or the bare Bolt app) over the given scenarios: sampled under load, or the kernel's peak. */
function appRss(
  run: BenchRun,
  scenarios: readonly string[],
  target: "app" | "bare" = "app",
): number | undefined {
  const values = [
    ...run.phases.filter((p) => p.target === target && scenarios.includes(p.scenario)).map((p) => p.rssMaxMb),
    ...run.processes.filter((p) => scenarios.includes(p.scenario)).map((p) => p.peakMb[target]),
  ].filter((v): v is number => v !== undefined);
  return values.length === 0 ? undefined : Math.max(...values);
}

export function evaluateTargets(run: BenchRun): TargetRow[] {
  const fastApp = find(run, "fast", "app");
  const fastBare = find(run, "fast", "bare");
  const ackRatio = ratio(fastApp?.ack?.p99, fastBare?.ack?.p99);
  const e2e = fastApp?.results?.e2eCommands?.p99;
  const appPhases = run.phases.filter((p) => p.target === "app");
  const late = appPhases.reduce((n, p) => n + p.ackOver3s, 0);
  const worstAck = Math.max(0, ...appPhases.map((p) => p.ack?.max ?? 0));
  const steady = appRss(run, STEADY);
  const capacity = appRss(run, CAPACITY);
  const overload = appRss(run, OVERLOAD);
  const ready = run.processes.map((p) => p.appReadyMs);
  const rows: TargetRow[] = [
    {
      name: `Ack p99 ≤ ${TARGETS.ackRatio} × bare Bolt's, both at ${run.knobs.rate}/s`,
      measured: `${ms(fastApp?.ack?.p99)} ms vs ${ms(fastBare?.ack?.p99)} ms = ${x(ackRatio)}`,
      limit: `≤ ${TARGETS.ackRatio}×`,
      met: ackRatio !== undefined && ackRatio <= TARGETS.ackRatio,
    },
    {
      name: `End-to-end p99 minus gateway latency at ${run.knobs.rate}/s`,
      measured: `${ms(e2e)} ms`,
      limit: `≤ ${TARGETS.e2eP99Ms} ms`,
      met: e2e !== undefined && e2e <= TARGETS.e2eP99Ms,
    },
    {
      name: "No ack later than 3 s, any scenario",
      measured: `${late} late or failed; slowest ${ms(worstAck)} ms`,
      limit: "0",
      met: late === 0 && appPhases.length > 0,
    },
  ];
  if (steady !== undefined) {
    rows.push({
      name: "RSS under load: the fixed rates (fast and slow gateway) and the burst",
      measured: mb(steady),
      limit: `≤ ${TARGETS.rssMb} MB`,
      met: steady <= TARGETS.rssMb,
    });
  }
  if (capacity !== undefined) {
    rows.push({
      name: "RSS under load: at full capacity (sustained saturation)",
      measured: `${mb(capacity)} (bare Bolt: ${mb(appRss(run, CAPACITY, "bare"))})`,
      limit: `≤ ${TARGETS.rssMb} MB`,
      met: capacity <= TARGETS.rssMb,
    });
  }
  if (overload !== undefined) {
    rows.push({
      name: "RSS under overload: saturation on acks",
      measured: `${mb(overload)} (bare Bolt: ${mb(appRss(run, OVERLOAD, "bare"))})`,
      limit: `≤ ${TARGETS.rssMb} MB`,
      met: overload <= TARGETS.rssMb,
    });
  }
  rows.push({
    name: "Spawn → /readyz 200 (every start)",
    measured: `${ready.map((v) => v.toFixed(0)).join(", ")} ms`,
    limit: `≤ ${TARGETS.readyMs} ms`,
    met: ready.length > 0 && Math.max(...ready) <= TARGETS.readyMs,
  });
  return rows;
}

/** The full `npm run bench` runs (every scenario, not quick) whose raw figures are in `dir`, oldest first. */
export function readHistory(dir: string): BenchRun[] {
  const runs: BenchRun[] = [];
  for (const file of existsSync(dir) ? readdirSync(dir) : []) {
    if (!/^bench-.*\.json$/.test(file)) continue;
    try {
      const run = JSON.parse(readFileSync(join(dir, file), "utf8")) as BenchRun;
      const ran = (names: readonly string[]) => names.every((name) => run.knobs.scenarios.includes(name));
      // Runs from before the mirror's scenarios (no mirror knobs) were full with the command path's alone.
      const before = (run.knobs as Partial<BenchRun["knobs"]>).mirrorChats === undefined;
      const full =
        ran(COMMAND_SCENARIOS) &&
        (before || ran(MIRROR_SCENARIOS)) &&
        run.knobs.reportPath === "bench/REPORT.md";
      if (!run.knobs.quick && full && Array.isArray(run.processes)) runs.push(run);
    } catch {
      // a file from an older bench, or cut short: not history
    }
  }
  return runs.sort((a, b) => a.date.localeCompare(b.date));
}

export function renderReport(run: BenchRun, history: readonly BenchRun[] = []): string {
  const k = run.knobs;
  const m = run.machine;
  const out: string[] = [];
  const line = (text = "") => out.push(text);
  const table = (head: string[], rows: string[][]) => {
    line(`| ${head.join(" | ")} |`);
    line(`| ${head.map(() => "---").join(" | ")} |`);
    for (const row of rows) line(`| ${row.join(" | ")} |`);
    line();
  };
  const scenarios = ["fast", "sustained", "saturation", "burst", "slow"];
  const scenarioName: Record<string, string> = {
    fast: `fast gateway (${k.fastLatencyMs} ms)`,
    sustained: "saturation until results, fast gateway",
    saturation: "saturation on acks (overload), fast gateway",
    burst: `burst, fast gateway`,
    slow: `slow gateway (${k.slowLatencyMs} ms)`,
  };

  line("# wa-slack performance report");
  line();
  line(
    `Made by \`${k.quick ? "BENCH_QUICK=1 " : ""}npm run bench\` on ${run.date.slice(0, 19).replace("T", " ")} UTC ` +
      `(${run.benchSeconds.toFixed(0)} s). Overwritten by every run; raw figures in \`bench/results/\`.`,
  );
  line();
  line("## Machine");
  line();
  table(
    ["CPU", "cores", "memory", "Node", "OS"],
    [[m.cpu, String(m.cores), `${m.memoryGb.toFixed(1)} GB`, m.node, m.os]],
  );
  line(
    `All on loopback. The app runs as \`npm start\` runs it (\`${run.appCommand ?? "node dist/main.js"}\`, SQLite store, ` +
      `${k.teams} workspaces configured, LOG_LEVEL=warn), the bare Bolt 5 app (bench/bare-bolt.ts) as ` +
      "another child process. The load generator runs in the bench process; the fake gateway and the " +
      "fake Slack Web API / response_url receiver run in a worker thread of it, so answering them never " +
      `delays the load generator's clock. ${Math.round(k.viewShare * 100)}% of requests are react-modal ` +
      "view submissions, the rest `/wa react --chat … --mid <unique> :+1:` commands, spread over the workspaces.",
  );
  line();

  line(
    `Settings: ${k.rate}/s for ${k.seconds} s in ${k.rounds} rounds (gateway ${k.fastLatencyMs} ms); saturation ` +
      `${k.concurrency} outstanding for ${k.saturationSeconds} s; burst ${k.burst} over ${k.burstConnections} ` +
      `connections; slow gateway ${k.slowLatencyMs} ms at ${k.slowRate}/s for ${k.slowSeconds} s; ` +
      `${k.fastWarmup} warm-up requests per process before the fixed rate, ${k.warmup} before the others. ` +
      (k.mirrorChats === undefined
        ? ""
        : `The mirror: ${k.mirrorChats} linked chats; webhook acks at ${k.mirrorAckRate}/s for ${k.mirrorAckSeconds} s ` +
          `in ${k.mirrorAckRounds} rounds; event → post at ${k.mirrorE2eRate}/s for ${k.mirrorE2eSeconds} s in ` +
          `${k.mirrorE2eRounds} rounds; ingest ${k.mirrorIngestConcurrency} outstanding for ${k.mirrorIngestSeconds} s ` +
          `per store; pacing ${k.mirrorPaceEvents} events at ${k.mirrorPaceN} posts/s; a backlog of ${k.mirrorBacklog}; ` +
          `${k.mirrorWarmup} warm-up deliveries. `) +
      "Every BENCH_* knob is listed in bench/knobs.ts.",
  );
  line();

  line("## Targets");
  line();
  table(
    ["target", "measured", "limit", "met"],
    evaluateTargets(run).map((t) => [t.name, t.measured, t.limit, mark(t.met)]),
  );

  const recent = history.filter((h) => h.date !== run.date).slice(-4);
  if (recent.length > 0) {
    line(
      "The same targets in the previous full runs on this machine (from `bench/results/`), because a p99 " +
        "moves from run to run:",
    );
    line();
    table(
      ["run", "warm-up", ...evaluateTargets(run).map((t) => t.name)],
      [...recent, run].map((r) => {
        const rows = new Map(evaluateTargets(r).map((t) => [t.name, `${t.measured} ${mark(t.met)}`]));
        const when = r.date.slice(0, 16).replace("T", " ");
        return [
          r === run ? `${when} (this run)` : when,
          String(r.knobs.fastWarmup ?? r.knobs.warmup),
          ...evaluateTargets(run).map((t) => rows.get(t.name) ?? "–"),
        ];
      }),
    );
  }

  out.push(...renderMirrorTargets(run, history));

  line("## Acknowledgement latency");
  line();
  line(
    "Milliseconds from the moment a request was due (open loop: a late sender does not hide a slow app) " +
      "to the whole HTTP 200 read by the sender; p50 / p99 / max. Ratio = app p99 / bare Bolt p99.",
  );
  line();
  const ackRows: string[][] = [];
  for (const s of scenarios) {
    const a = find(run, s, "app");
    const b = find(run, s, "bare");
    if (!a || !b) continue;
    ackRows.push([
      scenarioName[s] ?? s,
      a.label,
      triple(a.ack),
      triple(b.ack),
      x(ratio(a.ack?.p99, b.ack?.p99)),
      triple(a.ackFromSend),
      triple(b.ackFromSend),
      String(a.ackOver3s),
    ]);
  }
  table(
    [
      "scenario",
      "load",
      "app",
      "bare Bolt",
      "ratio p99",
      "app, from actual send",
      "bare, from actual send",
      "app acks > 3 s",
    ],
    ackRows,
  );
  const fastApp = find(run, "fast", "app");
  const fastBare = find(run, "fast", "bare");
  if (fastApp?.roundAckP99s && fastBare?.roundAckP99s) {
    const ratios = fastApp.roundAckP99s.map((v, i) => v / (fastBare.roundAckP99s?.[i] ?? Number.NaN));
    const sorted = [...ratios].filter(Number.isFinite).sort((a, b) => a - b);
    line(
      `The fixed rate ran in ${ratios.length} rounds alternating app and bare Bolt` +
        `${fastApp.roundsRepeated ? ` (${fastApp.roundsRepeated} measured again: another job was using the CPU)` : ""}. ` +
        `Ack p99 per round, app: ${fastApp.roundAckP99s.map(ms).join(", ")} ms; bare Bolt: ` +
        `${fastBare.roundAckP99s.map(ms).join(", ")} ms; ratio per round ${x(sorted[0])} … ${x(sorted[sorted.length - 1])} ` +
        `(median ${x(sorted[Math.floor(sorted.length / 2)])}). A p99 over a few thousand requests rests on a few ` +
        "dozen of them, so one pause of the virtual machine moves it: compare rounds before reading much into a ratio.",
    );
    line();
  }
  const lag = run.phases
    .filter((p) => p.scenario === "fast")
    .map((p) => `${p.target} ${ms(p.sendLag?.p99)} ms`);
  line(`Sender lag (due → handed to the socket) p99 at the fixed rate: ${lag.join(", ")}.`);
  line();

  line("## End-to-end latency");
  line();
  line(
    "Milliseconds from the moment a request was due to the result arriving at Slack (the response_url " +
      "post for a command, `views.update` for a view submission), minus the gateway's set latency; " +
      "successful results only. The split at the gateway uses the fake gateway's stamp (whole ms).",
  );
  line();
  const e2eRows: string[][] = [
    [
      "floor: undici → gateway → response_url",
      `${k.rate}/s`,
      triple(run.floors.undiciEndToEnd),
      "–",
      triple(run.floors.undiciGateway),
      "–",
      "–",
      "–",
    ],
  ];
  for (const s of scenarios) {
    const r = find(run, s, "app")?.results;
    const a = find(run, s, "app");
    if (!r || !a) continue;
    const failures = Object.entries(r.failureCodes)
      .map(([code, n]) => `${code} ${n}`)
      .join(", ");
    e2eRows.push([
      scenarioName[s] ?? s,
      a.label,
      triple(r.e2eCommands),
      triple(r.e2eViews),
      triple(r.toGateway),
      triple(r.afterGateway),
      `${r.ok} / ${r.expected}${failures ? ` (${failures})` : ""}${r.received < r.expected ? `, ${r.expected - r.received} missing` : ""}${r.refusedAtDoor ? `; ${r.refusedAtDoor} more refused in the ack` : ""}`,
      `${ms(r.drainMs)} ms`,
    ]);
  }
  table(
    [
      "scenario",
      "load",
      "commands",
      "view submissions",
      "due → gateway",
      "gateway → result",
      "ok / acked",
      "drain after load",
    ],
    e2eRows,
  );
  const slow = find(run, "slow", "app");
  const needed = (k.slowRate * k.slowLatencyMs) / 1000;
  if (slow?.results && needed > slow.results.gatewayMaxInFlight) {
    const cap = slow.results.gatewayMaxInFlight;
    line(
      `With the slow gateway, ${k.slowRate}/s × ${k.slowLatencyMs / 1000} s would need ${needed.toFixed(0)} calls ` +
        `in flight; the app allows ${cap} (${((cap * 1000) / k.slowLatencyMs).toFixed(0)}/s), so the rest waits ` +
        "in the fair limiter's queue: the end-to-end time there is that queue, on purpose. The acks are not " +
        "affected and the work in flight stays bounded.",
    );
    line();
  }
  if (fastApp?.roundE2eP99s) {
    line(
      `End-to-end p99 of the commands per round at ${k.rate}/s: ${fastApp.roundE2eP99s.map(ms).join(", ")} ms.`,
    );
    line();
  }
  line(
    `Gateway client alone (\`createGatewayClient().addReaction\`, in the bench process, ${k.rate}/s, minus ` +
      `latency): ${triple(run.floors.gatewayClient)} ms; undici alone: ${triple(run.floors.undiciGateway)} ms.`,
  );
  line();

  line("## Throughput at saturation");
  line();
  line(
    `${k.concurrency} lanes, each sending its next request as soon as its last one is done, for ` +
      `${k.saturationSeconds} s. *Until results*: done means the result has arrived (for the bare Bolt app, ` +
      "which has none, the ack): the app's sustainable throughput, without a backlog. *On acks*: done means " +
      "acknowledged, so the app takes work faster than it finishes it and a backlog builds, until the app " +
      "refuses new actions in their ack (src/usecases/admission.ts): overload, as a flood of users would cause. " +
      "Its acks per second count the refusals; its results per second only the actions let in.",
  );
  line();
  const satRows: string[][] = [];
  for (const s of ["sustained", "saturation"]) {
    const a = find(run, s, "app");
    const b = find(run, s, "bare");
    if (!a || !b) continue;
    const appRate = s === "sustained" ? a.results?.completedPerSecond : a.acksPerSecond;
    satRows.push([
      scenarioName[s] ?? s,
      a.acksPerSecond.toFixed(0),
      a.results ? a.results.completedPerSecond.toFixed(0) : "–",
      b.acksPerSecond.toFixed(0),
      x(ratio(appRate, b.acksPerSecond)),
      triple(a.ack),
      triple(b.ack),
      triple(a.results?.e2eCommands),
      `${a.childCpuPct.toFixed(0)}% / ${b.childCpuPct.toFixed(0)}%`,
    ]);
  }
  table(
    [
      "mode",
      "app acks/s",
      "app results/s",
      "bare Bolt acks/s",
      "app / bare",
      "app ack",
      "bare ack",
      "app end-to-end − gw",
      "CPU app / bare",
    ],
    satRows,
  );
  line(
    "app / bare compares the app's results per second (until results) or acks per second (on acks) with " +
      "the bare Bolt app's acks per second.",
  );
  line();

  line("## Memory and start-up");
  line();
  line(
    "Each scenario starts a fresh app and a fresh bare Bolt app. RSS (VmRSS, MiB) 1 s after `/readyz` " +
      "answered, its maximum while the load ran (sampled every 100 ms, drain included), 2 s after the " +
      "load, and the kernel's peak (VmHWM).",
  );
  line();
  table(
    ["scenario", "app: idle / under load / after / peak", "bare Bolt: idle / under load / after / peak"],
    run.processes.map((p) => [
      scenarioName[p.scenario] ?? p.scenario,
      [p.idleMb.app, find(run, p.scenario, "app")?.rssMaxMb, p.afterMb.app, p.peakMb.app].map(mb).join(" / "),
      [p.idleMb.bare, find(run, p.scenario, "bare")?.rssMaxMb, p.afterMb.bare, p.peakMb.bare]
        .map(mb)
        .join(" / "),
    ]),
  );
  table(
    ["", "app", "bare Bolt"],
    [
      [
        "spawn → `/readyz` 200",
        `${run.processes.map((p) => p.appReadyMs.toFixed(0)).join(", ")} ms`,
        `${run.processes.map((p) => p.bareReadyMs.toFixed(0)).join(", ")} ms (through the tsx loader)`,
      ],
      [
        "SIGTERM → exit",
        run.processes.map((p) => `${p.appStop.ms.toFixed(0)} ms (code ${p.appStop.code})`).join(", "),
        "",
      ],
    ],
  );

  line("## Slow gateway, in flight and CPU");
  line();
  table(
    [
      "scenario",
      "load",
      "gateway max in flight",
      "results ok / acked",
      "app CPU",
      "bench CPU",
      "other jobs' CPU",
      "fallback calls",
    ],
    run.phases
      .filter((p) => p.target === "app" && p.results)
      .map((p) => [
        scenarioName[p.scenario] ?? p.scenario,
        p.label,
        String(p.results?.gatewayMaxInFlight ?? "–"),
        `${p.results?.ok} / ${p.results?.expected}`,
        `${p.childCpuPct.toFixed(0)}%`,
        `${p.benchCpuPct.toFixed(0)}%`,
        `${p.othersCpuPct.toFixed(0)}%`,
        Object.entries(p.results?.otherCalls ?? {})
          .filter(([method]) => method !== "auth.test")
          .map(([method, n]) => `${method} ${n}`)
          .join(", ") || "none",
      ]),
  );
  line(
    "CPU is % of one core over the phase (drain included), from /proc for the app and " +
      "process.cpuUsage() for the bench process (load generator and sinks together).",
  );
  line();

  out.push(...renderMirrorSections(run));

  const findings = new URL("./findings.md", import.meta.url);
  if (existsSync(findings)) {
    line(readFileSync(findings, "utf8").trimEnd());
    line();
  }
  for (const [scenario, profile] of Object.entries(run.heapProfiles)) {
    line(`## Allocations of the app: ${scenarioName[scenario] ?? scenario} (sampling heap profiler)`);
    line();
    line("```");
    line(profile);
    line("```");
    line();
  }
  for (const [scenario, profile] of Object.entries(run.profiles)) {
    line(`## CPU profile of the app: ${scenarioName[scenario] ?? scenario} (\`--cpu-prof\`)`);
    line();
    line("```");
    line(profile);
    line("```");
    line();
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** One line per phase, for the terminal. */
export function renderSummary(phases: readonly PhaseResult[]): string {
  return phases
    .map((p) => {
      const parts = [
        `${p.scenario.padEnd(10)} ${p.target.padEnd(4)} ${p.label.padEnd(30)}`,
        `ack ${triple(p.ack)} ms`,
        `${p.acksPerSecond.toFixed(0)} acks/s`,
        `>3s ${p.ackOver3s}`,
        `rss ${mb(p.rssMaxMb)}`,
        `cpu ${p.childCpuPct.toFixed(0)}% (others ${p.othersCpuPct.toFixed(0)}%)`,
      ];
      if (p.results) {
        parts.push(
          `e2e−gw ${triple(p.results.e2eCommands)} ms`,
          `ok ${p.results.ok}/${p.results.expected}${p.results.refusedAtDoor ? ` (+${p.results.refusedAtDoor} refused in the ack)` : ""}`,
          `gw in-flight ≤ ${p.results.gatewayMaxInFlight}`,
          `slack conns ≤ ${p.results.slackConnectionsMax}`,
        );
      }
      return parts.join(" · ");
    })
    .join("\n");
}

// Re-renders a report from a run's raw figures (after editing bench/findings.md, say):
//   node --import tsx bench/report.ts bench/results/latest.json
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2] ?? "bench/results/latest.json";
  const run = JSON.parse(readFileSync(file, "utf8")) as BenchRun;
  writeFileSync(run.knobs.reportPath, renderReport(run, readHistory(dirname(file))));
  process.stdout.write(`${run.knobs.reportPath} re-rendered from ${file}\n`);
}
