// Posts mirrored messages into Slack and keeps them up to date: chat.postMessage, chat.update,
// chat.delete and the bot's reactions, paced per channel (channel-pacer.ts). Slack's answers become one
// of three kinds of failure the processor acts on: try later, the channel is gone for the app, or Slack
// refuses this message for good.
import { webApi } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import { slackErrorCode } from "../../slack/slack-error-code.js";
import type { MirroredSlackMessage } from "../render/render-message.js";
import type { ChannelPacer } from "./channel-pacer.js";

export type PostFailureKind =
  /** Slack is rate limiting beyond a short wait, failing, or unreachable: try again later. */
  | "retry_later"
  /** The app cannot post in the channel any more (removed, archived, deleted). */
  | "channel_unavailable"
  /** Slack refuses this message as it is (invalid blocks, too long…): trying again changes nothing. */
  | "rejected";

export class PostFailure extends Error {
  readonly kind: PostFailureKind;
  /** Slack's error string, when it gave one. */
  readonly slackCode: string | undefined;

  constructor(kind: PostFailureKind, message: string, options: { slackCode?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.slackCode = options.slackCode;
  }
}

const CHANNEL_GONE = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "channel_is_archived",
  "restricted_action",
]);
/** Failures of the token or of Slack itself: nothing is wrong with the message. */
const TRY_LATER = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
  "account_inactive",
  "token_revoked",
  "invalid_auth",
  "not_authed",
  "team_access_not_granted",
]);
/** A Retry-After longer than this is not waited out in place: the chat is retried later by the queue. */
const LONGEST_WAIT_MS = 30_000;
const MAX_RATE_LIMITED_TRIES = 3;

export interface Destination {
  workspaceId: string;
  channelId: string;
}

export interface SlackPoster {
  /** Returns the new message's ts. */
  post(to: Destination, message: MirroredSlackMessage, threadTs: string | null): Promise<string>;
  update(to: Destination, ts: string, message: MirroredSlackMessage): Promise<void>;
  remove(to: Destination, ts: string): Promise<void>;
  /** Adds the bot's reaction; one it already has is fine. Returns false when Slack has no such emoji. */
  addReaction(to: Destination, ts: string, name: string): Promise<boolean>;
  /** Removes the bot's reaction; one it does not have is fine. */
  removeReaction(to: Destination, ts: string, name: string): Promise<void>;
  /** How long the next call into this channel would wait for Slack's pace (0: at once). */
  delayFor(to: Destination): number;
}

export interface ClosableSlackPoster extends SlackPoster {
  /**
   * From now on nothing is posted or changed: each call fails with PostFailure `retry_later`, so a chat's
   * run ends after the event in hand and its other events stay pending for the next start. Without it
   * a run the shutdown drain did not wait out went on behind the closed store: its post reached Slack,
   * its record failed, and the restarted app posted the message again. Removals still go: they only
   * ever undo a double post.
   */
  close(): void;
}

