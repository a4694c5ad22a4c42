// Builds dist/ from src/: one esbuild bundle per entry point (the app, the operator CLI). A bundle loads
// in a third of the time of the ~600 files tsc would emit plus their dependencies, which is most of the
// app's start-up (README, "Start-up"). Type checking is not the build's job: `npm test` runs tsc.
//
//   node scripts/build.mjs             build now (npm run build, npm ci)
//   node scripts/build.mjs --if-stale  build only when a source is newer than the last build
//   buildIfStale()                     the same, in process (bin/start.js, bin/wa-slack.js)
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const stamp = join(dist, ".build-stamp");

/**
 * Loaded from node_modules at run time, not bundled: a native addon (better-sqlite3), modules that find
 * their own files next to themselves (pino and its transports start workers from their package folder),
 * and what only a PostgreSQL deployment loads (pg, graphile-worker), kept out of SQLite's start-up.
 */
const EXTERNAL = [
  "better-sqlite3",
  "pg",
  "pg-native",
  "graphile-worker",
  "pino",
  "pino-pretty",
  "thread-stream",
  "emoji-datasource",
];

/**
 * Bolt's index loads its ExpressReceiver, and with it Express and its body parsers (about 45 ms of every
 * start), though the app only ever builds Bolt's HTTPReceiver or SocketModeReceiver. In the bundle,
 * `express` is a stub that says so if anything ever calls it.
 */
const WITHOUT_EXPRESS = {
  name: "without-express",
  setup(build) {
    build.onResolve({ filter: /^express$/ }, () => ({ path: "express", namespace: "without-express" }));
    build.onLoad({ filter: /.*/, namespace: "without-express" }, () => ({
      loader: "js",
      contents: `function express() {
  throw new Error("Express is not part of wa-slack's build: the app serves HTTP with Bolt's HTTPReceiver");
}
express.Router = express;
module.exports = express;`,
    }));
  },
};

/** Everything the output depends on besides node_modules (whose changes come with package-lock.json). */
const INPUTS = [join(root, "src"), join(root, "package-lock.json"), fileURLToPath(import.meta.url)];

function newestMs(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMs(join(path, entry)));
  return newest;
}

function filesUnder(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

export function isStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return INPUTS.some((input) => newestMs(input) > built);
}

export async function build() {
  // Imported here, so that a start with nothing to build never loads the bundler.
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: "src/main.ts", cli: "src/cli/main.ts" },
    outdir: dist,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    external: EXTERNAL,
    plugins: [WITHOUT_EXPRESS],
    // Bundled CommonJS dependencies call require(); ESM output has none of its own.
    banner: {
      js: "import { createRequire as __waCreateRequire } from 'node:module'; const require = __waCreateRequire(import.meta.url);",
    },
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
    metafile: true,
  });
  // Files of an older build (chunks of another hash, tsc's output before the bundle) go. Deleting only
  // what this build did not write keeps a build running at the same time (two test files) intact.
  const written = new Set(Object.keys(result.metafile.outputs).map((path) => join(root, path)));
  for (const file of filesUnder(dist)) {
    if (!written.has(file) && !file.endsWith(".build-stamp")) rmSync(file, { force: true });
  }
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

/** Builds when a source changed since the last build; returns whether it built. */
export async function buildIfStale() {
  if (!isStale()) return false;
  process.stderr.write("wa-slack: sources changed since the last build; building…\n");
  await build();
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--if-stale")) await buildIfStale();
  else await build();
}
