// Puts a result in front of the user after the ack: through response_url when we have one, else
// chat.postEphemeral; in the channel (or the message's thread) only for confirmations the workspace
// wants public; inside the user's modal when the action came from one. A failed route falls back to
// the next, so a result is never lost silently.
import type { webApi } from "@slack/bolt";
import { request } from "undici";
import type { Logger } from "../logger.js";
import type { SlackMessage } from "./views/messages.js";

export interface Destination {
  userId: string;
  channelId?: string | undefined;
  responseUrl?: string | undefined;
  /** Thread of the Slack message a shortcut acted on: channel confirmations go there. */
  threadTs?: string | undefined;
}

export interface Deliverer {
  /** Only the user sees it. */
  ephemeral(client: webApi.WebClient, to: Destination, message: SlackMessage): Promise<void>;
  /** Everyone in the channel sees it (in the thread when there is one); falls back to ephemeral. */
  inChannel(client: webApi.WebClient, to: Destination, message: SlackMessage): Promise<void>;
  /** Replaces the user's open modal; falls back to ephemeral when the modal is gone. */
  inModal(
    client: webApi.WebClient,
    viewId: string,
    view: webApi.View,
    to: Destination,
    fallback: SlackMessage,
  ): Promise<void>;
}

const RESPONSE_URL_TIMEOUT_MS = 5000;

export function createDeliverer(logger: Logger): Deliverer {
  async function postResponseUrl(url: string, body: Record<string, unknown>) {
    const res = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      headersTimeout: RESPONSE_URL_TIMEOUT_MS,
      bodyTimeout: RESPONSE_URL_TIMEOUT_MS,
    });
    await res.body.dump();
    if (res.statusCode >= 300) throw new Error(`response_url answered ${res.statusCode}`);
  }

  async function ephemeral(client: webApi.WebClient, to: Destination, message: SlackMessage) {
    if (to.responseUrl) {
      try {
        await postResponseUrl(to.responseUrl, {
          response_type: "ephemeral",
          replace_original: false,
          ...message,
        });
        return;
      } catch (error) {
        logger.warn({ err: error, user: to.userId }, "response_url failed; trying chat.postEphemeral");
      }
    }
    if (!to.channelId) {
      logger.error({ user: to.userId }, "no route left to tell the user the result");
      return;
    }
    try {
      await client.chat.postEphemeral({
        channel: to.channelId,
        user: to.userId,
        text: message.text,
        blocks: message.blocks,
      });
    } catch (error) {
      logger.error(
        { err: error, user: to.userId, channel: to.channelId },
        "could not tell the user the result",
      );
    }
  }

  async function inChannel(client: webApi.WebClient, to: Destination, message: SlackMessage) {
    if (to.channelId && to.threadTs) {
      try {
        await client.chat.postMessage({
          channel: to.channelId,
          thread_ts: to.threadTs,
          text: message.text,
          blocks: message.blocks,
        });
        return;
      } catch (error) {
        logger.warn(
          { err: error, channel: to.channelId },
          "could not post in the thread; telling the user only",
        );
      }
    } else if (to.responseUrl) {
      try {
        await postResponseUrl(to.responseUrl, { response_type: "in_channel", ...message });
        return;
      } catch (error) {
        logger.warn({ err: error, channel: to.channelId }, "response_url failed; trying chat.postMessage");
      }
      if (to.channelId) {
        try {
          await client.chat.postMessage({
            channel: to.channelId,
            text: message.text,
            blocks: message.blocks,
          });
          return;
        } catch (error) {
          logger.warn(
            { err: error, channel: to.channelId },
            "could not post in the channel; telling the user only",
          );
        }
      }
    }
    await ephemeral(client, { ...to, responseUrl: undefined }, message);
  }

  async function inModal(
    client: webApi.WebClient,
    viewId: string,
    view: webApi.View,
    to: Destination,
    fallback: SlackMessage,
  ) {
    try {
      await client.views.update({ view_id: viewId, view });
    } catch (error) {
      logger.info(
        { err: error, user: to.userId },
        "the modal is gone; telling the user in a message instead",
      );
      await ephemeral(client, to, fallback);
    }
  }

  return { ephemeral, inChannel, inModal };
}
