// The one place that turns an error into words for the Slack user. Every error class of the app
// has its sentence here; anything unknown gets a generic one, because its raw message could hold
// anything (a URL with credentials, a stack, a key).

import { webApi } from "@slack/bolt";
import {
  ChannelAccessError,
  ConfigError,
  EventsSetupError,
  NotConfiguredError,
  NotInstalledError,
  OverloadedError,
  PermissionError,
  SealError,
  StoreUnavailableError,
  TargetError,
  UserInputError,
} from "../../errors.js";
import {
  GatewayApiError,
  type GatewayErrorCode,
  GatewayProtocolError,
  GatewayUnavailableError,
} from "../../gateway/errors.js";
import { scrubSecrets } from "../../logger.js";

export interface ErrorDescription {
  /** What happened and what to do, in plain words (Slack mrkdwn). */
  summary: string;
  /** A stable code for the context line and for support. */
  code: string;
  /** The gateway's own message, or our more specific one, for the context line. */
  detail?: string;
  /** The usage line of the misused subcommand. */
  usage?: string;
  retryAfterSeconds?: number;
}

const CONFIG_HINT = "A workspace admin must run `/wa config`.";
const NOTHING_SENT = "nothing was sent";

/** At most this many of a validation_error's field messages are listed; the rest are counted. */
const MAX_FIELD_ERRORS = 10;
/** Gateway text is shown as given; this keeps a runaway message from crowding out the rest. */
const MAX_DETAIL_LENGTH = 500;

export function describeError(error: unknown): ErrorDescription {
  return scrubDescription(describeUnscrubbed(error));
}

function describeUnscrubbed(error: unknown): ErrorDescription {
  if (error instanceof UserInputError) {
    return error.usage === undefined
      ? { summary: error.message, code: error.code }
      : { summary: error.message, code: error.code, usage: error.usage };
  }
  if (error instanceof NotConfiguredError) {
    return {
      summary: `This workspace isn't connected to WhatsApp yet. ${CONFIG_HINT}`,
      code: error.code,
    };
  }
  if (error instanceof NotInstalledError) {
    return {
      summary:
        `WhatsApp for Slack isn't installed in this workspace, so ${NOTHING_SENT}. ` +
        "A workspace admin can install it from the app's install page.",
      code: error.code,
    };
  }
  if (error instanceof ChannelAccessError) {
    const where = `<#${error.channelId}>`;
    switch (error.code) {
      case "app_not_in_channel":
        return {
          summary: `The app isn't in ${where}, so it can't mirror WhatsApp there. Invite it with \`/invite @WhatsApp\`, then run \`/wa link\` again.`,
          code: error.code,
        };
      case "channel_archived":
        return {
          summary: `${where} is archived, so nothing can be mirrored into it. Use another channel.`,
          code: error.code,
        };
      case "channel_not_found":
        return {
          summary: `The app can't see ${where}: for a private channel, invite the app first (\`/invite @WhatsApp\`).`,
          code: error.code,
        };
    }
  }
  if (error instanceof EventsSetupError) {
    // Its message is written for the person setting up events, and names what to do.
    return { summary: error.message, code: error.code };
  }
  if (error instanceof TargetError) {
    // Its message is ours and names what was looked for (a channel, a ts): useful on the context line.
    return { summary: describeTarget(error), code: error.code, detail: error.message };
  }
  if (error instanceof PermissionError) {
    return {
      summary: "Only workspace admins and owners can change the WhatsApp settings.",
      code: error.code,
    };
  }
  if (error instanceof GatewayApiError) return describeGatewayApiError(error);
  if (error instanceof GatewayUnavailableError) {
    if (error.mayHaveArrived) {
      return {
        summary:
          "The WhatsApp gateway didn't answer in full, so the app can't tell whether it went through. " +
          "Check WhatsApp before trying again.",
        code: error.code,
      };
    }
    return {
      summary: "Couldn't reach the WhatsApp gateway, so nothing was sent. Try again in a moment.",
      code: error.code,
    };
  }
  if (error instanceof GatewayProtocolError) {
    return {
      summary:
        "The WhatsApp gateway gave an answer the app doesn't understand. Check WhatsApp before trying " +
        "again: the request may or may not have gone through.",
      code: error.code,
    };
  }
  if (error instanceof StoreUnavailableError) {
    return {
      summary: `The app's database isn't available right now, so ${NOTHING_SENT}. Try again in a moment.`,
      code: error.code,
    };
  }
  if (error instanceof OverloadedError) {
    return {
      summary: `Too many WhatsApp actions are in progress right now, so ${NOTHING_SENT}. Try again in a moment.`,
      code: error.code,
    };
  }
  if (error instanceof SealError) {
    return {
      summary:
        "This workspace's stored API key can't be opened (the app's encryption key has changed), so " +
        `${NOTHING_SENT}. A workspace admin must enter the key again with \`/wa config\`.`,
      code: error.code,
    };
  }
  if (error instanceof ConfigError) {
    // Its problems name environment variables: for the operator's log, not for the Slack user.
    return {
      summary: `The app itself is not set up correctly, so ${NOTHING_SENT}. Tell whoever runs it.`,
      code: error.code,
    };
  }
  const slack = describeSlackApiError(error);
  if (slack) return slack;
  return { summary: `Something went wrong on our side; ${NOTHING_SENT}.`, code: "internal_error" };
}

