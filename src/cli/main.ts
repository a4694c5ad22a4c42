// The operator CLI (`npx wa-slack …`). runCli takes its streams and environment as arguments and
// returns the exit code, so tests run it in-process against a real store.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { parseStoreConfig, readEnvironment } from "../config.js";
import { ConfigError, SealError, StoreUnavailableError, UserInputError, WaSlackError } from "../errors.js";
import { createLogger, scrubSecrets } from "../logger.js";
import { generateEncryptionKey } from "../secrets/keys.js";
import { createSealer } from "../secrets/sealer.js";
import { createStore } from "../store/create-store.js";
import type { Store } from "../store/port.js";
import {
  createWorkspaceDirectory,
  normalizeSessionId,
  validateApiKey,
  type WorkspaceDirectory,
} from "../store/workspaces.js";
import { auditJson, auditText, workspaceJson, workspaceListText, workspaceText } from "./format.js";
import { type CliIo, InterruptedError, readSecret } from "./io.js";
import { parseSince } from "./since.js";
import {
  AUDIT_USAGE,
  KEYGEN_USAGE,
  LIST_USAGE,
  MAIN_USAGE,
  REMOVE_USAGE,
  RESEAL_USAGE,
  SET_USAGE,
  SHOW_USAGE,
  WORKSPACE_USAGE,
} from "./usage.js";

export type { CliIo } from "./io.js";

export const EXIT = { ok: 0, notFound: 1, usage: 2, storeUnavailable: 3, interrupted: 130 } as const;

/** The command line itself is wrong: shown with the command's usage. */
class UsageError extends WaSlackError {
  readonly code = "usage";
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.usage = usage;
  }
}

/** The workspace the operator named has no configuration. */
class NotFoundError extends WaSlackError {
  readonly code = "not_found";
}

const TEAM_ID = /^[TE][A-Z0-9]{2,31}$/;
const AUDIT_DEFAULT_LIMIT = 50;
const AUDIT_MAX_LIMIT = 1000;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return report(error, io);
  }
}

function print(sink: CliIo["stdout"], text: string): void {
  sink.write(text.endsWith("\n") ? text : `${text}\n`);
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      throw new UsageError("Missing command.", MAIN_USAGE);
    case "-h":
    case "--help":
    case "help":
      print(io.stdout, MAIN_USAGE);
      return EXIT.ok;
    case "keygen":
      return keygen(rest, io);
    case "reseal":
      return reseal(rest, io);
    case "audit":
      return audit(rest, io);
    case "workspace":
      return workspace(rest, io);
    default:
      throw new UsageError(`Unknown command "${command}".`, MAIN_USAGE);
  }
}

async function workspace(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
      throw new UsageError("Missing workspace subcommand.", WORKSPACE_USAGE);
    case "-h":
    case "--help":
    case "help":
      print(io.stdout, WORKSPACE_USAGE);
      return EXIT.ok;
    case "set":
      return workspaceSet(rest, io);
    case "show":
      return workspaceShow(rest, io);
    case "list":
      return workspaceList(rest, io);
    case "remove":
      return workspaceRemove(rest, io);
    default:
      throw new UsageError(`Unknown workspace subcommand "${sub}".`, WORKSPACE_USAGE);
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

/** parseArgs with --help on every command, and its errors turned into usage errors. */
function parse(argv: string[], options: Options, usage: string, positionalNames: readonly string[]): Parsed {
  let result: ReturnType<typeof parseArgs>;
  try {
    result = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), usage);
  }
  const values = result.values as Parsed["values"];
  const help = values.help === true;
  if (!help) {
    if (result.positionals.length < positionalNames.length) {
      throw new UsageError(`Missing ${positionalNames[result.positionals.length]}.`, usage);
    }
    const extra = result.positionals[positionalNames.length];
    if (extra?.startsWith("wa_")) {
      // Never echo it: an argument is already in the shell history, do not put it in logs too.
      throw new UsageError(
        "The API key is read from standard input only, never from an argument (arguments stay in the shell history). Pipe it in instead.",
        usage,
      );
    }
    if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}".`, usage);
  }
  return { values, positionals: result.positionals, help };
}

