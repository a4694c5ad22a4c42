// What every CLI command shares: exit codes, the errors that pick one, argument parsing with --help,
// the checks on ids, and opening the store (and the gateway) once the command line is known to be right.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type CliGatewayConfig, type Env, readEnvironment, type StoreConfig } from "../config.js";
import { chatIdRefusal } from "../domain/chat-id.js";
import { UserInputError, WaSlackError } from "../errors.js";
import { createGatewayClient } from "../gateway/client.js";
import type { GatewayClient } from "../gateway/types.js";
import { createLogger, type Logger } from "../logger.js";
import { createSealer, type Sealer } from "../secrets/sealer.js";
import { createStore } from "../store/create-store.js";
import type { Store } from "../store/port.js";
import { createWorkspaceDirectory, type WorkspaceDirectory } from "../usecases/workspace-directory.js";
import type { CliIo } from "./io.js";

export const EXIT = {
  ok: 0,
  notFound: 1,
  usage: 2,
  storeUnavailable: 3,
  /** The gateway or Slack refused the request, or did not answer. */
  refused: 4,
  interrupted: 130,
} as const;

/** The command line itself is wrong: shown with the command's usage. */
export class UsageError extends WaSlackError {
  readonly code = "usage";
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.usage = usage;
  }
}

/** The workspace (or link) the operator named does not exist. */
export class NotFoundError extends WaSlackError {
  readonly code = "not_found";
}

const TEAM_ID = /^[TE][A-Z0-9]{2,31}$/;
/** Public (C…) and private (G…) channels: the ones a chat can be mirrored into. */
const CHANNEL_ID = /^[CG][A-Z0-9]{2,31}$/;

export function print(sink: CliIo["stdout"], text: string): void {
  sink.write(text.endsWith("\n") ? text : `${text}\n`);
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

/** parseArgs with --help on every command, and its errors turned into usage errors. */
export function parse(
  argv: string[],
  options: Options,
  usage: string,
  positionalNames: readonly string[],
): Parsed {
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

/** A string option's value, or undefined when it was not given. */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}

export function requiredOption(parsed: Parsed, name: string, placeholder: string, usage: string): string {
  const value = stringOption(parsed, name);
  if (value === undefined || value.trim() === "") {
    throw new UsageError(`Missing --${name} ${placeholder}.`, usage);
  }
  return value.trim();
}

/** Runs a check of the app's rules; what it refuses is a usage error of this command. */
export function asUsage<T>(usage: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw error instanceof UserInputError ? new UsageError(error.message, usage) : error;
  }
}

export function teamIdFrom(value: string | undefined, usage: string): string {
  const id = value ?? "";
  if (!TEAM_ID.test(id)) {
    throw new UsageError(
      `"${id}" is not a Slack team id: it looks like T0123ABCD (a workspace) or E0123ABCD (an org-wide install).`,
      usage,
    );
  }
  return id;
}

export function channelIdFrom(value: string, usage: string): string {
  if (!CHANNEL_ID.test(value)) {
    throw new UsageError(
      `"${value}" is not a Slack channel id: it looks like C0123ABCD (or G0123ABCD for an older private channel). ` +
        "In Slack, open the channel's details: the id is at the bottom.",
      usage,
    );
  }
  return value;
}

export function chatIdFrom(value: string, usage: string): string {
  const refusal = chatIdRefusal(value);
  if (refusal !== undefined) throw new UsageError(refusal, usage);
  return value;
}

/** The environment (with .env) parsed for one command; a ConfigError names every problem at once. */
export interface Loaded<C extends StoreConfig> {
  io: CliIo;
  env: Env;
  config: C;
}

export function loadConfig<C extends StoreConfig>(io: CliIo, parseConfig: (env: Env) => C): Loaded<C> {
  const env = readEnvironment(io.env, io.cwd);
  return { io, env, config: parseConfig(env) };
}

export interface Opened {
  store: Store;
  sealer: Sealer;
  directory: WorkspaceDirectory;
  logger: Logger;
}

/** Opens the store for the work, and closes it after. */
export async function withStore<T>(
  loaded: Loaded<StoreConfig>,
  work: (opened: Opened) => Promise<T>,
): Promise<T> {
  const { io, env, config } = loaded;
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
    return await work({
      store,
      sealer,
      directory: createWorkspaceDirectory({ store, sealer, ttlMs: 0 }),
      logger,
    });
  } finally {
    await store.close();
  }
}

/** Opens the store and a gateway client for the work, and closes both after. */
export async function withGateway<T>(
  loaded: Loaded<CliGatewayConfig>,
  work: (opened: Opened & { gateway: GatewayClient }) => Promise<T>,
): Promise<T> {
  return withStore(loaded, async (opened) => {
    const gateway = createGatewayClient({
      baseUrl: loaded.config.gatewayUrl,
      logger: opened.logger,
      timeouts: { totalMs: loaded.config.gatewayTimeoutMs },
    });
    try {
      return await work({ ...opened, gateway });
    } finally {
      await gateway.close();
    }
  });
}
