// The process: read the configuration, start the app, and stop cleanly on SIGTERM/SIGINT.
import { startApp } from "./app.js";
import { parseAppConfig, readEnvironment } from "./config.js";
import { ConfigError } from "./errors.js";
import { createLogger, scrubSecrets } from "./logger.js";
import { createServices } from "./services.js";

const DRAIN_MS = 10_000;

async function main(): Promise<number> {
  let config: ReturnType<typeof parseAppConfig>;
  try {
    config = parseAppConfig(readEnvironment(process.env, process.cwd()));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`wa-slack cannot start. ${error.message}\nSee README.md, "Configuration".\n`);
      return 1;
    }
    throw error;
  }

  const secrets = [
    config.slack.signingSecret,
    config.slack.auth.mode === "oauth" ? config.slack.auth.clientSecret : undefined,
  ]
    .concat([
      Buffer.from(config.encryptionKey).toString("base64url"),
      Buffer.from(config.encryptionKey).toString("base64"),
    ])
    .filter((s): s is string => typeof s === "string");
  const logger = createLogger({ level: config.logLevel, secrets });

  const services = await createServices(config, logger);
  const app = await startApp(config, services);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // stop() closes the listener before its first await, so once this line is out no new
    // connection is accepted (the shutdown test relies on that order).
    const stopped = app.stop(DRAIN_MS);
    logger.info({ signal, inFlight: app.inFlight.size }, "stopping: finishing in-flight work");
    const { drained } = await stopped;
    if (!drained)
      logger.warn({ inFlight: app.inFlight.size }, "drain deadline reached; some work did not finish");
    await services.close();
    logger.info("stopped");
    logger.flush();
    process.exit(drained ? 0 : 1);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    // Start-up failed after the configuration was read (store unreachable, Slack token rejected…).
    const message = scrubSecrets(error instanceof Error ? error.message : String(error));
    process.stderr.write(`wa-slack failed to start: ${message}\n`);
    process.exit(1);
  },
);