function teamIdFrom(value: string | undefined, usage: string): string {
  const id = value ?? "";
  if (!TEAM_ID.test(id)) {
    throw new UsageError(
      `"${id}" is not a Slack team id: it looks like T0123ABCD (a workspace) or E0123ABCD (an org-wide install).`,
      usage,
    );
  }
  return id;
}

interface Opened {
  store: Store;
  directory: WorkspaceDirectory;
}

/** Reads the configuration and opens the store only once the command line is known to be right. */
async function withStore<T>(io: CliIo, work: (opened: Opened) => Promise<T>): Promise<T> {
  const env = readEnvironment(io.env, io.cwd);
  const config = parseStoreConfig(env);
  const logger = createLogger({
    // Info lines about migrations would only clutter an operator's terminal, unless asked for.
    level: env.LOG_LEVEL ? config.logLevel : "warn",
    destination: { write: (line: string) => void io.stderr.write(line) },
    secrets: [env.APP_ENCRYPTION_KEY, env.APP_ENCRYPTION_KEY_PREVIOUS].filter(
      (s): s is string => s !== undefined,
    ),
  });
  const sealer = createSealer({ current: config.encryptionKey, previous: config.previousEncryptionKey });
  const store = await createStore(config.databaseUrl, logger, { cwd: io.cwd });
  try {
    return await work({ store, directory: createWorkspaceDirectory({ store, sealer, ttlMs: 0 }) });
  } finally {
    await store.close();
  }
}

async function keygen(argv: string[], io: CliIo): Promise<number> {
  const { help } = parse(argv, {}, KEYGEN_USAGE, []);
  if (help) {
    print(io.stdout, KEYGEN_USAGE);
    return EXIT.ok;
  }
  // Only the key on stdout, so `KEY=$(npx wa-slack keygen)` works; the advice goes to stderr.
  print(io.stdout, generateEncryptionKey());
  print(io.stderr, "Put it in .env as APP_ENCRYPTION_KEY=<the key above>, and keep a copy somewhere safe.");
  return EXIT.ok;
}

