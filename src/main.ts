// The process: read the configuration, start the app, and stop cleanly on SIGTERM/SIGINT, also mid-start.
import { type RunningApp, startApp } from "./app.js";
import { parseAppConfig, readEnvironment } from "./config.js";
import { ConfigError } from "./errors.js";
import { createLogger, type Logger, scrubSecrets } from "./logger.js";
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

  let services: Awaited<ReturnType<typeof createServices>> | undefined;
  let app: RunningApp | undefined;
  let stopping = false;
  const starting = (async () => {
    services = await createServices(config, logger);
    // A signal came while the store was opening: nothing more is started only to be stopped.
    if (stopping) return;
    app = await startApp(config, services);
  })();

  // Installed before the first await, so a signal during start-up stops the app instead of killing it.
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    let clean = true;
    if (app === undefined) {
      logger.info({ signal }, "stopping: start-up interrupted");
      // The step under way (opening the store, checking the bot token) ends first, so what it opened is
      // then closed in order rather than pulled from under it.
      clean = await startupEnds(starting, DRAIN_MS, logger);
    }
    if (app !== undefined) {
      // stop() closes the listener before its first await, so once this line is out no new
      // connection is accepted (the shutdown test relies on that order).
      const stopped = app.stop(DRAIN_MS);
      logger.info({ signal, inFlight: app.inFlight.size }, "stopping: finishing in-flight work");
      const { drained } = await stopped;
      if (!drained)
        logger.warn({ inFlight: app.inFlight.size }, "drain deadline reached; some work did not finish");
      clean &&= drained;
    }
    await services?.close();
    logger.info("stopped");
    logger.flush();
    process.exit(clean ? 0 : 1);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  try {
    await starting;
  } catch (error) {
    // stop() has seen this failure too, logged it and exits.
    if (stopping) return 0;
    throw error;
  }
  return 0;
}

/** Whether start-up ended (started or failed) within the deadline; a failure is logged, not rethrown. */
async function startupEnds(starting: Promise<void>, deadlineMs: number, logger: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs);
  });
  const ended = starting.then(
    () => true as const,
    (error: unknown) => {
      logger.warn({ err: error }, "start-up failed while stopping");
      return true as const;
    },
  );
  try {
    const done = await Promise.race([ended, deadline]);
    if (!done) logger.warn("start-up did not end within the deadline; stopping anyway");
    return done;
  } finally {
    clearTimeout(timer);
  }
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
