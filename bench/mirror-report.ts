// The mirror's part of bench/REPORT.md (rendered by report.ts): its targets, each beside its floor, the
// same targets over the previous full runs, and one table per scenario; and a summary for the terminal.
import type { MirrorPhase, MirrorRun } from "./mirror-phases.js";
import type { BenchRun } from "./report.js";
import { ms, type Summary } from "./stats.js";

export const MIRROR_TARGETS = {
  /** Webhook ack p99 at most this much above the bare node:http server's. */
  ackOverFloorMs: 5,
  e2eP99Ms: 20,
  ingestPerSecond: 1000,
  /** Pacing: posts a second at least this share of what Slack allows, and 429s at most this share of posts. */
  paceShare: 0.9,
  pace429Share: 0.02,
  /** The heap (after a full GC) may grow at most this much from no backlog to the whole backlog. */
  backlogHeapGrowthMb: 5,
} as const;

export interface MirrorTargetRow {
  name: string;
  measured: string;
  limit: string;
  met: boolean;
}

const triple = (s: Summary | undefined) => `${ms(s?.p50)} / ${ms(s?.p99)} / ${ms(s?.max)}`;
const mb = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "–" : `${v.toFixed(0)} MB`);
const mb1 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "–" : `${v.toFixed(1)} MB`);
const whole = (v: number | undefined) => (v === undefined ? "–" : Math.round(v).toLocaleString("en-US"));
const mark = (ok: boolean) => (ok ? "✅" : "❌");

function phase(mirror: MirrorRun, scenario: string, target: "app" | "bare"): MirrorPhase | undefined {
  return mirror.phases.find((p) => p.scenario === scenario && p.target === target);
}

