// A load balancer in front of several app instances, as a deployment with more than one has: each request
// goes to the next instance in turn; an instance that refuses the connection (it is down) is skipped for
// the next one, as a proxy's "next upstream" does; a request cut off once sent (the instance died while
// handling it) is answered 502, so its sender retries it.
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobinProxy {
  readonly url: string;
  /** Where requests go, in turn (base URLs, no trailing slash). */
  setBackends(urls: readonly string[]): void;
  /** Requests each backend answered, by base URL. */
  readonly answered: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** Hop-by-hop headers, and the ones fetch sets itself. */
const NOT_FORWARDED = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function refused(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return code === "ECONNREFUSED";
}

export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  let backends: readonly string[] = [];
  let next = 0;
  const answered = new Map<string, number>();

  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!NOT_FORWARDED.has(name) && typeof value === "string") headers[name] = value;
      }
      for (let tried = 0; tried < backends.length; tried++) {
        const backend = backends[next % backends.length] as string;
        next += 1;
        try {
          const answer = await fetch(`${backend}${req.url ?? "/"}`, {
            method: req.method ?? "GET",
            headers,
            ...(body.length > 0 ? { body } : {}),
          });
          const bytes = Buffer.from(await answer.arrayBuffer());
          answered.set(backend, (answered.get(backend) ?? 0) + 1);
          res.writeHead(answer.status, {
            "content-type": answer.headers.get("content-type") ?? "text/plain",
          });
          res.end(bytes);
          return;
        } catch (error) {
          if (refused(error)) continue;
          break;
        }
      }
      res.writeHead(502, { "content-type": "text/plain" });
      res.end("no instance answered");
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setBackends(urls) {
      backends = [...urls];
    },
    answered,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