/** Slack's trigger_id lives 3 s and works once; these are its ways of saying it is spent. */
const SPENT_TRIGGER = new Set(["expired_trigger_id", "trigger_expired", "invalid_trigger_id"]);

/**
 * The Slack Web API's own refusals that a user can do something about. They come from @slack/web-api,
 * outside our hierarchy, so they are recognised by that library's stable error codes.
 */
function describeSlackApiError(error: unknown): ErrorDescription | undefined {
  const e = error as { code?: unknown; retryAfter?: unknown; data?: { error?: unknown } } | null;
  if (e?.code === webApi.ErrorCode.RateLimitedError) {
    const seconds = typeof e.retryAfter === "number" && e.retryAfter > 0 ? e.retryAfter : undefined;
    return slackRateLimited(seconds);
  }
  if (e?.code !== webApi.ErrorCode.PlatformError || typeof e.data?.error !== "string") return undefined;
  if (e.data.error === "ratelimited") return slackRateLimited(undefined);
  if (SPENT_TRIGGER.has(e.data.error)) {
    return {
      summary:
        "Slack didn't let the app open the form in time (a form must open within 3 seconds). " +
        "Nothing was sent. Try again.",
      code: e.data.error,
    };
  }
  return undefined;
}

function slackRateLimited(seconds: number | undefined): ErrorDescription {
  const wait =
    seconds === undefined
      ? "Try again in a little while."
      : `Try again in ${Math.ceil(seconds)} ${Math.ceil(seconds) === 1 ? "second" : "seconds"}.`;
  const summary = `Slack is limiting how often the app may call it right now. ${wait}`;
  return seconds === undefined
    ? { summary, code: "slack_rate_limited" }
    : { summary, code: "slack_rate_limited", retryAfterSeconds: seconds };
}

function describeTarget(error: TargetError): string {
  switch (error.code) {
    case "channel_not_visible":
      return (
        "The app can't see that channel, so it can't read the message. Invite the app to the channel " +
        "(mention it there, or add it in the channel's Integrations tab) and try again."
      );
    case "message_not_found":
      return "That Slack message wasn't found. It may have been deleted, or the link may be incomplete.";
    case "no_whatsapp_metadata":
      return (
        "That Slack message doesn't stand for a WhatsApp message (it carries no WhatsApp details). " +
        "Pick a message the WhatsApp bridge posted, or name the message with `--chat` and `--mid`."
      );
    case "not_a_poll":
      return "That WhatsApp message isn't a poll, so there is nothing to vote in.";
    case "no_session":
      return (
        "No WhatsApp session was named: add `--session <id>`, or ask a workspace admin to set a default " +
        "session with `/wa config`."
      );
  }
}