export function evaluateMirrorTargets(run: BenchRun): MirrorTargetRow[] {
  const mirror = run.mirror;
  if (!mirror) return [];
  const rows: MirrorTargetRow[] = [];
  const ackApp = phase(mirror, "mirror-ack", "app");
  const ackFloor = phase(mirror, "mirror-ack", "bare");
  if (ackApp && ackFloor) {
    const delta = (ackApp.ack?.p99 ?? Number.NaN) - (ackFloor.ack?.p99 ?? Number.NaN);
    rows.push({
      name: `Webhook ack p99 within ${MIRROR_TARGETS.ackOverFloorMs} ms of a bare node:http server's, both at ${run.knobs.mirrorAckRate}/s`,
      measured: `${ms(ackApp.ack?.p99)} ms vs ${ms(ackFloor.ack?.p99)} ms = +${ms(delta)} ms`,
      limit: `≤ +${MIRROR_TARGETS.ackOverFloorMs} ms`,
      met: delta <= MIRROR_TARGETS.ackOverFloorMs,
    });
  }
  const e2e = phase(mirror, "mirror-e2e", "app");
  const e2eFloor = phase(mirror, "mirror-e2e", "bare");
  if (e2e?.posts) {
    const p = e2e.posts;
    const complete = p.missing === 0 && p.duplicates === 0;
    rows.push({
      name: `Event → chat.postMessage p99 at ${run.knobs.mirrorE2eRate}/s over ${mirror.chats} chats (from the delivery's send)`,
      measured:
        `${ms(p.fromSend?.p99)} ms (floor relay ${ms(e2eFloor?.posts?.fromSend?.p99)} ms); ` +
        `${p.posted} of ${p.expected} posted${complete ? ", each once" : `, ${p.duplicates} twice`}`,
      limit: `≤ ${MIRROR_TARGETS.e2eP99Ms} ms`,
      met: (p.fromSend?.p99 ?? Number.POSITIVE_INFINITY) <= MIRROR_TARGETS.e2eP99Ms && complete,
    });
  }
  const sqlite = phase(mirror, "mirror-ingest", "app");
  if (sqlite) {
    const pgPhase = phase(mirror, "mirror-ingest-pg", "app");
    const floor = phase(mirror, "mirror-ingest", "bare");
    const kept = [sqlite, pgPhase].every(
      (p) => p === undefined || (p.stored?.inInbox ?? 0) >= (p.stored?.acknowledged ?? 1),
    );
    const pgText =
      pgPhase !== undefined
        ? `PostgreSQL ${whole(pgPhase.acksPerSecond)}/s`
        : `PostgreSQL not run${mirror.postgres && "skipped" in mirror.postgres ? `: ${mirror.postgres.skipped}` : ""}`;
    rows.push({
      name: "Ingest ceiling on SQLite: deliveries stored and answered 2xx a second (closed loop)",
      measured:
        `${whole(sqlite.acksPerSecond)}/s (${pgText}; bare node:http ${whole(floor?.acksPerSecond)}/s); ` +
        (kept ? "every answered delivery in the inbox" : "answered deliveries missing from the inbox"),
      limit: `≥ ${MIRROR_TARGETS.ingestPerSecond.toLocaleString("en-US")}/s`,
      met: sqlite.acksPerSecond >= MIRROR_TARGETS.ingestPerSecond && kept,
    });
  }
  const pacing = mirror.pacing;
  if (pacing) {
    const p = pacing.posts;
    const share = p.postsPerSecond / pacing.slackPerSecond;
    const ok =
      p.missing === 0 &&
      p.duplicates === 0 &&
      p.outOfOrder === 0 &&
      share >= MIRROR_TARGETS.paceShare &&
      p.rateLimited <= MIRROR_TARGETS.pace429Share * pacing.events;
    rows.push({
      name: "Pacing: a backlog in one chat against Slack's limit per channel: in order, each once, near Slack's rate, few 429s",
      measured:
        `${p.posted}/${pacing.events} posted, ${p.outOfOrder} out of order, ${p.duplicates} twice; ` +
        `${p.postsPerSecond.toFixed(1)}/s of ${pacing.slackPerSecond} allowed (${Math.round(100 * share)} %); ${p.rateLimited} × 429`,
      limit: `in order, once, ≥ ${Math.round(100 * MIRROR_TARGETS.paceShare)} %, 429s ≤ ${Math.round(100 * MIRROR_TARGETS.pace429Share)} %`,
      met: ok,
    });
  }
  const memory = mirror.memory;
  if (memory && memory.points.length > 0) {
    const first = memory.points[0];
    const last = memory.points[memory.points.length - 1];
    const growth = (last?.heapUsedMb ?? 0) - (first?.heapUsedMb ?? 0);
    rows.push({
      name: "A backlog waiting for a paused Slack does not grow the heap (after a full GC)",
      measured:
        `heap ${memory.points.map((m) => m.heapUsedMb.toFixed(1)).join(" / ")} MB, RSS ` +
        `${memory.points.map((m) => m.rssMb.toFixed(0)).join(" / ")} MB at ${memory.points.map((m) => whole(m.waiting)).join(" / ")} waiting`,
      limit: `heap +${MIRROR_TARGETS.backlogHeapGrowthMb} MB at most`,
      met: growth <= MIRROR_TARGETS.backlogHeapGrowthMb,
    });
  }
  const apps = mirror.phases.filter((p) => p.target === "app");
  if (apps.length > 0) {
    const failed = apps.reduce((n, p) => n + p.failedAcks, 0);
    const slowest = Math.max(0, ...apps.map((p) => p.ack?.max ?? 0));
    rows.push({
      name: "Every delivery answered 2xx, any mirror scenario",
      measured: `${failed} not; slowest answer ${ms(slowest)} ms`,
      limit: "0",
      met: failed === 0,
    });
  }
  return rows;
}

/** The app's p99 minus the floor's, round by round, and their median. */
function deltaText(app: MirrorPhase, floor: MirrorPhase): string {
  const deltas = (app.roundP99s ?? []).map((v, i) => v - (floor.roundP99s?.[i] ?? Number.NaN));
  const sorted = deltas.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return "–";
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
  return `${deltas.map((d) => `${d >= 0 ? "+" : ""}${ms(d)}`).join(", ")} ms (median ${median >= 0 ? "+" : ""}${ms(median)} ms)`;
}

function writer() {
  const out: string[] = [];
  const line = (text = "") => out.push(text);
  const table = (head: string[], rows: string[][]) => {
    line(`| ${head.join(" | ")} |`);
    line(`| ${head.map(() => "---").join(" | ")} |`);
    for (const row of rows) line(`| ${row.join(" | ")} |`);
    line();
  };
  return { out, line, table };
}

