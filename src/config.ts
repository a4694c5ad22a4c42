// Parses the environment once, with zod. process.env is read nowhere else: main.ts and the CLI
// pass it in. Every problem is reported in one ConfigError, never as a stack trace.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { z } from "zod";
import { ConfigError } from "./errors.js";

export type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Above the gateway's own 15 s cut-off (gateway-notes.md, "Time bounds"), so its answer always arrives. */
export const DEFAULT_GATEWAY_TIMEOUT_MS = 20_000;
/** Stored gateway events are kept this long after they were mirrored (or set aside), then pruned. */
export const DEFAULT_INBOX_RETENTION_DAYS = 7;

/** Empty strings count as unset: `FOO=` in a .env file means "not given". */
const optionalText = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.string().trim().optional(),
);

const encryptionKey = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const bytes = decodeBase64Any(value);
    if (bytes?.length !== 32) {
      ctx.addIssue({
        code: "custom",
        message: "must be 32 random bytes in base64 or base64url (generate one with `npx wa-slack keygen`)",
      });
      return z.NEVER;
    }
    return bytes;
  });

function decodeBase64Any(value: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const normalized = value.replace(/-/g, "+").replace(/_/g, "/");
  return new Uint8Array(Buffer.from(normalized, "base64"));
}

const databaseUrl = z
  .string()
  .trim()
  .default("sqlite:data/wa-slack.db")
  .refine((v) => /^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(v), {
    message: "must be sqlite:<path> or postgres://… / postgresql://…",
  });

const storeShape = {
  DATABASE_URL: z.preprocess((v) => (v === "" ? undefined : v), databaseUrl),
  APP_ENCRYPTION_KEY: z.preprocess((v) => (v === "" ? undefined : v), encryptionKey),
  APP_ENCRYPTION_KEY_PREVIOUS: z.preprocess((v) => (v === "" ? undefined : v), encryptionKey.optional()),
  LOG_LEVEL: z.preprocess((v) => (v === "" ? undefined : v), z.enum(LOG_LEVELS).default("info")),
};

const appShape = {
  ...storeShape,
  GATEWAY_URL: z
    .string()
    .trim()
    .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://gw.example.com" })),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText.refine(
    (v) => v === undefined || v.startsWith("xoxb-"),
    "must start with xoxb-",
  ),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine(
    (v) => v === undefined || v.startsWith("xapp-"),
    "must start with xapp-",
  ),
  SLACK_API_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .default("https://slack.com/api/")
      .transform((v) => (v.endsWith("/") ? v : `${v}/`)),
  ),
  PORT: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number().int().min(0).max(65535).default(3000),
  ),
  GATEWAY_TIMEOUT_MS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number()
      .int()
      .min(1000, "must be at least 1000 (ms)")
      .max(120_000, "must be at most 120000 (ms)")
      .default(DEFAULT_GATEWAY_TIMEOUT_MS),
  ),
  INBOX_RETENTION_DAYS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number()
      .int("must be a whole number of days")
      .min(1, "must be at least 1 (day)")
      .max(3650, "must be at most 3650 (days)")
      .default(DEFAULT_INBOX_RETENTION_DAYS),
  ),
};

const OAUTH_VARS = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;

/**
 * The rules between variables. They run even when a variable failed its own check (`when`), so one
 * start names every problem at once.
 */
const appSchema = z.object(appShape).superRefine(
  (env, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: "custom", message, path: [] });
    if (env.SLACK_APP_TOKEN === undefined && env.SLACK_SIGNING_SECRET === undefined) {
      problem("SLACK_SIGNING_SECRET is required in HTTP mode (set SLACK_APP_TOKEN for Socket Mode instead)");
    }
    const oauthGiven = OAUTH_VARS.filter((name) => env[name] !== undefined);
    if (env.SLACK_BOT_TOKEN !== undefined && oauthGiven.length > 0) {
      problem(
        "set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SECRET/STATE_SECRET (OAuth), not both",
      );
    } else if (env.SLACK_BOT_TOKEN === undefined && oauthGiven.length === 0) {
      problem(
        "SLACK_BOT_TOKEN is required (or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for a multi-workspace OAuth install)",
      );
    } else if (env.SLACK_BOT_TOKEN === undefined) {
      for (const name of OAUTH_VARS) {
        if (env[name] === undefined) problem(`${name} is required for the OAuth install`);
      }
    }
  },
  { when: () => true },
);

export interface StoreConfig {
  databaseUrl: string;
  encryptionKey: Uint8Array;
  previousEncryptionKey: Uint8Array | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
}

export type SlackAuth =
  | { mode: "single"; botToken: string }
  | { mode: "oauth"; clientId: string; clientSecret: string; stateSecret: string };