function describeGatewayApiError(error: GatewayApiError): ErrorDescription {
  const base = {
    code: shortCode(error.code),
    detail: error.gatewayMessage === "" ? undefined : error.gatewayMessage,
  };
  switch (effectiveCode(error)) {
    case "not_found":
      return {
        ...base,
        summary:
          "The WhatsApp session or message wasn't found, or it doesn't belong to this workspace's " +
          "gateway account.",
      };
    case "validation_error":
      return { ...base, summary: describeValidation(error) };
    case "unauthorized":
      return {
        ...base,
        summary: `The WhatsApp gateway rejected this workspace's API key, so ${NOTHING_SENT}. ${CONFIG_HINT}`,
      };
    case "forbidden":
      return {
        ...base,
        summary:
          "This workspace's API key lacks the `send` permission on the WhatsApp gateway, so " +
          `${NOTHING_SENT}. ${CONFIG_HINT}`,
      };
    case "rate_limited": {
      const seconds = error.retryAfterSeconds;
      const wait =
        seconds === undefined || seconds <= 0
          ? "Try again in a little while."
          : `Try again in ${Math.ceil(seconds)} ${Math.ceil(seconds) === 1 ? "second" : "seconds"}.`;
      const summary = `WhatsApp's sending limit was reached for this session. ${wait}`;
      return seconds === undefined ? { ...base, summary } : { ...base, summary, retryAfterSeconds: seconds };
    }
    case "conflict":
      return {
        ...base,
        summary:
          "The WhatsApp gateway refused the request because it conflicts with the session's current state. " +
          "Check the session, then try again.",
      };
    case "internal":
      return { ...base, summary: "The WhatsApp gateway had an internal error. Try again later." };
    case "not_implemented":
      return {
        ...base,
        summary: `The session's live WhatsApp client isn't available on the gateway, so ${NOTHING_SENT}. Try again later.`,
      };
    default:
      return {
        ...base,
        summary: `The WhatsApp gateway is unavailable right now, so ${NOTHING_SENT}. Try again later.`,
      };
  }
}

const KNOWN_GATEWAY_CODES: ReadonlySet<string> = new Set<GatewayErrorCode>([
  "validation_error",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "internal",
  "not_implemented",
  "gateway_unavailable",
]);

/**
 * 401 and 403 always mean the key (interface.md says so by status); otherwise the gateway's code
 * decides, and a code we do not know falls back to what its status means.
 */
function effectiveCode(error: GatewayApiError): string {
  if (error.status === 401) return "unauthorized";
  if (error.status === 403) return "forbidden";
  if (KNOWN_GATEWAY_CODES.has(error.code)) return error.code;
  if (error.status === 429) return "rate_limited";
  if (error.status === 404) return "not_found";
  return error.code;
}

function describeValidation(error: GatewayApiError): string {
  const head = "The WhatsApp gateway didn't accept the request, so nothing was sent.";
  const fields = error.fieldErrors;
  if (fields.length === 0) return head;
  const listed = fields.slice(0, MAX_FIELD_ERRORS).map((field) => `• ${clip(field, 200)}`);
  if (fields.length > MAX_FIELD_ERRORS) listed.push(`• …and ${fields.length - MAX_FIELD_ERRORS} more`);
  return `${head} What was wrong:\n${listed.join("\n")}`;
}

/** The gateway's code is shown as sent, but an odd one must not fill the context line. */
function shortCode(code: string): string {
  const cleaned = code.replace(/[^\w.-]/g, "");
  return cleaned === "" ? "gateway_error" : clip(cleaned, 64);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Keys start with `wa_`. The logger's patterns need 4 safe characters after it; this catches any. */
const LOOSE_API_KEY = /\bwa_[^\s`'"<>|,;()[\]{}]+/g;

function scrub(text: string): string {
  return scrubSecrets(text).replace(LOOSE_API_KEY, "[REDACTED]");
}

function scrubDescription(description: ErrorDescription): ErrorDescription {
  const out: ErrorDescription = { summary: scrub(description.summary), code: scrub(description.code) };
  if (description.detail !== undefined) out.detail = clip(scrub(description.detail), MAX_DETAIL_LENGTH);
  if (description.usage !== undefined) out.usage = scrub(description.usage);
  if (description.retryAfterSeconds !== undefined) out.retryAfterSeconds = description.retryAfterSeconds;
  return out;
}
