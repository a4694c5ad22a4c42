// The app as main.ts starts it (same configuration, services and startApp), with the mirror's pace per
// channel set by the bench (BENCH_PACE_INTERVAL_MS, BENCH_PACE_BURST): the pacing scenario runs Slack's
// one-post-a-second limit N times faster, so that 500 posts take a minute instead of eight. Only that
// scenario starts the app this way; every other runs it as `npm start` does.
import { startApp } from "../src/app.js";
import { parseAppConfig, readEnvironment } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { createServices } from "../src/services.js";

const intervalMs = Number(process.env.BENCH_PACE_INTERVAL_MS);
const burst = Number(process.env.BENCH_PACE_BURST ?? "3");
if (!(intervalMs > 0) || !(burst >= 1)) {
  throw new Error("bench/mirror-app.ts needs BENCH_PACE_INTERVAL_MS > 0 (and BENCH_PACE_BURST ≥ 1)");
}
const config = parseAppConfig(readEnvironment(process.env, process.cwd()));
const logger = createLogger({ level: config.logLevel, pretty: false });
const services = await createServices(config, logger);
const app = await startApp(config, services, { mirror: { pace: { intervalMs, burst } } });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const { drained } = await app.stop(10_000);
  await services.close();
  logger.flush();
  process.exit(drained ? 0 : 1);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
