import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../logger.js";

/** Bolt logs through our pino logger, so its lines are redacted and scrubbed like ours. */
export function createBoltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: "bolt" });
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  return {
    debug: (...msg) => log.debug(text(msg)),
    info: (...msg) => log.info(text(msg)),
    warn: (...msg) => log.warn(text(msg)),
    error: (...msg) => log.error(text(msg)),
    setLevel: () => {
      // The level is LOG_LEVEL's, set once on the pino logger.
    },
    getLevel: () => {
      const level = log.level;
      if (level === "trace" || level === "debug") return LogLevel.DEBUG;
      if (level === "info") return LogLevel.INFO;
      if (level === "warn") return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: () => {
      // The component name is fixed above.
    },
  };
}
