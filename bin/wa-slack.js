#!/usr/bin/env node
// The operator CLI's entry point: all logic is in src/cli/main.ts, bundled into dist/cli.js by the build,
// which runs here first when a source changed since the last build.
import { buildIfStale } from "../scripts/build.mjs";

await buildIfStale();
const { runCli } = await import("../dist/cli.js");

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdinIsTTY: process.stdin.isTTY === true,
});
