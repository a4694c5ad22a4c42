// Wires the app: services in, a Bolt app out. No business logic here.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  App,
  type AppOptions,
  HTTPReceiver,
  type InstallationStore,
  type Receiver,
  SocketModeReceiver,
  webApi,
} from "@slack/bolt";
import type { AppConfig } from "./config.js";
import type { GatewayClient } from "./gateway/types.js";
import type { Logger } from "./logger.js";
import { createBoltLogger } from "./slack/bolt-logger.js";
import { createDeliverer } from "./slack/deliver.js";
import { createErrorHandler } from "./slack/error-handler.js";
import { createHealthRoutes } from "./slack/health-routes.js";
import { registerListeners } from "./slack/listeners/index.js";
import { BOT_SCOPES } from "./slack/scopes.js";
import { verifyBotToken } from "./slack/verify-bot-token.js";
import type { Store } from "./store/port.js";
import type { WorkspaceDirectory } from "./store/workspaces.js";
import { createFairLimiter, type FairLimiter } from "./usecases/fair-limiter.js";
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

/** Bounded retries: a rate-limited Slack call must not hold work (and a shutdown) for half an hour. */
const SLACK_CLIENT_OPTIONS = {
  retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  timeout: 10_000,
} as const;

export async function startApp(config: AppConfig, services: AppServices): Promise<RunningApp> {
  const { logger } = services;
  const limiter = createFairLimiter({ maxInFlight: 64, maxInFlightPerKey: 16, maxQueuedPerKey: 500 });
  const inFlight = createInFlight();
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
  const oauth =
    config.slack.auth.mode === "oauth"
      ? {
          clientId: config.slack.auth.clientId,
          clientSecret: config.slack.auth.clientSecret,
          stateSecret: config.slack.auth.stateSecret,
          installationStore: services.installationStore,
          scopes: [...BOT_SCOPES],
          installerOptions: { directInstall: true, clientOptions },
        }
      : {};
  if (config.slack.auth.mode === "oauth" && !services.installationStore) {
    throw new Error("The OAuth install needs an installation store");
  }

  const receiver: Receiver = config.slack.appToken
    ? new SocketModeReceiver({
        appToken: config.slack.appToken,
        logger: boltLogger,
        customRoutes,
        ...oauth,
        installerOptions: { ...oauth.installerOptions, port: config.port },
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret ?? "",
        logger: boltLogger,
        customRoutes,
        // Slack's requests are small; anything larger is not Slack and is refused before parsing.
        bodyLimit: 1024 * 1024,
        ...oauth,
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
      if (server) server.closeAllConnections();
      return { drained };
    },
  };
}