/** The mirror's targets, met or not, and the same over the previous full runs, as markdown lines. */
export function renderMirrorTargets(run: BenchRun, history: readonly BenchRun[]): string[] {
  const mirror = run.mirror;
  if (!mirror) return [];
  const { out, line, table } = writer();

  line("## Mirror targets");
  line();
  line(
    `Signed webhook deliveries (HMAC-SHA512 over the body in \`X-Webhook-Hmac\`, as the gateway sends them) of ` +
      `\`message\` events for ${mirror.chats} WhatsApp groups, each linked to its own channel, into the app as ` +
      "`npm start` runs it (SQLite unless said) and into its floor, a bare node:http server that only answers 200 " +
      "(bench/bare-webhook.ts; for the post latency it also relays each event to Slack). The fake Slack " +
      "(bench/mirror-sinks-worker.ts) runs in a worker thread and stamps each chat.postMessage on arrival. Each " +
      "scenario starts fresh processes on a fresh database.",
  );
  line();
  const targets = evaluateMirrorTargets(run);
  table(
    ["target", "measured", "limit", "met"],
    targets.map((t) => [t.name, t.measured, t.limit, mark(t.met)]),
  );
  const recent = history.filter((h) => h.date !== run.date && h.mirror !== undefined).slice(-4);
  if (recent.length > 0) {
    line("The same targets in the previous full runs:");
    line();
    const names = targets.map((t) => t.name);
    table(
      ["run", ...names],
      [...recent, run].map((r) => {
        const rows = new Map(evaluateMirrorTargets(r).map((t) => [t.name, `${t.measured} ${mark(t.met)}`]));
        const when = r.date.slice(0, 16).replace("T", " ");
        return [r === run ? `${when} (this run)` : when, ...names.map((name) => rows.get(name) ?? "–")];
      }),
    );
  }

  return out;
}