export function createSlackPoster(deps: {
  /** The bot token for a workspace, or undefined when the app is not installed there. */
  botTokenFor(workspaceId: string): Promise<string | undefined>;
  clientFor(token: string): webApi.WebClient;
  pacer: ChannelPacer;
  logger: Logger;
}): ClosableSlackPoster {
  const clients = new Map<string, webApi.WebClient>();
  let closed = false;

  function refuseWhenClosed(what: string): void {
    if (closed && what !== "chat.delete") {
      throw new PostFailure("retry_later", `${what} not made: the app is stopping`);
    }
  }

  async function clientOf(workspaceId: string): Promise<webApi.WebClient> {
    const token = await deps.botTokenFor(workspaceId);
    if (token === undefined) {
      throw new PostFailure(
        "retry_later",
        `The app has no bot token for workspace ${workspaceId} (not installed)`,
      );
    }
    let client = clients.get(token);
    if (client === undefined) {
      client = deps.clientFor(token);
      clients.set(token, client);
    }
    return client;
  }

  /** One Web API call into a channel, paced, with 429s waited out when short and classified when not. */
  async function call<T>(
    to: Destination,
    what: string,
    run: (client: webApi.WebClient) => Promise<T>,
  ): Promise<T> {
    const client = await clientOf(to.workspaceId);
    const channelKey = channelKeyOf(to);
    for (let attempt = 1; ; attempt++) {
      refuseWhenClosed(what);
      await deps.pacer.slot(channelKey);
      // Checked again after the wait for the channel's slot, which may have outlasted the running app.
      refuseWhenClosed(what);
      try {
        return await run(client);
      } catch (error) {
        const retryAfterMs = rateLimitedFor(error);
        if (retryAfterMs !== undefined) {
          deps.pacer.holdFor(channelKey, retryAfterMs);
          deps.logger.info(
            { channel: to.channelId, retryAfterMs, attempt },
            `Slack rate limited ${what}; waiting`,
          );
          if (retryAfterMs <= LONGEST_WAIT_MS && attempt < MAX_RATE_LIMITED_TRIES) continue;
          throw new PostFailure("retry_later", `${what}: rate limited for ${retryAfterMs} ms`, {
            slackCode: "ratelimited",
            cause: error,
          });
        }
        throw classify(what, to, error);
      }
    }
  }

  return {
    delayFor: (to) => deps.pacer.delayFor(channelKeyOf(to)),
    close() {
      closed = true;
    },

    async post(to, message, threadTs) {
      const answer = await call(to, "chat.postMessage", (client) =>
        client.chat.postMessage({
          channel: to.channelId,
          text: message.text,
          blocks: message.blocks,
          username: message.username,
          metadata: slackMetadata(message),
          unfurl_links: false,
          unfurl_media: false,
          ...(threadTs === null ? {} : { thread_ts: threadTs }),
        }),
      );
      if (typeof answer.ts !== "string") {
        throw new PostFailure("retry_later", "chat.postMessage answered ok without a ts");
      }
      return answer.ts;
    },

    async update(to, ts, message) {
      await call(to, "chat.update", (client) =>
        client.chat.update({
          channel: to.channelId,
          ts,
          text: message.text,
          blocks: message.blocks,
          metadata: slackMetadata(message),
        }),
      );
    },

    async remove(to, ts) {
      try {
        await call(to, "chat.delete", (client) => client.chat.delete({ channel: to.channelId, ts }));
      } catch (error) {
        if (error instanceof PostFailure && error.slackCode === "message_not_found") return;
        throw error;
      }
    },

    async addReaction(to, ts, name) {
      try {
        await call(to, "reactions.add", (client) =>
          client.reactions.add({ channel: to.channelId, timestamp: ts, name }),
        );
        return true;
      } catch (error) {
        if (error instanceof PostFailure && error.slackCode === "already_reacted") return true;
        if (error instanceof PostFailure && error.slackCode === "invalid_name") return false;
        throw error;
      }
    },

    async removeReaction(to, ts, name) {
      try {
        await call(to, "reactions.remove", (client) =>
          client.reactions.remove({ channel: to.channelId, timestamp: ts, name }),
        );
      } catch (error) {
        if (
          error instanceof PostFailure &&
          (error.slackCode === "no_reaction" || error.slackCode === "invalid_name")
        ) {
          return;
        }
        throw error;
      }
    },
  };
}

/**
 * The web-api types allow only flat payloads of scalars, while Slack takes (and the metadata contract
 * has) a string array for the poll's options; the value is built by toWhatsAppMetadata, never null.
 */
function slackMetadata(message: MirroredSlackMessage): webApi.ChatUpdateArguments["metadata"] {
  return message.metadata as unknown as webApi.ChatUpdateArguments["metadata"];
}

function rateLimitedFor(error: unknown): number | undefined {
  const e = error as { code?: unknown; retryAfter?: unknown };
  if (e?.code !== webApi.ErrorCode.RateLimitedError) return undefined;
  return typeof e.retryAfter === "number" && Number.isFinite(e.retryAfter)
    ? Math.max(0, e.retryAfter) * 1000
    : 1000;
}

function classify(what: string, to: Destination, error: unknown): PostFailure {
  if (error instanceof URIError) {
    // The client could not encode the request (a lone surrogate in a string field): Slack never saw it,
    // and no retry can change that. Taken as a refusal, so the event is set aside and its chat goes on,
    // rather than retried forever with every later message of the chat stuck behind it.
    return new PostFailure("rejected", `${what} in ${to.channelId} could not be encoded: ${error.message}`, {
      cause: error,
    });
  }
  const code = slackErrorCode(error);
  if (code === undefined) {
    // No answer from Slack (network, timeout, 5xx after the client's own retries).
    return new PostFailure(
      "retry_later",
      `${what} in ${to.channelId} failed: ${(error as Error)?.message ?? error}`,
      {
        cause: error,
      },
    );
  }
  if (CHANNEL_GONE.has(code)) {
    return new PostFailure("channel_unavailable", `${what} in ${to.channelId}: ${code}`, {
      slackCode: code,
      cause: error,
    });
  }
  if (TRY_LATER.has(code)) {
    return new PostFailure("retry_later", `${what} in ${to.channelId}: ${code}`, {
      slackCode: code,
      cause: error,
    });
  }
  return new PostFailure("rejected", `${what} in ${to.channelId}: ${code}`, {
    slackCode: code,
    cause: error,
  });
}

function channelKeyOf(to: Destination): string {
  return `${to.workspaceId}/${to.channelId}`;
}