export interface AppConfig extends StoreConfig {
  gatewayUrl: string;
  /** Deadline of one gateway operation, all attempts included. */
  gatewayTimeoutMs: number;
  /** How long mirrored (or set aside) gateway events are kept in the inbox. */
  inboxRetentionDays: number;
  slack: {
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string;
    auth: SlackAuth;
  };
  port: number;
}

/** What to do about a missing variable, said right where it is named. */
const MISSING_HINTS: Record<string, string> = {
  GATEWAY_URL: "is required (the WhatsApp gateway's base URL, e.g. https://gw.example.com)",
  APP_ENCRYPTION_KEY: "is required (32 random bytes in base64; generate one with `npx wa-slack keygen`)",
};

function collect(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    // A rule between variables names them in its own message.
    if (issue.path.length === 0) return issue.message;
    const name = issue.path.join(".");
    const missing = issue.code === "invalid_type" && issue.input === undefined;
    const text = missing ? (MISSING_HINTS[name] ?? "is required") : issue.message;
    return `${name} ${text}`;
  });
}

/** Only what the operator CLI needs: the store and the encryption keys. */
export function parseStoreConfig(env: Env): StoreConfig {
  const parsed = z.object(storeShape).safeParse(env);
  if (!parsed.success) throw new ConfigError(collect(parsed.error));
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    encryptionKey: parsed.data.APP_ENCRYPTION_KEY,
    previousEncryptionKey: parsed.data.APP_ENCRYPTION_KEY_PREVIOUS,
    logLevel: parsed.data.LOG_LEVEL,
  };
}

export interface CliGatewayConfig extends StoreConfig {
  gatewayUrl: string;
  gatewayTimeoutMs: number;
}

/** What the CLI's `events` commands need besides the store: the gateway. The other commands run without it. */
export function parseCliGatewayConfig(env: Env): CliGatewayConfig {
  const parsed = z
    .object({
      ...storeShape,
      GATEWAY_URL: appShape.GATEWAY_URL,
      GATEWAY_TIMEOUT_MS: appShape.GATEWAY_TIMEOUT_MS,
    })
    .safeParse(env);
  if (!parsed.success) throw new ConfigError(collect(parsed.error));
  return {
    ...parseStoreConfig(env),
    gatewayUrl: parsed.data.GATEWAY_URL.replace(/\/+$/, ""),
    gatewayTimeoutMs: parsed.data.GATEWAY_TIMEOUT_MS,
  };
}

export interface CliSlackConfig extends StoreConfig {
  /** Set for a single-workspace install; otherwise the workspace's stored OAuth installation is used. */
  slackBotToken: string | undefined;
  slackApiUrl: string;
}

/** What `link add` needs besides the store: a way to post in Slack. */
export function parseCliSlackConfig(env: Env): CliSlackConfig {
  const parsed = z
    .object({
      ...storeShape,
      SLACK_BOT_TOKEN: appShape.SLACK_BOT_TOKEN,
      SLACK_API_URL: appShape.SLACK_API_URL,
    })
    .safeParse(env);
  if (!parsed.success) throw new ConfigError(collect(parsed.error));
  return {
    ...parseStoreConfig(env),
    slackBotToken: parsed.data.SLACK_BOT_TOKEN,
    slackApiUrl: parsed.data.SLACK_API_URL,
  };
}

export function parseAppConfig(env: Env): AppConfig {
  const parsed = appSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(collect(parsed.error));
  const data = parsed.data;
  const auth: SlackAuth =
    data.SLACK_BOT_TOKEN !== undefined
      ? { mode: "single", botToken: data.SLACK_BOT_TOKEN }
      : {
          mode: "oauth",
          clientId: data.SLACK_CLIENT_ID as string,
          clientSecret: data.SLACK_CLIENT_SECRET as string,
          stateSecret: data.SLACK_STATE_SECRET as string,
        };
  return {
    databaseUrl: data.DATABASE_URL,
    encryptionKey: data.APP_ENCRYPTION_KEY,
    previousEncryptionKey: data.APP_ENCRYPTION_KEY_PREVIOUS,
    logLevel: data.LOG_LEVEL,
    gatewayUrl: data.GATEWAY_URL.replace(/\/+$/, ""),
    gatewayTimeoutMs: data.GATEWAY_TIMEOUT_MS,
    inboxRetentionDays: data.INBOX_RETENTION_DAYS,
    slack: {
      signingSecret: data.SLACK_SIGNING_SECRET,
      appToken: data.SLACK_APP_TOKEN,
      apiUrl: data.SLACK_API_URL,
      auth,
    },
    port: data.PORT,
  };
}

/**
 * The process environment merged over `.env` in the working folder (the environment wins).
 * Node's own parser reads the file, so quoting rules are the usual dotenv ones.
 */
export function readEnvironment(processEnv: Env, cwd: string): Env {
  const file = resolve(cwd, ".env");
  if (!existsSync(file)) return processEnv;
  const fromFile = parseEnv(readFileSync(file, "utf8"));
  return { ...fromFile, ...processEnv };
}
