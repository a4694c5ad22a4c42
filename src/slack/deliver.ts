// Puts a result in front of the user after the ack: through response_url when we have one, else
// chat.postEphemeral, else a direct message from the app; in the channel (or the message's thread) only
// for confirmations the workspace wants public; inside the user's modal when the action came from one.
// A failed route falls back to the next, so a result is never lost silently.
import type { webApi } from "@slack/bolt";
import { Agent, request } from "undici";
import { SlackError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { SlackMessage } from "./blocks/messages.js";

export interface Destination {
  userId: string;
  channelId?: string | undefined;
  responseUrl?: string | undefined;
  /** Thread of the Slack message a shortcut acted on: channel confirmations go there. */
  threadTs?: string | undefined;
  /** The ack showed a "Sending…" note (working-note.ts): the result replaces it through the response_url. */
  replacesWorkingNote?: boolean | undefined;
}

export interface Deliverer {
  /** Only the user sees it. Without a client (no installation), only the response_url can carry it. */
  ephemeral(client: webApi.WebClient | undefined, to: Destination, message: SlackMessage): Promise<void>;
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
  /** Closes the response_url connections (after the in-flight work has drained). */
  close(): Promise<void>;
}

const RESPONSE_URL_TIMEOUT_MS = 5000;

export function createDeliverer(logger: Logger): Deliverer {
  // response_url posts share a small keep-alive pool per origin (hooks.slack.com). undici's global
  // dispatcher opened a connection, and a TLS handshake, for every post in flight: 80 to 240 of them
  // in a burst of 1,000 commands (bench/REPORT.md).
  const dispatcher = new Agent({ connections: 16, keepAliveTimeout: 30_000 });

  async function postResponseUrl(url: string, body: Record<string, unknown>) {
    const res = await request(url, {
      dispatcher,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      headersTimeout: RESPONSE_URL_TIMEOUT_MS,
      bodyTimeout: RESPONSE_URL_TIMEOUT_MS,
    });
    await res.body.dump();
    if (res.statusCode >= 300)
      throw new SlackError("slack_rejected", `response_url answered ${res.statusCode}`);
  }

  async function ephemeral(client: webApi.WebClient | undefined, to: Destination, message: SlackMessage) {
    // The routes to the user alone, best first.
    const routes: [string, () => Promise<unknown>][] = [];
    const { responseUrl, channelId, userId } = to;
    if (responseUrl) {
      routes.push([
        "response_url",
        () =>
          postResponseUrl(responseUrl, {
            response_type: "ephemeral",
            replace_original: to.replacesWorkingNote === true,
            ...message,
          }),
      ]);
    }
    if (client && channelId) {
      routes.push([
        "chat.postEphemeral",
        () =>
          client.chat.postEphemeral({
            channel: channelId,
            user: userId,
            text: message.text,
            blocks: message.blocks,
          }),
      ]);
    }
    // Last: a direct message from the app (its Messages tab), which needs neither a live response_url
    // nor the app's membership of the channel.
    if (client) {
      routes.push([
        "direct message",
        () => client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks }),
      ]);
    }
    for (const [route, post] of routes) {
      try {
        await post();
        if (route === "direct message")
          logger.warn({ user: userId }, "the user was told the result in a direct message");
        return;
      } catch (error) {
        logger.warn(
          { err: error, route, user: userId },
          "could not tell the user there; trying the next route",
        );
      }
    }
    logger.error({ user: userId, channel: channelId }, "no route left to tell the user the result");
  }

  async function inChannel(client: webApi.WebClient, to: Destination, message: SlackMessage) {
    const { channelId, threadTs, responseUrl } = to;
    // The routes to everyone, best first: the message's thread for a shortcut; else the command's
    // response_url, then a plain channel post.
    const routes: [string, () => Promise<unknown>][] = [];
    if (channelId && threadTs) {
      routes.push([
        "thread",
        () =>
          client.chat.postMessage({
            channel: channelId,
            thread_ts: threadTs,
            text: message.text,
            blocks: message.blocks,
          }),
      ]);
    } else {
      if (responseUrl)
        routes.push([
          "response_url",
          async () => {
            await postResponseUrl(responseUrl, {
              response_type: "in_channel",
              replace_original: false,
              ...message,
            });
            // The public confirmation says it all; the "Sending…" note only its author saw goes.
            if (to.replacesWorkingNote) await postResponseUrl(responseUrl, { delete_original: true });
          },
        ]);
      if (channelId) {
        routes.push([
          "channel",
          () => client.chat.postMessage({ channel: channelId, text: message.text, blocks: message.blocks }),
        ]);
      }
    }
    for (const [route, post] of routes) {
      try {
        await post();
        return;
      } catch (error) {
        logger.warn(
          { err: error, route, channel: channelId },
          "could not post the confirmation there; trying the next route",
        );
      }
    }
    // Nobody else can see it: the user at least learns what happened (not through a response_url that just failed).
    const triedResponseUrl = routes.some(([route]) => route === "response_url");
    await ephemeral(client, triedResponseUrl ? { ...to, responseUrl: undefined } : to, message);
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

  return { ephemeral, inChannel, inModal, close: () => dispatcher.close() };
}
