// Transport only: the Bolt receiver for the configured mode (HTTP with a signing secret, or Socket
// Mode with an app token), with the app's own routes (health, gateway webhooks) served on PORT.
import type { Server } from "node:http";
import {
  type App,
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

/**
 * A peer that never answers the close frame would hold a shutdown for the socket client's own 30 s
 * handshake timeout; after this wait the stop goes on and that timer finishes the close.
 */
const SOCKET_CLOSE_WAIT_MS = 3000;

export interface ReceiverDeps {
  logger: Logger;
  boltLogger: BoltLogger;
  customRoutes: CustomRoute[];
  clientOptions: webApi.WebClientOptions;
  installationStore?: InstallationStore | undefined;
  /** Whether a listener (or Bolt itself) will acknowledge a parsed, signed Slack payload. */
  servesPayload: (body: unknown) => boolean;
}

export interface SlackReceiver extends Receiver {
  /** Why Slack cannot deliver to the app right now (what /readyz says), or undefined when it can. */
  unavailableReason(): string | undefined;
}

export function createReceiver(config: AppConfig, deps: ReceiverDeps): SlackReceiver {
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
    const routes = new HTTPReceiver({
      // This server has no Slack endpoint (Slack's requests come over the socket): nothing to verify.
      signingSecret: "",
      signatureVerification: false,
      endpoints: [],
      logger: deps.boltLogger,
      customRoutes: deps.customRoutes,
      bodyLimit: BODY_LIMIT,
      ...oauth,
    });
    const socket = new SocketModeReceiver({
      appToken: config.slack.appToken,
      logger: deps.boltLogger,
      // Bolt hands installerOptions.clientOptions to the socket client; with no OAuth options here it
      // reaches nothing else. Only the base URL: the socket client keeps its own retry policy for
      // apps.connections.open (retrying for as long as Slack is away), unlike the app's bounded calls.
      installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } },
    });
    return new SocketModeTransport({ routes, socket, logger: deps.logger });
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
  // Slack reaches an HTTP app whenever its server listens.
  return Object.assign(http, { unavailableReason: () => undefined });
}

/**
 * Socket Mode: Slack's requests come over a WebSocket the app opens, while PORT serves the app's own
 * routes (and the OAuth install pages). start() returns once PORT listens; the socket connects in the
 * background, so the health routes answer (503 until connected) and a signal can stop the app meanwhile.
 */
class SocketModeTransport implements SlackReceiver {
  /** Bolt reads the installer off its receiver to authorize each request of an OAuth install. */
  readonly installer: HTTPReceiver["installer"];
  private readonly routes: HTTPReceiver;
  private readonly socket: SocketModeReceiver;
  private readonly logger: Logger;
  private unavailable: string | undefined = "connecting to Slack";
  private connections = 0;
  private stopped = false;

  constructor(parts: { routes: HTTPReceiver; socket: SocketModeReceiver; logger: Logger }) {
    this.routes = parts.routes;
    this.socket = parts.socket;
    this.logger = parts.logger;
    this.installer = parts.routes.installer;

    const client = this.socket.client;
    // After a lost socket the client restarts itself through `this.start` and leaves the promise of a
    // failed restart unhandled (a stop while it reconnects, a token revoked meanwhile), which would end
    // the process with a stack trace. Every start, the first one included, ends here instead.
    const start = client.start.bind(client);
    client.start = async () => {
      try {
        return await start();
      } catch (error) {
        this.gaveUp(error);
        return { ok: false };
      }
    };
    client.on("connected", () => {
      // An apps.connections.open under way when stop() came still ends in a connection: close it too.
      if (this.stopped) {
        void client.disconnect();
        return;
      }
      this.connections += 1;
      this.unavailable = undefined;
      this.logger.info({ reconnect: this.connections > 1 }, "connected to Slack (Socket Mode)");
    });
    // Emitted once per lost socket (Slack's refresh, a dropped connection, missed pongs); the client
    // then reconnects by itself, and each failed attempt in between is logged by the client.
    client.on("close", () => {
      if (this.stopped || this.unavailable !== undefined) return;
      this.unavailable = "reconnecting to Slack";
      this.logger.info("Socket Mode connection closed; reconnecting");
    });
  }

  init(app: App): void {
    this.socket.init(app);
  }

  async start(port: number): Promise<Server> {
    const server = await this.routes.start(port);
    void this.socket.start();
    return server;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unavailable = "stopped";
    try {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SOCKET_CLOSE_WAIT_MS);
      });
      await Promise.race([this.socket.client.disconnect(), waited]).finally(() => clearTimeout(timer));
    } finally {
      await this.routes.stop();
    }
  }

  unavailableReason(): string | undefined {
    return this.unavailable;
  }

  /** The client stops retrying only on a refused token or after its long retry budget: say what to fix. */
  private gaveUp(error: unknown): void {
    if (this.stopped) return;
    const code = (error as { data?: { error?: unknown } }).data?.error;
    if (typeof code === "string") {
      this.unavailable = `Slack refused the app-level token (${code})`;
      this.logger.error(
        { code },
        "Slack refused SLACK_APP_TOKEN: create an app-level token with connections:write and set it again",
      );
      return;
    }
    this.unavailable = "cannot reach Slack";
    this.logger.error(
      { err: error },
      "gave up opening the Socket Mode connection: check SLACK_API_URL and the network, then restart",
    );
  }
}
