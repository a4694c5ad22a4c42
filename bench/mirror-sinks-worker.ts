// Worker-thread side of mirror-sinks.ts: a Slack Web API that the mirror (and the floor's relay) posts
// into. Answers chat.postMessage with a new ts every time (the app maps each WhatsApp message to its
// Slack ts, which must be unique per channel) and stamps the arrival with the message id in the metadata.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parentPort } from "node:worker_threads";
import { countConnections } from "./connection-count.js";
import type {
  MirrorHarvest,
  MirrorSinkCounts,
  MirrorSinkRequest,
  Post,
  SlackBehaviour,
} from "./mirror-sinks.js";
import { now } from "./stats.js";

const port = parentPort;
if (!port) throw new Error("mirror-sinks-worker.ts runs as a worker thread (see mirror-sinks.ts)");

let behaviour: SlackBehaviour = {};
const posts: Post[] = [];
const rateLimited: [string, number][] = [];
const otherCalls: Record<string, number> = {};
/** Accepted posts per channel within the last second, oldest first. */
const recent = new Map<string, number[]>();
/** Answers waiting while Slack is paused. */
let held: (() => void)[] = [];
let seq = 0;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** channel and the WhatsApp message id from a form-encoded (WebClient) or JSON post. */
function postArgs(req: IncomingMessage, raw: string): { channel: string; mid: string } {
  let channel = "";
  let metadata: unknown;
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    const body = JSON.parse(raw) as { channel?: string; metadata?: unknown };
    channel = body.channel ?? "";
    metadata = body.metadata;
  } else {
    const form = new URLSearchParams(raw);
    channel = form.get("channel") ?? "";
    const text = form.get("metadata");
    metadata = text === null ? undefined : JSON.parse(text);
  }
  const payload = (metadata as { event_payload?: { message_id?: unknown } } | undefined)?.event_payload;
  return { channel, mid: typeof payload?.message_id === "string" ? payload.message_id : "" };
}

/** Whether Slack's per-channel limit refuses a post arriving now. */
function overLimit(channel: string, at: number): boolean {
  const limit = behaviour.perSecond;
  if (limit === undefined) return false;
  const kept = (recent.get(channel) ?? []).filter((t) => at - t < 1000);
  recent.set(channel, kept);
  if (kept.length >= limit) return true;
  kept.push(at);
  return false;
}

function release(): void {
  const answers = held;
  held = [];
  for (const answer of answers) answer();
}

const slack = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  // Stamped when the request's headers arrive: that is when the app has posted.
  const at = now();
  const method = (req.url ?? "/").replace(/^\/api\//, "").split("?")[0] ?? "";
  readBody(req).then(
    (raw) => {
      if (method !== "chat.postMessage") {
        otherCalls[method] = (otherCalls[method] ?? 0) + 1;
        if (method === "auth.test") {
          return json(res, 200, {
            ok: true,
            url: "https://bench.slack.com/",
            team: "Bench",
            user: "wa",
            team_id: "TBENCH001",
            user_id: "UBOT000001",
            bot_id: "BBOT000001",
          });
        }
        return json(res, 200, { ok: true });
      }
      const { channel, mid } = postArgs(req, raw);
      if (overLimit(channel, at)) {
        rateLimited.push([channel, at]);
        return json(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": "1" });
      }
      const answer = () => {
        seq += 1;
        const ts = `${1_800_000_000 + Math.floor(seq / 1e6)}.${String(seq % 1e6).padStart(6, "0")}`;
        posts.push([mid, channel, at, ts]);
        json(res, 200, { ok: true, channel, ts, message: { ts } });
      };
      if (behaviour.paused) {
        held.push(answer);
        // A call the app gave up on (its timeout) is not answered later.
        res.once("close", () => {
          held = held.filter((a) => a !== answer);
        });
        return;
      }
      answer();
    },
    () => json(res, 400, { ok: false, error: "invalid_form_data" }),
  );
});
const connections = countConnections(slack);
await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));

async function handle(request: MirrorSinkRequest): Promise<unknown> {
  switch (request.op) {
    case "behave":
      behaviour = { ...request.behaviour };
      recent.clear();
      if (!behaviour.paused) release();
      return undefined;
    case "reset":
      posts.length = 0;
      rateLimited.length = 0;
      recent.clear();
      for (const key of Object.keys(otherCalls)) delete otherCalls[key];
      connections.resetMax();
      return undefined;
    case "counts":
      return {
        posts: posts.length,
        rateLimited: rateLimited.length,
        held: held.length,
      } satisfies MirrorSinkCounts;
    case "harvest":
      return {
        posts,
        rateLimited,
        connectionsMax: connections.max,
        otherCalls: { ...otherCalls },
      } satisfies MirrorHarvest;
    case "close":
      release();
      slack.closeAllConnections();
      slack.close();
      return undefined;
  }
}

port.on("message", (message: { id: number; request: MirrorSinkRequest }) => {
  handle(message.request).then(
    (result) => port.postMessage({ id: message.id, result }),
    (error: unknown) => port.postMessage({ id: message.id, error: String(error) }),
  );
});
port.postMessage({ ready: `http://127.0.0.1:${(slack.address() as AddressInfo).port}/api/` });
