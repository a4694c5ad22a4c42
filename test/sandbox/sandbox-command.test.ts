// `npm run sandbox` as a newcomer runs it: the command prints the page's address, the page answers,
// Ctrl-C stops everything and leaves no scratch folder; a taken or malformed port is said plainly.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** The command as `npm run sandbox` runs it (package.json), without npm in between. */
function sandboxCommand(port: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/sandbox/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, SANDBOX_PORT: port, CI: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

const scratchFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith("wa-slack-sandbox-"));

describe("npm run sandbox", () => {
  it("when it is run, then it prints the page's address, the page answers, and Ctrl-C stops it all and removes its scratch folder", async () => {
    const before = new Set(scratchFolders());
    const { child, output } = sandboxCommand("0");
    const giveUp = Date.now() + 30_000;
    let address: string | undefined;
    while (address === undefined) {
      address = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output())?.[1];
      if (child.exitCode !== null || Date.now() > giveUp) throw new Error(`no address printed:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const page = await request(address);
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain("<title>");
    const mine = scratchFolders().filter((name) => !before.has(name));
    expect(mine).toHaveLength(1);

    child.kill("SIGINT");
    expect(await exitOf(child)).toBe(0);
    expect(existsSync(join(tmpdir(), mine[0] ?? "none"))).toBe(false);
  }, 60_000);

  it("when its port is taken, then it says so and how to pick another, and exits 1", async () => {
    const taken = createServer();
    taken.listen(0, "127.0.0.1");
    await once(taken, "listening");
    const port = (taken.address() as { port: number }).port;
    try {
      const { child, output } = sandboxCommand(String(port));
      expect(await exitOf(child)).toBe(1);
      expect(output()).toContain(
        `Port ${port} is taken. Run it on another: SANDBOX_PORT=4001 npm run sandbox`,
      );
    } finally {
      taken.close();
    }
  }, 60_000);

  it("when SANDBOX_PORT is not a port, then it says what it must be, and exits 2", async () => {
    const { child, output } = sandboxCommand("eighty");
    expect(await exitOf(child)).toBe(2);
    expect(output()).toContain("SANDBOX_PORT must be a port number (0 for any free one), not “eighty”.");
  }, 60_000);
});
