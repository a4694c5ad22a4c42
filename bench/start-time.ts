// `npm run bench:start`: how long from `npm start` to `/readyz` 200 on a built checkout, through npm
// itself as an operator types it, beside the launcher alone (`node <flags> bin/start.js`) and a bare
// `node -e 0` (Node's own start). The app talks to the bench's fake Slack and gateway; SQLite store.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BOT_TOKEN, benchTeams, ENCRYPTION_KEY, SIGNING_SECRET, seedWorkspaces } from "./fixtures.js";
import { freePort, startScript, stopChild, waitReady } from "./processes.js";
import { startSinks } from "./sinks.js";
import { ms, now, summarize } from "./stats.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.BENCH_START_RUNS ?? 10);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "wa-slack-start-"));
  const teams = benchTeams(1);
  const databaseUrl = `sqlite:${join(work, "bench.db")}`;
  await seedWorkspaces(databaseUrl, teams);
  const sinks = await startSinks(teams, 0);
  const { flags, entry } = startScript(root);
  const env = (port: number) => ({
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: work,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: sinks.slackApiUrl,
    GATEWAY_URL: sinks.gatewayUrl,
    APP_ENCRYPTION_KEY: ENCRYPTION_KEY.toString("base64"),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    PORT: String(port),
  });

  async function timeToReady(command: string, args: string[]): Promise<number> {
    const port = await freePort();
    const spawnedAt = now();
    // Through npm, its own child (the app) is what must stop: a process group is signalled whole.
    const proc = spawn(command, args, { cwd: root, env: env(port), stdio: "ignore", detached: true });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const child = {
      name: args.join(" "),
      pid: proc.pid ?? 0,
      url: `http://127.0.0.1:${port}`,
      spawnedAt,
      logPath: "(ignored)",
      proc,
      exit,
    };
    try {
      return await waitReady(child, "/readyz", 10_000);
    } finally {
      if (proc.pid !== undefined) process.kill(-proc.pid, "SIGTERM");
      await stopChild(child, 10_000);
    }
  }

  const results: Record<string, number[]> = {
    "npm start": [],
    [`node ${[...flags, entry].join(" ")}`]: [],
    "node -e 0 (Node alone)": [],
  };
  for (let i = 0; i < RUNS; i++) {
    results["npm start"]?.push(await timeToReady("npm", ["start", "--silent"]));
    results[`node ${[...flags, entry].join(" ")}`]?.push(
      await timeToReady(process.execPath, [...flags, entry]),
    );
    const started = now();
    await new Promise<void>((resolve) => spawn(process.execPath, ["-e", "0"]).once("exit", () => resolve()));
    results["node -e 0 (Node alone)"]?.push(now() - started);
  }
  process.stdout.write(
    `start → /readyz 200 on a built checkout, ${RUNS} runs each (ms as p50 / p90 / max):\n`,
  );
  for (const [what, values] of Object.entries(results)) {
    const s = summarize(values);
    process.stdout.write(`  ${what.padEnd(52)} ${ms(s?.p50)} / ${ms(s?.p90)} / ${ms(s?.max)}\n`);
  }
  await sinks.close();
  rmSync(work, { recursive: true, force: true });
}

await main();
