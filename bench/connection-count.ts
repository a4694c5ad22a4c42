// Connections the app keeps open to a fake: each holds socket buffers in the app, so they show in its RSS.
import type { Server } from "node:http";

export interface ConnectionCount {
  readonly open: number;
  /** Most open at once since the start or the last `resetMax()`. */
  readonly max: number;
  resetMax(): void;
}

export function countConnections(server: Server): ConnectionCount {
  let open = 0;
  let max = 0;
  server.on("connection", (socket) => {
    open += 1;
    max = Math.max(max, open);
    socket.once("close", () => {
      open -= 1;
    });
  });
  return {
    get open() {
      return open;
    },
    get max() {
      return max;
    },
    resetMax() {
      max = open;
    },
  };
}