async function workspaceSet(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parse(
    argv,
    { session: { type: "string" }, visibility: { type: "string" } },
    SET_USAGE,
    ["<team_id>"],
  );
  if (help) {
    print(io.stdout, SET_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(positionals[0], SET_USAGE);
  const visibility = values.visibility;
  if (visibility !== undefined && visibility !== "channel" && visibility !== "ephemeral") {
    throw new UsageError(`--visibility must be "channel" or "ephemeral".`, SET_USAGE);
  }
  const sessionFlag = typeof values.session === "string" ? values.session : undefined;
  const defaultSessionId = normalizeSessionId(sessionFlag);

  const typed = await readSecret(
    io,
    `Gateway API key for ${teamId} (input hidden; press Enter alone to keep the current key): `,
  );
  const apiKey = typed === "" ? undefined : validateApiKey(typed);
  if (apiKey === undefined && sessionFlag === undefined && visibility === undefined) {
    throw new UsageError(
      `No API key on standard input, and nothing else to change. Pipe the key in: echo "$KEY" | npx wa-slack workspace set ${teamId}`,
      SET_USAGE,
    );
  }

  return withStore(io, async ({ directory }) => {
    if (apiKey === undefined && (await directory.get(teamId)) === undefined) {
      throw new NotFoundError(
        `Workspace ${teamId} is not configured yet, so it needs its API key first: echo "$KEY" | npx wa-slack workspace set ${teamId}`,
      );
    }
    const saved = await directory.save(teamId, { apiKey, defaultSessionId, visibility }, "cli");
    print(
      io.stdout,
      `Saved workspace ${teamId}: API key ${saved.maskedKey ?? "none"}, session ${saved.defaultSessionId ?? "none"}, visibility ${saved.visibility}.`,
    );
    return EXIT.ok;
  });
}

async function workspaceShow(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parse(argv, { json: { type: "boolean" } }, SHOW_USAGE, ["<team_id>"]);
  if (help) {
    print(io.stdout, SHOW_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(positionals[0], SHOW_USAGE);
  return withStore(io, async ({ directory }) => {
    const config = await directory.get(teamId);
    if (config === undefined) throw new NotFoundError(`Workspace ${teamId} is not configured.`);
    print(io.stdout, values.json ? JSON.stringify(workspaceJson(config), null, 2) : workspaceText(config));
    return EXIT.ok;
  });
}

async function workspaceList(argv: string[], io: CliIo): Promise<number> {
  const { values, help } = parse(argv, { json: { type: "boolean" } }, LIST_USAGE, []);
  if (help) {
    print(io.stdout, LIST_USAGE);
    return EXIT.ok;
  }
  return withStore(io, async ({ directory }) => {
    const configs = await directory.list();
    print(
      io.stdout,
      values.json ? JSON.stringify(configs.map(workspaceJson), null, 2) : workspaceListText(configs),
    );
    return EXIT.ok;
  });
}

async function workspaceRemove(argv: string[], io: CliIo): Promise<number> {
  const { positionals, help } = parse(argv, {}, REMOVE_USAGE, ["<team_id>"]);
  if (help) {
    print(io.stdout, REMOVE_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(positionals[0], REMOVE_USAGE);
  return withStore(io, async ({ directory }) => {
    if (!(await directory.remove(teamId))) throw new NotFoundError(`Workspace ${teamId} is not configured.`);
    print(io.stdout, `Removed workspace ${teamId}.`);
    return EXIT.ok;
  });
}

async function reseal(argv: string[], io: CliIo): Promise<number> {
  const { help } = parse(argv, {}, RESEAL_USAGE, []);
  if (help) {
    print(io.stdout, RESEAL_USAGE);
    return EXIT.ok;
  }
  return withStore(io, async ({ directory }) => {
    const counts = await directory.resealAll();
    print(
      io.stdout,
      `Re-sealed ${counts.workspaces} workspace API key(s) and ${counts.installations} Slack installation(s) under the current APP_ENCRYPTION_KEY.` +
        (counts.workspaces + counts.installations === 0 ? " Everything already was." : ""),
    );
    return EXIT.ok;
  });
}

async function audit(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parse(
    argv,
    { since: { type: "string" }, limit: { type: "string" }, json: { type: "boolean" } },
    AUDIT_USAGE,
    ["<team_id>"],
  );
  if (help) {
    print(io.stdout, AUDIT_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(positionals[0], AUDIT_USAGE);
  let since: Date | undefined;
  if (typeof values.since === "string") {
    try {
      since = parseSince(values.since, Date.now());
    } catch (error) {
      throw error instanceof UserInputError ? new UsageError(error.message, AUDIT_USAGE) : error;
    }
  }
  let limit = AUDIT_DEFAULT_LIMIT;
  if (typeof values.limit === "string") {
    limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || limit < 1 || limit > AUDIT_MAX_LIMIT) {
      throw new UsageError(`--limit must be a whole number from 1 to ${AUDIT_MAX_LIMIT}.`, AUDIT_USAGE);
    }
  }
  return withStore(io, async ({ store }) => {
    const records = await store.listAudit({ workspaceId: teamId, since, limit });
    print(io.stdout, values.json ? JSON.stringify(records.map(auditJson), null, 2) : auditText(records));
    return EXIT.ok;
  });
}

/** One clear message on stderr and the exit code that says what kind of failure it was. */
function report(error: unknown, io: CliIo): number {
  const say = (text: string) => print(io.stderr, scrubSecrets(text));
  if (error instanceof UsageError) {
    say(`${error.message}\n\n${error.usage}`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    const needsKey = error.problems.some((p) => p.startsWith("APP_ENCRYPTION_KEY "));
    say(
      error.message +
        (needsKey
          ? "\nCreate a key with `npx wa-slack keygen` and put it in .env as APP_ENCRYPTION_KEY=<the key> (use the same key as the app)."
          : "\nFix the environment (or .env in this folder) and run the command again."),
    );
    return EXIT.usage;
  }
  if (error instanceof UserInputError) {
    say(error.usage === undefined ? error.message : `${error.message}\n\n${error.usage}`);
    return EXIT.usage;
  }
  if (error instanceof SealError) {
    say(error.message);
    return EXIT.usage;
  }
  if (error instanceof StoreUnavailableError) {
    say(error.message);
    return EXIT.storeUnavailable;
  }
  if (error instanceof NotFoundError) {
    say(error.message);
    return EXIT.notFound;
  }
  if (error instanceof InterruptedError) {
    say(error.message);
    return EXIT.interrupted;
  }
  say(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
