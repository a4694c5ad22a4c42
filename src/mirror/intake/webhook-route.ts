// Transport only: `POST /gateway/events/{team_id}`, the gateway's webhook deliveries for one workspace.
// The signature is checked on the exact bytes received (the gateway rebuilds the body on every attempt,
// so its key order can change), and the answer is 2xx only once the event is stored.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import type { EventIntake } from "./event-intake.js";

export const WEBHOOK_PATH = "/gateway/events/:teamId";
/** The gateway's events are small; anything larger is refused before it is read whole. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhookRouteDeps {
  intake: EventIntake;
  /** The workspace's webhook secret, or undefined when it has none (unknown team, or not in webhook mode). */
  webhookSecret(workspaceId: string): Promise<string | undefined>;
  logger: Logger;
}

type Body = { kind: "ok"; bytes: Buffer } | { kind: "too_large" } | { kind: "broken" };

function readBody(req: IncomingMessage): Promise<Body> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > WEBHOOK_BODY_LIMIT) {
    req.resume();
    return Promise.resolve({ kind: "too_large" });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (body: Body) => {
      if (done) return;
      done = true;
      resolve(body);
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT) {
        chunks.length = 0;
        req.resume();
        finish({ kind: "too_large" });
        return;
      }
      if (!done) chunks.push(chunk);
    });
    req.on("end", () => finish({ kind: "ok", bytes: Buffer.concat(chunks) }));
    req.on("error", () => finish({ kind: "broken" }));
    req.on("aborted", () => finish({ kind: "broken" }));
  });
}

function answer(res: ServerResponse, status: number, body: Record<string, string>): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Lowercase hex HMAC-SHA512 of the bytes, compared in constant time. */
export function signatureMatches(secret: string, bytes: Buffer, header: string | undefined): boolean {
  if (typeof header !== "string" || !/^[0-9a-fA-F]{128}$/.test(header.trim())) return false;
  const expected = createHmac("sha512", secret).update(bytes).digest();
  const given = Buffer.from(header.trim().toLowerCase(), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createWebhookRoute(deps: WebhookRouteDeps): CustomRoute {
  const log = deps.logger.child({ component: "webhook" });

  async function handle(
    req: IncomingMessage & { params?: Record<string, string | string[]> },
    res: ServerResponse,
  ) {
    const param = req.params?.teamId;
    const teamId = typeof param === "string" ? param : "";
    if (!/^[TE][A-Z0-9]{2,31}$/.test(teamId)) {
      req.resume();
      return answer(res, 404, { error: "unknown workspace" });
    }
    const body = await readBody(req);
    if (body.kind === "too_large") {
      log.warn({ team: teamId }, "a webhook delivery over 1 MB was refused");
      return answer(res, 413, { error: "body larger than 1 MB" });
    }
    if (body.kind === "broken") return answer(res, 400, { error: "the body could not be read" });
    let secret: string | undefined;
    try {
      secret = await deps.webhookSecret(teamId);
    } catch (error) {
      log.error(
        { err: error, team: teamId },
        "could not read the workspace's webhook secret; the gateway will retry",
      );
      return answer(res, 503, { error: "unavailable, retry later" });
    }
    if (secret === undefined)
      return answer(res, 404, { error: "no webhook is registered for this workspace" });
    const signature = req.headers["x-webhook-hmac"];
    if (!signatureMatches(secret, body.bytes, typeof signature === "string" ? signature : undefined)) {
      log.warn(
        { team: teamId, signed: typeof signature === "string" },
        "a webhook delivery with a missing or wrong signature was refused",
      );
      return answer(res, 401, { error: "missing or wrong X-Webhook-Hmac" });
    }
    let result: Awaited<ReturnType<EventIntake["accept"]>>;
    try {
      result = await deps.intake.accept(teamId, body.bytes.toString("utf8"));
    } catch (error) {
      // Not stored: a non-2xx makes the gateway deliver it again.
      log.error(
        { err: error, team: teamId },
        "a gateway event could not be stored; answered 503 so the gateway retries",
      );
      return answer(res, 503, { error: "could not store the event, retry later" });
    }
    switch (result.kind) {
      case "invalid":
        log.warn({ team: teamId, problem: result.problem }, "a webhook delivery is not a gateway event");
        return answer(res, 400, { error: `not a gateway event envelope: ${result.problem}` });
      case "skipped":
        log.debug({ team: teamId, reason: result.reason }, "gateway event not for the mirror");
        return answer(res, 200, { status: "skipped" });
      default:
        return answer(res, 200, { status: result.kind });
    }
  }

  return {
    path: WEBHOOK_PATH,
    method: "POST",
    handler: (req, res) => {
      handle(req, res).catch((error: unknown) => {
        log.error({ err: error }, "a webhook delivery failed");
        answer(res, 500, { error: "internal error" });
      });
    },
  };
}
