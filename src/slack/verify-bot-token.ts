import type { webApi } from "@slack/bolt";
import { SlackError } from "../errors.js";
import { slackErrorCode } from "./slack-error-code.js";

/**
 * Checks SLACK_BOT_TOKEN once at start with auth.test and learns the bot's ids. Bolt would otherwise
 * call auth.test itself from its constructor, where a failure becomes an unhandled rejection that
 * kills the process with a stack trace; here it is one clear start-up error.
 */
export async function verifyBotToken(
  client: webApi.WebClient,
): Promise<{ botId: string; botUserId: string }> {
  let result: Awaited<ReturnType<webApi.WebClient["auth"]["test"]>>;
  try {
    result = await client.auth.test();
  } catch (error) {
    const code = slackErrorCode(error);
    if (code)
      throw new SlackError(
        "slack_rejected",
        `Slack rejected SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token (xoxb-…) again.`,
      );
    throw new SlackError(
      "slack_unreachable",
      `Could not reach Slack to check SLACK_BOT_TOKEN: ${(error as Error).message}. Check SLACK_API_URL and the network.`,
      { cause: error },
    );
  }
  if (!result.bot_id || !result.user_id) {
    throw new SlackError(
      "slack_rejected",
      "SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot id). Use the xoxb-… token.",
    );
  }
  return { botId: result.bot_id, botUserId: result.user_id };
}
