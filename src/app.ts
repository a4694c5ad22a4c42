// Wires the app: services in, a Bolt app out. No business logic here.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type AppOptions, type InstallationStore, webApi } from "@slack/bolt";
import type { AppConfig } from "./config.js";
import type { GatewayClient } from "./gateway/types.js";
import type { Logger } from "./logger.js";
import { createBoltLogger } from "./slack/bolt-logger.js";
import { createDeliverer } from "./slack/deliver.js";
import { createErrorHandler } from "./slack/error-handler.js";
import { createHealthRoutes } from "./slack/health-routes.js";
import { registerListeners, servesPayload } from "./slack/listeners/index.js";
import { createReceiver } from "./slack/receiver.js";
import { verifyBotToken } from "./slack/verify-bot-token.js";
import type { Store } from "./store/port.js";
import type { WorkspaceDirectory } from "./store/workspaces.js";
import { createAdmission } from "./usecases/admission.js";
import { createFairLimiter, type FairLimiter, GATEWAY_LIMITS } from "./usecases/fair-limiter.js";
import { createInFlight, type InFlight } from "./usecases/in-flight.js";
import { createActionRunner } from "./usecases/run-action.js";

export interface AppServices {
  logger: Logger;
  store: Store;
  gateway: GatewayClient;
  workspaces: WorkspaceDirectory;
  /** Required for the OAuth install. */
  installationStore?: InstallationStore;
}

export interface RunningApp {
  /** The HTTP port actually bound (PORT=0 picks a free one). */
  port: number;
  readonly limiter: FairLimiter;
  readonly inFlight: InFlight;
  /** Stops accepting, lets in-flight work finish within the deadline, then releases everything. */
  stop(drainMs?: number): Promise<{ drained: boolean }>;
}

/**
 * Bounded retries: a failing Slack call must not hold work (and a shutdown) for half an hour. A rate-limited
 * call is not waited out either: the WebClient would pause every call of that token for Retry-After
 * (however long) before each retry, while a trigger_id lives 3 s. It fails at once instead, and the user
 * is told through another route (response_url) to try again in N seconds.
 */
const SLACK_CLIENT_OPTIONS = {
  retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  rejectRateLimitedCalls: true,
  timeout: 10_000,
} as const;

/** Limits a test may lower to reach them with a few requests; the app runs with the defaults. */
export interface AppTuning {
  /** Requests and actions in progress beyond which new actions are refused in their ack (admission.ts). */
  maxWorkInProgress?: number | undefined;
}

export async function startApp(
  config: AppConfig,
  services: AppServices,
  tuning: AppTuning = {},
): Promise<RunningApp> {
  const { logger } = services;
  const limiter = createFairLimiter(GATEWAY_LIMITS);
  const inFlight = createInFlight();
  const admission = createAdmission({
    inProgress: () => inFlight.size,
    limit: tuning.maxWorkInProgress,
    logger,
  });
  const deliver = createDeliverer(logger);
  let stopping = false;

  const clientOptions: webApi.WebClientOptions = {
    ...SLACK_CLIENT_OPTIONS,
    slackApiUrl: config.slack.apiUrl,
    logger: createBoltLogger(logger),
  };
  const clientFor = (token: string) => new webApi.WebClient(token, clientOptions);
  const runAction = createActionRunner({
    gateway: services.gateway,
    workspaces: services.workspaces,
    store: services.store,
    limiter,
    logger,
  });

  const customRoutes = createHealthRoutes({ store: services.store, isStopping: () => stopping });
  const boltLogger = createBoltLogger(logger);
  const receiver = createReceiver(config, {
    logger,
    boltLogger,
    customRoutes,
    clientOptions,
    installationStore: services.installationStore,
    servesPayload,
  });

  const options: AppOptions = {
    receiver,
    logger: boltLogger,
    convoStore: false,
    clientOptions,
    extendedErrorHandler: true,
  };
  if (config.slack.auth.mode === "single") {
    const botToken = config.slack.auth.botToken;
    Object.assign(options, { token: botToken, ...(await verifyBotToken(clientFor(botToken))) });
  }
  const app = new App(options);

  // Everything a listener does after its ack is tracked, so SIGTERM can wait for it.
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  registerListeners(app, {
    logger,
    runAction,
    admission,
    workspaces: services.workspaces,
    store: services.store,
    gateway: services.gateway,
    deliver,
  });
  app.error(createErrorHandler({ logger, deliver, clientFor }));

  const started = (await app.start(config.port)) as unknown;
  const server =
    started instanceof Object && "address" in (started as object) ? (started as Server) : undefined;
  const port = server ? (server.address() as AddressInfo).port : config.port;
  // A request counts as in flight from its first byte, not only once Bolt hands it to a listener: a
  // request still being read when SIGTERM comes is finished (acked, acted on) rather than cut off.
  server?.on("request", (_req, res) => {
    void inFlight.track(new Promise<void>((resolve) => res.once("close", () => resolve())));
  });
  logger.info(
    { port, mode: config.slack.appToken ? "socket" : "http", store: services.store.kind },
    "wa-slack is up",
  );

  return {
    port,
    limiter,
    inFlight,
    async stop(drainMs = 10_000) {
      stopping = true;
      // HTTP: stop taking connections first; requests already read keep running.
      if (server) server.close();
      const drained = await inFlight.drain(drainMs);
      await app.stop().catch((error: unknown) => logger.debug({ err: error }, "receiver already stopped"));
      await deliver.close();
      if (server) server.closeAllConnections();
      return { drained };
    },
  };
}
