// Worker-thread side of sinks.ts: serves the fake gateway and the Slack sink, answers the main thread.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { startGatewaySimulator } from "../src/sandbox/gateway/simulator.js";
import { countConnections } from "./connection-count.js";
import type { BenchTeam } from "./fixtures.js";
import type { Arrival, Harvest, SinkCounts, SinkRequest } from "./sinks.js";
import { now } from "./stats.js";

const port = parentPort;
if (!port) throw new Error("sinks-worker.ts runs as a worker thread (see sinks.ts)");
const { teams, latencyMs } = workerData as { teams: BenchTeam[]; latencyMs: number };

const gateway = await startGatewaySimulator({ latencyMs });
for (const team of teams) {
  gateway.addKey(team.apiKey, { org: team.org, permissions: ["send"] });
  gateway.addSession(team.session, { org: team.org });
}

const responses: Arrival[] = [];
// While watching, every arrival's shot id is also sent to the main thread (batched per turn), for a
// load generator that waits for each result.
let watching = false;
let batch: string[] = [];
function announce(id: string): void {
  if (!watching) return;
  if (batch.length === 0) {
    setImmediate(() => {
      port?.postMessage({ arrivals: batch });
      batch = [];
    });
  }
  batch.push(id);
}
const views: Arrival[] = [];
const otherCalls: Record<string, number> = {};

/** A confirmation carries the check mark; an error names its code in a `code` span. */
function classify(text: string): { ok: boolean; code: string | undefined } {
  if (text.includes(":white_check_mark:")) return { ok: true, code: undefined };
  return { ok: false, code: /`([a-z_]+)`/.exec(text)?.[1] ?? "unknown" };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const slack = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  // Stamped when the request's headers arrive: that is when the app has posted the result.
  const at = now();
  const path = req.url ?? "/";
  readBody(req).then(
    (raw) => {
      if (path.startsWith("/response/")) {
        const { ok, code } = classify(raw);
        const id = decodeURIComponent(path.slice("/response/".length));
        responses.push([id, at, ok, code]);
        announce(id);
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("ok");
        return;
      }
      const method = path.replace(/^\/api\//, "").split("?")[0] ?? "";
      const args = new URLSearchParams(raw);
      res.writeHead(200, { "content-type": "application/json" });
      switch (method) {
        case "auth.test":
          res.end(
            JSON.stringify({
              ok: true,
              url: "https://bench.slack.com/",
              team: "Bench",
              user: "wa",
              team_id: teams[0]?.teamId ?? "TBENCH001",
              user_id: "UBOT000001",
              bot_id: "BBOT000001",
            }),
          );
          break;
        case "views.update": {
          const viewId = args.get("view_id") ?? "";
          const { ok, code } = classify(args.get("view") ?? "");
          views.push([viewId, at, ok, code]);
          announce(viewId);
          res.end(JSON.stringify({ ok: true, view: { id: viewId } }));
          break;
        }
        default:
          otherCalls[method] = (otherCalls[method] ?? 0) + 1;
          res.end(JSON.stringify({ ok: true, ts: "1800000000.000100", message_ts: "1800000000.000100" }));
      }
    },
    () => {
      res.writeHead(400);
      res.end();
    },
  );
});
const slackConnections = countConnections(slack);
await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));
const slackBase = `http://127.0.0.1:${(slack.address() as AddressInfo).port}`;

function gatewayArrivals(): [string, number][] {
  const out: [string, number][] = [];
  for (const request of gateway.requests) {
    // /api/v1/sessions/<session>/messages/<mid>/reaction
    const mid = request.path.split("?")[0]?.split("/")[6];
    if (mid !== undefined) out.push([decodeURIComponent(mid), request.at]);
  }
  return out;
}

async function handle(request: SinkRequest): Promise<unknown> {
  switch (request.op) {
    case "watch":
      watching = request.on;
      return undefined;
    case "setLatency":
      gateway.setLatency(request.ms);
      return undefined;
    case "reset":
      gateway.reset();
      responses.length = 0;
      views.length = 0;
      for (const key of Object.keys(otherCalls)) delete otherCalls[key];
      slackConnections.resetMax();
      return undefined;
    case "counts":
      return {
        responses: responses.length,
        views: views.length,
        gatewayRequests: gateway.requests.length,
        gatewayInFlight: gateway.inFlight,
      } satisfies SinkCounts;
    case "harvest":
      return {
        responses,
        views,
        gateway: gatewayArrivals(),
        gatewayMaxInFlight: gateway.maxInFlight,
        slackConnectionsMax: slackConnections.max,
        otherCalls: { ...otherCalls },
      } satisfies Harvest;
    case "close":
      slack.closeAllConnections();
      slack.close();
      await gateway.close();
      return undefined;
  }
}

port.on("message", (message: { id: number; request: SinkRequest }) => {
  handle(message.request).then(
    (result) => port.postMessage({ id: message.id, result }),
    (error: unknown) => port.postMessage({ id: message.id, error: String(error) }),
  );
});
port.postMessage({
  ready: { gatewayUrl: gateway.url, slackApiUrl: `${slackBase}/api/`, responseBase: `${slackBase}/response` },
});
