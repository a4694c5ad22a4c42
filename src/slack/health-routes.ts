import type { CustomRoute } from "@slack/bolt";
import type { Store } from "../store/port.js";

const PING_TIMEOUT_MS = 1500;

/**
 * /healthz: the process serves. /readyz: the app can take Slack's requests and act on them: not shutting
 * down, Slack can reach it (in Socket Mode: the socket is connected), and the store answers.
 */
export function createHealthRoutes(deps: {
  store: Pick<Store, "ping">;
  isStopping: () => boolean;
  /** Why Slack cannot deliver to the app right now, or undefined when it can. */
  slackUnavailable?: () => string | undefined;
}): CustomRoute[] {
  return [
    {
      path: "/healthz",
      method: "GET",
      handler: (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"status":"ok"}');
      },
    },
    {
      path: "/readyz",
      method: "GET",
      handler: (_req, res) => {
        const answer = (status: number, body: Record<string, string>) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        };
        if (deps.isStopping()) return answer(503, { status: "stopping" });
        const slack = deps.slackUnavailable?.();
        if (slack !== undefined) return answer(503, { status: slack });
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("store ping timed out")), PING_TIMEOUT_MS);
        });
        Promise.race([deps.store.ping(), timeout])
          .then(() => answer(200, { status: "ready" }))
          .catch(() => answer(503, { status: "store unavailable" }))
          .finally(() => clearTimeout(timer));
      },
    },
  ];
}
