// Runs the CLI in-process, as an operator's shell would, in fresh working folders with their own SQLite
// database; every run is checked to print none of the secrets the test handed out.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { expect } from "vitest";
import { type CliIo, runCli } from "../../src/cli/main.js";
import { generateEncryptionKey } from "../../src/secrets/keys.js";
import { sampleApiKey, tempFolder } from "../support/store-fixtures.js";

export interface CliContext {
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string | NodeJS.ReadableStream;
  tty?: boolean;
  /** A secret this run may print (keygen prints the key it makes). */
  allowPrinting?: string;
}

export interface CliHarness {
  readonly folderPath: string;
  /** Remembers a secret: from now on, no run may print it. */
  secret<T extends string>(value: T): T;
  newApiKey(): string;
  newEncryptionKey(): string;
  /** A fresh working folder with its own SQLite database and encryption key, plus `env`. */
  workspaceFolder(env?: Record<string, string | undefined>): CliContext;
  run(argv: string[], context: CliContext, options?: RunOptions): Promise<RunResult>;
  /** Everything on disk of the folder's SQLite database (file and WAL), as latin1 text. */
  databaseBytes(context: CliContext): string;
  cleanup(): void;
}

/**
 * `moreSecrets` are read after each run: secrets made during it (a webhook's, which only the fake gateway
 * knows) are checked too.
 */
export function createCliHarness(prefix: string, moreSecrets: () => Iterable<string> = () => []): CliHarness {
  const folder = tempFolder(prefix);
  const secrets = new Set<string>();
  let counter = 0;

  const secret = <T extends string>(value: T): T => {
    secrets.add(value);
    return value;
  };

  return {
    folderPath: folder.path,
    secret,
    newApiKey: () => secret(sampleApiKey()),
    newEncryptionKey: () => secret(generateEncryptionKey()),

    workspaceFolder(env = {}) {
      const cwd = join(folder.path, `op-${++counter}`);
      return {
        cwd,
        env: {
          DATABASE_URL: "sqlite:data/wa-slack.db",
          APP_ENCRYPTION_KEY: secret(generateEncryptionKey()),
          ...env,
        },
      };
    },

    async run(argv, context, options = {}) {
      let stdout = "";
      let stderr = "";
      const stdin =
        typeof options.stdin === "string" || options.stdin === undefined
          ? Readable.from(options.stdin === undefined || options.stdin === "" ? [] : [options.stdin])
          : options.stdin;
      const io: CliIo = {
        stdin,
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        env: context.env,
        cwd: context.cwd,
        stdinIsTTY: options.tty ?? false,
      };
      const code = await runCli(argv, io);
      for (const value of [...secrets, ...moreSecrets()]) {
        if (value === options.allowPrinting) continue;
        expect(stdout, "stdout must not hold a secret").not.toContain(value);
        expect(stderr, "stderr must not hold a secret").not.toContain(value);
      }
      return { code, stdout, stderr };
    },

    databaseBytes(context) {
      const file = join(context.cwd, "data", "wa-slack.db");
      return [file, `${file}-wal`]
        .filter(existsSync)
        .map((f) => readFileSync(f).toString("latin1"))
        .join("\n");
    },

    cleanup: () => folder.cleanup(),
  };
}