/** The mirror's scenarios in detail, as markdown lines. */
export function renderMirrorSections(run: BenchRun): string[] {
  const mirror = run.mirror;
  if (!mirror) return [];
  const k = run.knobs;
  const { out, line, table } = writer();

  const ackApp = phase(mirror, "mirror-ack", "app");
  const ackFloor = phase(mirror, "mirror-ack", "bare");
  if (ackApp && ackFloor) {
    line("## Mirror: webhook acknowledgement");
    line();
    line(
      "Milliseconds from the moment a delivery was due (open loop) to its whole answer read by the sender; " +
        "p50 / p99 / max. The app checks the signature, parses and filters the event, stores it in the inbox " +
        "and schedules its chat before it answers; meanwhile it posts the backlog the deliveries make " +
        "(Slack's pace per channel lets it post far fewer than arrive).",
    );
    line();
    table(
      [
        "",
        "load",
        "app",
        "bare node:http",
        "app − floor, p99",
        "app, from actual send",
        "floor, from actual send",
        "CPU app / floor",
      ],
      [
        [
          "webhook deliveries",
          ackApp.label,
          triple(ackApp.ack),
          triple(ackFloor.ack),
          `+${ms((ackApp.ack?.p99 ?? 0) - (ackFloor.ack?.p99 ?? 0))} ms`,
          triple(ackApp.ackFromSend),
          triple(ackFloor.ackFromSend),
          `${ackApp.childCpuPct.toFixed(0)}% / ${ackFloor.childCpuPct.toFixed(0)}%`,
        ],
      ],
    );
    line(
      `${ackApp.roundP99s?.length ?? 0} rounds alternating app and floor` +
        `${ackApp.roundsRepeated ? ` (${ackApp.roundsRepeated} measured again: another job was using the CPU)` : ""}; ` +
        `ack p99 per round, app: ${(ackApp.roundP99s ?? []).map(ms).join(", ")} ms; floor: ` +
        `${(ackFloor.roundP99s ?? []).map(ms).join(", ")} ms; app − floor per round ${deltaText(ackApp, ackFloor)}. ` +
        "One pause of the virtual machine moves a round's p99: compare rounds before reading much into one " +
        `figure. While the deliveries came, the app posted ${ackApp.backgroundPostsPerSecond?.toFixed(1) ?? "–"} ` +
        "messages a second.",
    );
    line();
  }

  const e2eApp = phase(mirror, "mirror-e2e", "app");
  const e2eFloor = phase(mirror, "mirror-e2e", "bare");
  if (e2eApp?.posts) {
    line("## Mirror: event → chat.postMessage");
    line();
    line(
      `${k.mirrorE2eRate} deliveries a second spread over ${mirror.chats} chats (each linked to its own channel, ` +
        "so one post a second per channel, within the app's pace), Slack answering at once. Milliseconds from " +
        "the delivery's send (and from when it was due) to the post's arrival at Slack. The floor relays each " +
        "event with one undici request once it has answered.",
    );
    line();
    const rows: string[][] = [];
    for (const [name, p] of [
      ["app", e2eApp],
      ["floor: bare node:http relaying", e2eFloor],
    ] as const) {
      if (!p?.posts) continue;
      rows.push([
        name,
        p.label,
        triple(p.posts.fromSend),
        triple(p.posts.fromDue),
        triple(p.ack),
        `${p.posts.posted} / ${p.posts.expected}`,
        String(p.posts.duplicates),
        String(p.posts.outOfOrder),
        String(p.posts.rateLimited),
        `${ms(p.posts.drainMs)} ms`,
      ]);
    }
    table(
      [
        "",
        "load",
        "send → post",
        "due → post",
        "ack",
        "posted / answered",
        "twice",
        "out of order",
        "429s",
        "last post after the last send",
      ],
      rows,
    );
    line(
      `Send → post p99 per round, app: ${(e2eApp.roundPostP99s ?? []).map(ms).join(", ")} ms; floor: ` +
        `${(e2eFloor?.roundPostP99s ?? []).map(ms).join(", ")} ms.`,
    );
    line();
  }

  const ingestRows: string[][] = [];
  for (const [name, p] of [
    ["app, SQLite", phase(mirror, "mirror-ingest", "app")],
    ["app, PostgreSQL (graphile-worker)", phase(mirror, "mirror-ingest-pg", "app")],
    ["floor: bare node:http", phase(mirror, "mirror-ingest", "bare")],
  ] as const) {
    if (!p) continue;
    ingestRows.push([
      name,
      p.label,
      whole(p.acksPerSecond),
      triple(p.ack),
      `${p.childCpuPct.toFixed(0)}%`,
      `${p.benchCpuPct.toFixed(0)}%`,
      `${p.othersCpuPct.toFixed(0)}%`,
      p.stored ? `${whole(p.stored.inInbox)} / ${whole(p.stored.acknowledged)}` : "–",
    ]);
  }
  if (ingestRows.length > 0) {
    line("## Mirror: ingest ceiling");
    line();
    line(
      `${k.mirrorIngestConcurrency} lanes, each sending its next delivery as soon as its last one is answered, ` +
        `for ${k.mirrorIngestSeconds} s after a short warm-up: deliveries stored durably (SQLite WAL; PostgreSQL ` +
        "committed, its chat's job added to graphile-worker) and answered 2xx a second. Afterwards the inbox is " +
        "counted: every delivery answered 2xx (warm-up included) must be in it.",
    );
    line();
    table(
      ["", "load", "answered/s", "ack", "CPU app", "CPU bench", "other CPU", "inbox holds / answered 2xx"],
      ingestRows,
    );
    const pg = mirror.postgres;
    if (pg) {
      line(
        "url" in pg
          ? `PostgreSQL: ${pg.url}. Its server's CPU counts as "other CPU" (it is not a process of the bench).`
          : `PostgreSQL not measured: ${pg.skipped}.`,
      );
      line();
    }
  }

  const pacing = mirror.pacing;
  if (pacing) {
    const p = pacing.posts;
    line("## Mirror: pacing against Slack's 429s");
    line();
    line(
      `${pacing.events} deliveries into one chat, sent one after another; the fake Slack allows ` +
        `${pacing.slackPerSecond} chat.postMessage a second in a channel (any rolling second) and answers 429 ` +
        "with `Retry-After: 1` beyond. So that this takes a minute rather than eight, the app runs its own " +
        `pace per channel (one post a second, bursts of ${pacing.appBurst}) ${pacing.slackPerSecond} times faster ` +
        `(bench/mirror-app.ts: a slot every ${pacing.appIntervalMs.toFixed(0)} ms); every other scenario runs the ` +
        "app as `npm start` does.",
    );
    line();
    const spanS =
      p.firstPostAt !== undefined && p.lastPostAt !== undefined ? (p.lastPostAt - p.firstPostAt) / 1000 : 0;
    table(
      [
        "posted / sent",
        "out of order",
        "twice",
        "first → last post",
        "at Slack's rate at best",
        "posts/s",
        "429s",
        "gap between posts",
        "429s came when the N-th post before was",
      ],
      [
        [
          `${p.posted} / ${pacing.events}`,
          String(p.outOfOrder),
          String(p.duplicates),
          `${spanS.toFixed(1)} s`,
          `${pacing.idealSeconds.toFixed(1)} s`,
          `${p.postsPerSecond.toFixed(2)} of ${pacing.slackPerSecond}`,
          `${p.rateLimited}${pacing.limitedAtMs.length > 0 ? ` (at ${pacing.limitedAtMs.map((t) => `${(t / 1000).toFixed(1)} s`).join(", ")})` : ""}`,
          `${triple(pacing.gaps)} ms`,
          pacing.limitedWindowMs ? `${triple(pacing.limitedWindowMs)} ms old` : "–",
        ],
      ],
    );
  }

  const memory = mirror.memory;
  if (memory) {
    line("## Mirror: memory with a backlog");
    line();
    line(
      `Slack paused (it holds every answer), ${whole(k.mirrorBacklog)} deliveries sent in two halves (16 ` +
        `outstanding, ${whole(memory.sendPerSecond)}/s), each stored and answered. The app's heap after a full ` +
        "GC (bench/memory-probe.mjs, preloaded) and its RSS, with no backlog, half and all of it waiting. " +
        `RSS sampled while the backlog was sent peaked at ${mb(memory.rssMaxMb)}.`,
    );
    line();
    table(
      ["waiting", "posts Slack holds", "heap used", "heap total", "external", "RSS"],
      memory.points.map((m) => [
        whole(m.waiting),
        String(m.heldBySlack),
        mb1(m.heapUsedMb),
        mb1(m.heapTotalMb),
        mb1(m.externalMb),
        mb(m.rssMb),
      ]),
    );
  }

  if (mirror.processes.length > 0) {
    line("## Mirror: RSS and start-up per scenario");
    line();
    line(
      "RSS (VmRSS, MiB) 1 s after `/readyz` answered, its maximum while the load ran (sampled every 100 ms), " +
        "2 s after the load, and the kernel's peak (VmHWM).",
    );
    line();
    table(
      [
        "scenario",
        "app: idle / under load / after / peak",
        "floor: idle / under load / after / peak",
        "app spawn → /readyz",
        "app SIGTERM → exit",
      ],
      mirror.processes.map((p) => {
        const under = (target: "app" | "bare") => {
          const values = mirror.phases
            .filter((x) => x.scenario === p.scenario && x.target === target)
            .map((x) => x.rssMaxMb)
            .filter((v): v is number => v !== undefined);
          if (p.scenario === "mirror-memory" && target === "app" && memory?.rssMaxMb !== undefined) {
            values.push(memory.rssMaxMb);
          }
          return values.length > 0 ? Math.max(...values) : undefined;
        };
        return [
          p.scenario,
          [p.idleMb.app, under("app"), p.afterMb.app, p.peakMb.app].map(mb).join(" / "),
          p.idleMb.bare === undefined
            ? "–"
            : [p.idleMb.bare, under("bare"), p.afterMb.bare, p.peakMb.bare].map(mb).join(" / "),
          `${p.appReadyMs.toFixed(0)} ms`,
          `${p.appStop.ms.toFixed(0)} ms (code ${p.appStop.code})`,
        ];
      }),
    );
  }

  for (const [scenario, profile] of Object.entries(mirror.profiles)) {
    line(`## CPU profile of the app: ${scenario} (\`--cpu-prof\`)`);
    line();
    line("```");
    line(profile);
    line("```");
    line();
  }
  return out;
}

