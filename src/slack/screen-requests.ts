// Transport only: a signed Slack request that no listener will acknowledge gets 400 at once, instead of
// Bolt's 404 three seconds later (which Slack shows the user as a timeout, and logs as an error of ours).
// Everything else, unsigned and malformed requests included, goes to Bolt unchanged: Bolt answers
// those (401, 400, 413) itself.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  type HTTPReceiver,
  isValidSlackRequest,
} from "@slack/bolt";
import type { Logger } from "../logger.js";

export interface ScreenOptions {
  signingSecret: string;
  bodyLimit: number;
  /** The receiver's endpoint, e.g. `/slack/events`. */
  endpoint: string;
  serves: (body: unknown) => boolean;
  logger: Logger;
}

export function screenUnservedRequests(receiver: HTTPReceiver, options: ScreenOptions): void {
  const next = receiver.requestListener;
  const log = options.logger.child({ component: "http" });

  function pass(req: IncomingMessage, res: ServerResponse): void {
    try {
      next(req, res);
    } catch (error) {
      // Bolt's own server wraps its listener like this; the wrapper must not lose that.
      log.error({ err: error }, "a Slack request could not be dispatched");
      if (!res.headersSent) res.writeHead(500).end();
    }
  }

  async function screen(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffered: BufferedIncomingMessage;
    try {
      // Bolt reuses a body that is already buffered (rawBody), so it is read once.
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, options.bodyLimit);
    } catch (error) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
      log.warn({ tooLarge }, "a request to the Slack endpoint could not be read; refused");
      if (!res.headersSent) res.writeHead(tooLarge ? 413 : 400).end();
      return;
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      return pass(req, res);
    }
    // A request a listener serves goes to Bolt, which checks its signature: checking it here too would
    // cost every acknowledgement a second HMAC. Only a request about to be refused here is checked first.
    if (options.serves(body)) return pass(req, res);
    const signature = req.headers["x-slack-signature"];
    const timestamp = Number(req.headers["x-slack-request-timestamp"]);
    const signed =
      typeof signature === "string" &&
      isValidSlackRequest({
        signingSecret: options.signingSecret,
        body: buffered.rawBody.toString(),
        headers: { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp },
      });
    if (!signed) return pass(req, res);
    const b = body as { type?: unknown; callback_id?: unknown; view?: { callback_id?: unknown } };
    log.warn(
      { type: b.type, callbackId: b.callback_id ?? b.view?.callback_id },
      "a Slack request the app has no listener for; answered 400",
    );
    res.writeHead(400).end();
  }

  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "POST" || path !== options.endpoint) return pass(req, res);
    screen(req, res).catch((error: unknown) => {
      log.error({ err: error }, "screening a Slack request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
}
