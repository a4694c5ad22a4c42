import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let cwd: string | undefined;
afterEach(() => {
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

/** Runs the real entry point (through tsx, so no build is needed) in an empty folder. */
function runMain(env: Record<string, string>, dotenv?: string) {
  cwd = mkdtempSync(join(tmpdir(), "wa-slack-main-"));
  if (dotenv !== undefined) writeFileSync(join(cwd, ".env"), dotenv);
  // tsx is resolved from the project, not from the empty working folder.
  const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  return spawnSync(process.execPath, ["--import", tsx, join(root, "src", "main.ts")], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("starting the app", () => {
  it("when nothing is configured, then it exits 1 with one message naming every missing variable", () => {
    const run = runMain({});
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("wa-slack cannot start");
    for (const name of ["GATEWAY_URL", "APP_ENCRYPTION_KEY", "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"]) {
      expect(run.stderr).toContain(name);
    }
    expect(run.stderr).toContain("npx wa-slack keygen");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("when .env in the working folder holds the settings, then they are read (and still checked)", () => {
    const run = runMain({}, "GATEWAY_URL=https://gw.example.com\nAPP_ENCRYPTION_KEY=too-short\n");
    expect(run.status).toBe(1);
    expect(run.stderr).not.toContain("GATEWAY_URL");
    expect(run.stderr).toContain("APP_ENCRYPTION_KEY must be 32 random bytes");
    expect(run.stderr).not.toContain("too-short");
  });
});