/** One line per mirror phase, for the terminal. */
export function renderMirrorSummary(mirror: MirrorRun): string {
  return mirror.phases
    .map((p) =>
      [
        `${p.scenario.padEnd(16)} ${p.target.padEnd(4)} ${p.label.padEnd(40)}`,
        `ack ${triple(p.ack)} ms`,
        `${p.acksPerSecond.toFixed(0)}/s`,
        `failed ${p.failedAcks}`,
        `rss ${mb(p.rssMaxMb)}`,
        `cpu ${p.childCpuPct.toFixed(0)}% (others ${p.othersCpuPct.toFixed(0)}%)`,
        p.posts
          ? `post ${triple(p.posts.fromSend)} ms, ${p.posts.posted}/${p.posts.expected} posted, twice ${p.posts.duplicates}, ` +
            `out of order ${p.posts.outOfOrder}, 429s ${p.posts.rateLimited}, ${p.posts.postsPerSecond.toFixed(1)} posts/s`
          : "",
        p.backgroundPostsPerSecond !== undefined
          ? `posting ${p.backgroundPostsPerSecond.toFixed(1)}/s meanwhile`
          : "",
        p.stored ? `inbox ${p.stored.inInbox} / answered ${p.stored.acknowledged}` : "",
      ]
        .filter((part) => part !== "")
        .join(" · "),
    )
    .concat(
      (mirror.memory?.points ?? []).map(
        (m) =>
          `memory: ${m.waiting} waiting (${m.heldBySlack} held by Slack): heap ${m.heapUsedMb.toFixed(1)} MB used / ` +
          `${m.heapTotalMb.toFixed(1)} MB, rss ${m.rssMb.toFixed(0)} MB`,
      ),
    )
    .join("\n");
}
