// The Slack half of the app: the receiver for the configured mode, the Bolt app, the door every action
// passes (admit-actions.ts), the listeners, and the one error handler. Transport and wiring only.
import { App, type AppOptions, type CustomRoute, type InstallationStore } from "@slack/bolt";
import type { AppConfig } from "../config.js";
import type { Logger } from "../logger.js";
import type { InFlight } from "../usecases/in-flight.js";
import type { Admission } from "../usecases/overload-refusal.js";
import { createAdmissionMiddleware } from "./admit-actions.js";
import { createBoltLogger } from "./bolt-logger.js";
import type { Deliverer } from "./deliver.js";
import { createErrorHandler } from "./error-handler.js";
import type { ListenerDeps } from "./listeners/deps.js";
import { registerListeners, servesPayload } from "./listeners/index.js";
import { createReceiver, type SlackReceiver } from "./receiver.js";
import { verifyBotToken } from "./verify-bot-token.js";
import type { WebClients } from "./web-clients.js";

export interface SlackApp {
  app: App;
  receiver: SlackReceiver;
}

export async function createSlackApp(
  config: AppConfig,
  deps: Omit<ListenerDeps, "deliver"> & {
    deliver: Deliverer;
    admission: Admission;
    inFlight: InFlight;
    customRoutes: CustomRoute[];
    installationStore?: InstallationStore | undefined;
    clients: WebClients;
    logger: Logger;
  },
): Promise<SlackApp> {
  const { logger } = deps;
  const boltLogger = createBoltLogger(logger);
  const { options: clientOptions, clientFor } = deps.clients;
  const receiver = createReceiver(config, {
    logger,
    boltLogger,
    customRoutes: deps.customRoutes,
    clientOptions,
    installationStore: deps.installationStore,
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
    await deps.inFlight.track(next());
  });
  app.use(createAdmissionMiddleware({ admission: deps.admission, deliver: deps.deliver }));
  registerListeners(app, {
    logger,
    useCases: deps.useCases,
    deliver: deps.deliver,
    lookupFor: deps.lookupFor,
  });
  app.error(createErrorHandler({ logger, deliver: deps.deliver, clientFor }));
  return { app, receiver };
}
