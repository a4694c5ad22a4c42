// One pino logger for the app and the CLI. Secrets are kept out twice: fields named like a secret are
// censored, and every finished line is scrubbed of anything shaped like a key or token, so a secret that
// slips into a message or an error's text is still never written.
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** Field names whose values are never written, at any depth up to REDACT_DEPTH. */
const SECRET_FIELDS: ReadonlySet<string> = new Set([
  "authorization",
  "Authorization",
  "x-api-key",
  "apiKey",
  "api_key",
  "token",
  "botToken",
  "userToken",
  "appToken",
  "clientSecret",
  "signingSecret",
  "stateSecret",
  "encryptionKey",
  "previousEncryptionKey",
  "password",
]);
const REDACT_DEPTH = 4;
const CENSOR = "[REDACTED]";

/**
 * `value` with every field named like a secret censored, copied only where something changes (the caller's
 * object is never modified). Objects with their own toJSON (Date, Buffer, URL) are written as they
 * serialize; an Error keeps its prototype, so pino's err serializer still sees an Error.
 *
 * This replaces pino's path redaction (`redact`), which for wildcard paths (`*.token`) runs a redactor on
 * every key of every child logger's bindings and every logged object, written or not: about 24 KB of
 * garbage for each `logger.child()` call, one per Slack action (bench/REPORT.md).
 */
export function redactSecretFields(value: unknown, depth = 0): unknown {
  if (typeof value !== "object" || value === null || depth >= REDACT_DEPTH) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const redacted = redactSecretFields(item, depth + 1);
      if (redacted !== item) {
        copy ??= [...value];
        copy[i] = redacted;
      }
    });
    return copy ?? value;
  }
  const source = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(source)) {
    const item = source[key];
    const redacted =
      SECRET_FIELDS.has(key) && item !== undefined ? CENSOR : redactSecretFields(item, depth + 1);
    if (redacted === item) continue;
    copy ??= copyOf(value);
    copy[key] = redacted;
  }
  return copy ?? value;
}

/** A shallow copy; an Error stays an Error (prototype, message and stack kept). */
function copyOf(value: object): Record<string, unknown> {
  if (!(value instanceof Error)) return { ...value } as Record<string, unknown>;
  const error = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
  return Object.assign(error, value, { message: value.message, stack: value.stack });
}

const redactRecord = (object: Record<string, unknown>) =>
  redactSecretFields(object) as Record<string, unknown>;

/** Patterns of secrets we know: gateway api keys, Slack tokens, Bearer credentials. */
const SECRET_PATTERNS: RegExp[] = [
  /\bwa_[A-Za-z0-9_-]{4,}/g,
  /\bxox[abposer]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /Bearer\s+[A-Za-z0-9._~+/=-]+/g,
];

export function scrubSecrets(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, "[REDACTED]");
  for (const secret of extraSecrets) {
    if (secret.length >= 8) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}

export interface LoggerOptions {
  level: string;
  /** Literal secrets to scrub besides the known patterns (the encryption key, the signing secret). */
  secrets?: readonly string[];
  /** Where lines go; defaults to stdout, pretty-printed when stdout is a terminal. */
  destination?: DestinationStream;
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  const base: pino.LoggerOptions = {
    level: options.level,
    // Objects are redacted only when a line is written; the err serializer's output is redacted too,
    // since an error's own fields are copied after `log` runs. Child bindings: see redactBindings.
    formatters: { log: redactRecord },
    hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    serializers: { err: (error: Error) => redactSecretFields(pino.stdSerializers.err(error)) },
  };
  if (options.destination) return redactBindings(pino(base, options.destination));
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  if (pretty) {
    return redactBindings(
      pino({ ...base, transport: { target: "pino-pretty", options: { colorize: true, destination: 1 } } }),
    );
  }
  return redactBindings(pino(base));
}

/**
 * pino applies `formatters.bindings` to the root logger only, so a child's bindings are redacted here.
 * Children inherit the root's `child` through their prototype, so every descendant goes through it.
 */
function redactBindings(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactRecord(bindings), childOptions);
  } as Logger["child"];
  return logger;
}
