#!/usr/bin/env node
// The operator CLI's entry point: all logic is in src/cli/main.ts, compiled into dist/ by `npm run build`.
let runCli;
try {
  ({ runCli } = await import("../dist/cli/main.js"));
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND") {
    process.stderr.write("wa-slack is not built yet: run `npm run build` (npm ci does it) and try again.\n");
    process.exit(1);
  }
  throw error;
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdinIsTTY: process.stdin.isTTY === true,
});
