// The mirror's floor: a bare node:http server that reads a webhook delivery and answers 200, nothing else
// (no signature check, no store). With RELAY_SLACK_API_URL it also relays each event to Slack once it has
// answered: JSON.parse, then one chat.postMessage over a keep-alive undici pool (the least any app could
// do between a delivery and its post). Started by the bench as a child process, as the app is.
import { createServer, type IncomingMessage } from "node:http";
import { Pool } from "undici";

const port = Number(process.env.PORT ?? "3000");
const relayUrl = process.env.RELAY_SLACK_API_URL;
const token = process.env.SLACK_BOT_TOKEN ?? "";
const relay = relayUrl === undefined ? undefined : new URL(relayUrl);
const pool = relay === undefined ? undefined : new Pool(relay.origin, { connections: 16, pipelining: 1 });

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The bench links chat `12036300000000NNNN@g.us` to channel `CMIRRORNNNN` (mirror-fixtures.ts). */
function channelOf(chatJid: string): string {
  return `CMIRROR${chatJid.slice(14, 18)}`;
}

async function forward(raw: string): Promise<void> {
  if (pool === undefined || relay === undefined) return;
  const envelope = JSON.parse(raw) as { payload?: { chatJid?: string; waMessageId?: string; body?: string } };
  const payload = envelope.payload ?? {};
  const form = new URLSearchParams({
    channel: channelOf(payload.chatJid ?? ""),
    text: payload.body ?? "",
    metadata: JSON.stringify({
      event_type: "whatsapp_message",
      event_payload: { message_id: payload.waMessageId },
    }),
  });
  const res = await pool.request({
    method: "POST",
    path: `${relay.pathname}chat.postMessage`,
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${token}` },
    body: form.toString(),
  });
  await res.body.dump();
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.method === "GET") {
    res.writeHead(req.url === "/readyz" ? 200 : 404, { "content-type": "application/json" });
    res.end('{"status":"ready"}');
    return;
  }
  readBody(req).then(
    (raw) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"stored"}');
      forward(raw).catch((error: unknown) => process.stderr.write(`relay failed: ${String(error)}\n`));
    },
    () => {
      res.writeHead(400);
      res.end();
    },
  );
});
server.listen(port, "127.0.0.1");

const stop = () => {
  server.close();
  server.closeAllConnections();
  void (pool?.close() ?? Promise.resolve()).finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
