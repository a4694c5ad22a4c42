// One pino logger for the app and the CLI. Secrets are kept out twice: known fields are redacted by
// path, and every finished line is scrubbed of anything shaped like a key or token, so a secret that
// slips into a message or an error's text is still never written.
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

const REDACT_PATHS = [
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
  "*.authorization",
  "*.Authorization",
  "*['x-api-key']",
  "*.apiKey",
  "*.api_key",
  "*.token",
  "*.botToken",
  "*.userToken",
  "*.appToken",
  "*.clientSecret",
  "*.signingSecret",
  "*.stateSecret",
  "*.encryptionKey",
  "*.previousEncryptionKey",
  "*.headers.authorization",
  "*.headers['x-api-key']",
  "*.bot.token",
  "*.user.token",
];

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
    redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
    hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    serializers: { err: pino.stdSerializers.err },
  };
  if (options.destination) return pino(base, options.destination);
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  if (pretty) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { colorize: true, destination: 1 } },
    });
  }
  return pino(base);
}
