// Slack Web API clients with the app's options, for any token the app holds.
import { webApi } from "@slack/bolt";
import type { AppConfig } from "../config.js";
import type { Logger } from "../logger.js";
import { createBoltLogger } from "./bolt-logger.js";

/**
 * Bounded retries: a failing Slack call must not hold work (and a shutdown) for half an hour. A rate-limited
 * call is not waited out either: the WebClient would pause every call of that token for Retry-After
 * (however long) before each retry, while a trigger_id lives 3 s. It fails at once instead, and the user
 * is told through another route (response_url) to try again in N seconds; the mirror paces its posts
 * per channel and waits a channel's Retry-After itself (mirror/post/).
 */
const SLACK_CLIENT_OPTIONS = {
  retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  rejectRateLimitedCalls: true,
  timeout: 10_000,
} as const;

export interface WebClients {
  options: webApi.WebClientOptions;
  clientFor(token: string): webApi.WebClient;
}

export function createWebClients(config: AppConfig, logger: Logger): WebClients {
  const options: webApi.WebClientOptions = {
    ...SLACK_CLIENT_OPTIONS,
    slackApiUrl: config.slack.apiUrl,
    logger: createBoltLogger(logger),
  };
  return { options, clientFor: (token) => new webApi.WebClient(token, options) };
}
