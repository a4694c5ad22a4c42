// Transport only: the Bolt receiver for the configured mode (HTTP with a signing secret, or Socket
// Mode with an app token), with the app's own routes (health, gateway webhooks) served on PORT.
import {
  type Logger as BoltLogger,
  type CustomRoute,
  HTTPReceiver,
  type InstallationStore,
  type Receiver,
  SocketModeReceiver,
  type webApi,
} from "@slack/bolt";
import type { AppConfig } from "../config.js";
import type { Logger } from "../logger.js";
import { BOT_SCOPES } from "./scopes.js";
import { screenUnservedRequests } from "./screen-requests.js";

/** Slack's requests are small; anything larger is not Slack and is refused before parsing. */
export const BODY_LIMIT = 1024 * 1024;
export const SLACK_ENDPOINT = "/slack/events";

export interface ReceiverDeps {
  logger: Logger;
  boltLogger: BoltLogger;
  customRoutes: CustomRoute[];
  clientOptions: webApi.WebClientOptions;
  installationStore?: InstallationStore | undefined;
  /** Whether a listener (or Bolt itself) will acknowledge a parsed, signed Slack payload. */
  servesPayload: (body: unknown) => boolean;
}

export function createReceiver(config: AppConfig, deps: ReceiverDeps): Receiver {
  const { auth } = config.slack;
  if (auth.mode === "oauth" && !deps.installationStore) {
    throw new Error("The OAuth install needs an installation store");
  }
  const oauth =
    auth.mode === "oauth"
      ? {
          clientId: auth.clientId,
          clientSecret: auth.clientSecret,
          stateSecret: auth.stateSecret,
          installationStore: deps.installationStore,
          scopes: [...BOT_SCOPES],
          installerOptions: { directInstall: true, clientOptions: deps.clientOptions },
        }
      : {};

  if (config.slack.appToken) {
    return new SocketModeReceiver({
      appToken: config.slack.appToken,
      logger: deps.boltLogger,
      customRoutes: deps.customRoutes,
      ...oauth,
      installerOptions: { ...oauth.installerOptions, port: config.port },
    });
  }
  const signingSecret = config.slack.signingSecret ?? "";
  const http = new HTTPReceiver({
    signingSecret,
    logger: deps.boltLogger,
    customRoutes: deps.customRoutes,
    endpoints: [SLACK_ENDPOINT],
    bodyLimit: BODY_LIMIT,
    ...oauth,
  });
  screenUnservedRequests(http, {
    signingSecret,
    bodyLimit: BODY_LIMIT,
    endpoint: SLACK_ENDPOINT,
    serves: deps.servesPayload,
    logger: deps.logger,
  });
  return http;
}
