// Slack for `link add`: a Web API client with the workspace's bot token (SLACK_BOT_TOKEN, else the stored
// OAuth installation), and the link announcer on it with Slack's refusals put in words for the operator.
import { webApi } from "@slack/bolt";
import type { CliSlackConfig } from "../config.js";
import { ConfigError, SlackError, WaSlackError } from "../errors.js";
import { createBoltLogger } from "../slack/bolt-logger.js";
import { createSlackLinkAnnouncer } from "../slack/link-announcer.js";
import { slackErrorCode } from "../slack/slack-error-code.js";
import { createInstallationStore } from "../store/installation-store.js";
import type { LinkAnnouncer } from "../usecases/links.js";
import type { Opened } from "./command.js";

/** A few quick retries, then an answer: an operator is waiting at the terminal. */
const CLIENT_OPTIONS = {
  retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  rejectRateLimitedCalls: true,
  timeout: 10_000,
} as const;

/** Slack's answers that mean the token is the problem, not the channel. */
const TOKEN_REFUSALS = new Set([
  "not_authed",
  "invalid_auth",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "not_allowed_token_type",
]);

export async function slackClientFor(
  opened: Opened,
  config: CliSlackConfig,
  workspaceId: string,
): Promise<webApi.WebClient> {
  const token = config.slackBotToken ?? (await installedBotToken(opened, workspaceId));
  return new webApi.WebClient(token, {
    ...CLIENT_OPTIONS,
    slackApiUrl: config.slackApiUrl,
    logger: createBoltLogger(opened.logger),
  });
}

async function installedBotToken(opened: Opened, workspaceId: string): Promise<string> {
  const missing = () =>
    new ConfigError([
      `there is no Slack bot token for ${workspaceId}: set SLACK_BOT_TOKEN (xoxb-…) for a single-workspace install, ` +
        "or install the app in that workspace first (OAuth install), which stores its token",
    ]);
  const record = await opened.store.getInstallation(workspaceId);
  if (record === undefined) throw missing();
  const installation = await createInstallationStore({
    store: opened.store,
    sealer: opened.sealer,
  }).fetchInstallation(
    record.isEnterpriseInstall
      ? { isEnterpriseInstall: true, enterpriseId: workspaceId, teamId: undefined }
      : { isEnterpriseInstall: false, teamId: workspaceId, enterpriseId: undefined },
  );
  const token = installation.bot?.token;
  if (token === undefined) throw missing();
  return token;
}

/** The Slack announcer, with any refusal other than the channel's turned into a SlackError that says what to do. */
export function cliLinkAnnouncer(client: webApi.WebClient): LinkAnnouncer {
  const announcer = createSlackLinkAnnouncer(client);
  return {
    async announce(link) {
      try {
        await announcer.announce(link);
      } catch (error) {
        if (error instanceof WaSlackError) throw error;
        if (isRateLimited(error)) {
          throw new SlackError(
            "slack_rejected",
            `Slack is rate-limiting the app: run the command again in ${error.retryAfter} seconds. Nothing was linked.`,
            { cause: error },
          );
        }
        const code = slackErrorCode(error);
        if (code !== undefined) {
          const hint = TOKEN_REFUSALS.has(code)
            ? ": the bot token was refused. Check SLACK_BOT_TOKEN, or install the app in the workspace again"
            : code === "missing_scope"
              ? ": the app lacks a scope it needs (chat:write). Install the app again with the scopes of manifest.json"
              : "";
          throw new SlackError(
            "slack_rejected",
            `Slack refused to post in channel ${link.channelId} (${code})${hint}. Nothing was linked.`,
            { cause: error },
          );
        }
        throw new SlackError(
          "slack_unreachable",
          `Slack did not answer (${error instanceof Error ? error.message : String(error)}). ` +
            "Check SLACK_API_URL and the network, then run the command again. Nothing was linked.",
          { cause: error },
        );
      }
    },
  };
}

function isRateLimited(error: unknown): error is webApi.WebAPIRateLimitedError {
  return (error as { code?: unknown } | null)?.code === webApi.ErrorCode.RateLimitedError;
}
