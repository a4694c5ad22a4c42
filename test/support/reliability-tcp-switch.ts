// A loopback TCP relay a test can switch off (open connections dropped, new ones refused) and on again on
// the same port: a gateway or a database that goes away and comes back, as the app sees it.
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpSwitch {
  readonly port: number;
  /** Where connections are relayed to; may be set after the switch is up. */
  target(host: string, port: number): void;
  off(): Promise<void>;
  on(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpSwitch(): Promise<TcpSwitch> {
  const sockets = new Set<Socket>();
  let targetHost = "127.0.0.1";
  let targetPort: number | undefined;
  let server: Server | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  };

  async function listen(port: number): Promise<Server> {
    const next = createServer((client) => {
      track(client);
      if (targetPort === undefined) {
        client.destroy();
        return;
      }
      const upstream = connect(targetPort, targetHost);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        next.off("error", reject);
        resolve();
      });
    });
    return next;
  }

  async function stop(): Promise<void> {
    const current = server;
    server = undefined;
    if (!current) return;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  server = await listen(0);
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the switch has no port");
  const port = address.port;

  return {
    port,
    target(host, p) {
      targetHost = host;
      targetPort = p;
    },
    off: stop,
    async on() {
      if (!server) server = await listen(port);
    },
    close: stop,
  };
}
