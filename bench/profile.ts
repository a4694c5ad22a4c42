// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the time went: the top functions by self
// time, and self time grouped by package or source file. Run alone:
//   node --import tsx bench/profile.ts bench/results/prof/app.cpuprofile [top]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time in (idle), (program) and (garbage collector). */
  idleMs: number;
  gcMs: number;
  functions: ProfileLine[];
  groups: ProfileLine[];
}

/** `node_modules/<pkg>` (scoped too), `src/<file>`, `node:<module>`, or the frame's own label. */
function groupOf(url: string, name: string): string {
  if (url === "") return name.startsWith("(") ? name : "(native)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  const own = /\/(dist|src|bench|test)\/(.+)$/.exec(url);
  if (own?.[2]) return `${own[1]}/${own[2]}`;
  if (url.startsWith("node:")) return url;
  return url;
}

export function summarizeProfile(path: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const functions = new Map<string, ProfileLine>();
  const groups = new Map<string, ProfileLine>();
  let idleMs = 0;
  let gcMs = 0;
  for (const [id, selfMs] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const name = frame.functionName || "(anonymous)";
    if (name === "(idle)") idleMs += selfMs;
    if (name === "(garbage collector)") gcMs += selfMs;
    const file = frame.url.replace(/^file:\/\//, "");
    const where =
      file === ""
        ? ""
        : `${file.replace(/^.*\/(node_modules|dist|src|bench)\//, "$1/")}:${frame.lineNumber + 1}`;
    const key = `${name} ${where}`;
    const line = functions.get(key) ?? { name, where, selfMs: 0, share: 0 };
    line.selfMs += selfMs;
    functions.set(key, line);
    const group = groupOf(frame.url, name);
    const g = groups.get(group) ?? { name: group, where: "", selfMs: 0, share: 0 };
    g.selfMs += selfMs;
    groups.set(group, g);
  }
  const busy = Math.max(1e-9, totalMs - idleMs);
  const rank = (lines: Iterable<ProfileLine>) =>
    [...lines]
      .filter((line) => line.name !== "(idle)")
      .map((line) => ({ ...line, share: line.selfMs / busy }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return { totalMs, idleMs, gcMs, functions: rank(functions.values()), groups: rank(groups.values()) };
}

export function formatProfile(summary: ProfileSummary): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `profile: ${summary.totalMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms, busy ${(summary.totalMs - summary.idleMs).toFixed(0)} ms, GC ${summary.gcMs.toFixed(0)} ms`,
    "",
    "self time by function (share of busy time):",
    ...summary.functions.map(
      (f) => `  ${f.selfMs.toFixed(1).padStart(9)} ms ${pct(f.share).padStart(6)}  ${f.name}  ${f.where}`,
    ),
    "",
    "self time by package / file:",
    ...summary.groups.map(
      (g) => `  ${g.selfMs.toFixed(1).padStart(9)} ms ${pct(g.share).padStart(6)}  ${g.name}`,
    ),
  ];
  return lines.join("\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: node --import tsx bench/profile.ts <file.cpuprofile> [top]\n");
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summarizeProfile(file, Number(process.argv[3] ?? "25")))}\n`);
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/**
 * Reads a sampling heap profile (bench/heap-sampler.mjs) and lists the bytes allocated per action:
 * by allocating function, and by the innermost frame of the app's own code (dist/) above it.
 */
export function summarizeHeapProfile(path: string, actions: number, top = 20): string {
  const profile = JSON.parse(readFileSync(path, "utf8")) as { head: HeapNode };
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let total = 0;
  const label = (frame: HeapNode["callFrame"]) => {
    const file = frame.url.replace(/^file:\/\//, "").replace(/^.*?\/(node_modules|dist)\//, "$1/");
    return `${frame.functionName || "(anonymous)"} ${file}${file ? `:${frame.lineNumber + 1}` : ""}`;
  };
  const walk = (node: HeapNode, owner: string | undefined) => {
    const here = label(node.callFrame);
    const url = node.callFrame.url;
    const own = url.includes("/dist/") && !url.includes("/node_modules/") ? here : owner;
    if (node.selfSize > 0) {
      total += node.selfSize;
      byFunction.set(here, (byFunction.get(here) ?? 0) + node.selfSize);
      const key = own ?? "(no app frame)";
      byOwner.set(key, (byOwner.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, own);
  };
  walk(profile.head, undefined);
  const kb = (bytes: number) => (bytes / 1024 / actions).toFixed(1).padStart(7);
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, bytes]) => `  ${kb(bytes)} KB  ${name}`);
  return [
    `allocated: ${(total / 1024 / 1024).toFixed(0)} MB for ${actions} actions = ${kb(total).trim()} KB per action (start-up included)`,
    "",
    "by allocating function (KB per action):",
    ...rank(byFunction),
    "",
    "by the innermost app frame (dist/) above the allocation (KB per action):",
    ...rank(byOwner),
  ].join("\n");
}
