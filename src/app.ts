// Wires the app: services in, a Bolt app out. No business logic here.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { InstallationStore } from "@slack/bolt";
import type { AppConfig } from "./config.js";
import type { GatewayClient } from "./gateway/types.js";
import type { Logger } from "./logger.js";
import { createMirror, type MirrorTuning } from "./mirror/create-mirror.js";
import { createMirrorMessageLookup } from "./mirror/mirror-message-lookup.js";
import type { Sealer } from "./secrets/sealer.js";
import { createBotTokens } from "./slack/bot-tokens.js";
import { createSlackApp } from "./slack/create-slack-app.js";
import { createDeliverer } from "./slack/deliver.js";
import { createHealthRoutes } from "./slack/health-routes.js";
import { createSlackMessageLookup } from "./slack/message-lookup.js";
import { createWebClients } from "./slack/web-clients.js";
import type { Store } from "./store/port.js";
import { createEventSettings } from "./usecases/event-settings.js";
import { createFairLimiter, type FairLimiter, GATEWAY_LIMITS } from "./usecases/fair-limiter.js";
import { createInFlight, type InFlight } from "./usecases/in-flight.js";
import { createAdmission } from "./usecases/overload-refusal.js";
import { startInterruptedActionSweeper } from "./usecases/settle-interrupted-actions.js";
import { createUseCases } from "./usecases/use-cases.js";
import type { WorkspaceDirectory } from "./usecases/workspace-directory.js";

export interface AppServices {
  logger: Logger;
  store: Store;
  sealer: Sealer;
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

/** Limits a test may lower to reach them with a few requests; the app runs with the defaults. */
export interface AppTuning {
  /** Requests and actions in progress beyond which new actions are refused in their ack (overload-refusal.ts). */
  maxWorkInProgress?: number | undefined;
  /** The mirror's pace per channel and realtime timings, shortened so a test sees them act. */
  mirror?: MirrorTuning | undefined;
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

  const sweeper = startInterruptedActionSweeper({ store: services.store, logger });
  // Not awaited: a database that is slow to answer must not hold up the start (the sweep runs again later).
  void sweeper
    .sweep({ atStart: true })
    .catch((error: unknown) => logger.warn({ err: error }, "could not settle interrupted actions at start"));

  const clients = createWebClients(config, logger);
  const eventSettings = createEventSettings(services);
  const mirror = await createMirror({
    databaseUrl: config.databaseUrl,
    gatewayUrl: config.gatewayUrl,
    inboxRetentionDays: config.inboxRetentionDays,
    store: services.store,
    gateway: services.gateway,
    workspaces: services.workspaces,
    eventSettings,
    botTokenFor: createBotTokens(config.slack.auth, services.installationStore),
    clientFor: clients.clientFor,
    logger,
    tuning: tuning.mirror,
  });
  const useCases = createUseCases({
    ...services,
    limiter,
    eventSettings,
    onSent: mirror.echo,
    resumeChat: (key) => mirror.queue.schedule(key),
  });
  const customRoutes = [
    ...createHealthRoutes({
      store: services.store,
      isStopping: () => stopping,
      // Read per request, once the receiver below exists.
      slackUnavailable: () => slack.receiver.unavailableReason(),
    }),
    ...mirror.routes,
  ];
  const slack = await createSlackApp(config, {
    logger,
    useCases,
    deliver,
    admission,
    inFlight,
    customRoutes,
    clients,
    installationStore: services.installationStore,
    lookupFor: (client, workspaceId) =>
      createMirrorMessageLookup({
        store: services.store,
        workspaceId,
        fallback: createSlackMessageLookup(client),
      }),
  });
  const { app } = slack;
  await mirror.start();

  // Both receivers resolve once PORT listens (in Socket Mode without waiting for the socket to connect).
  const server: Server = await app.start(config.port);
  const { port } = server.address() as AddressInfo;
  // A request counts as in flight from its first byte, not only once Bolt hands it to a listener: a
  // request still being read when SIGTERM comes is finished (acked, acted on) rather than cut off.
  server.on("request", (_req, res) => {
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
      // Stop taking connections first; requests already read keep running. A Socket Mode socket stays
      // open through the drain: work in flight still acknowledges over it.
      server.close();
      const drained = await inFlight.drain(drainMs);
      await mirror.stop(drainMs);
      // Closes the socket; the HTTP receiver may report its server as already closed.
      await app.stop().catch((error: unknown) => logger.debug({ err: error }, "receiver already stopped"));
      sweeper.stop();
      await deliver.close();
      server.closeAllConnections();
      return { drained };
    },
  };
}
