// One realtime connection per workspace whose events mode is "realtime", kept in step with the store:
// a mode changed by the CLI (in another process) takes effect here within one poll, without a restart.
import type { GatewayClient } from "../../gateway/types.js";
import type { Logger } from "../../logger.js";
import type { Store } from "../../store/port.js";
import type { WorkspaceDirectory } from "../../usecases/workspace-directory.js";
import type { EventIntake } from "../intake/event-intake.js";
import {
  createRealtimeConnection,
  type RealtimeConnection,
  type RealtimeState,
  type RealtimeTiming,
} from "./realtime-client.js";

export const REALTIME_POLL_MS = 5_000;

export interface RealtimeManager {
  /** The connection state of each workspace in realtime mode. */
  states(): ReadonlyMap<string, RealtimeState>;
  /** Reads the modes now instead of at the next poll. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export function startRealtimeManager(deps: {
  gatewayUrl: string;
  gateway: GatewayClient;
  store: Pick<Store, "listEventSettings" | "getEventArrival">;
  workspaces: Pick<WorkspaceDirectory, "get">;
  intake: EventIntake;
  logger: Logger;
  pollMs?: number;
  timing?: Partial<RealtimeTiming>;
}): RealtimeManager {
  const log = deps.logger.child({ component: "realtime" });
  const connections = new Map<string, RealtimeConnection>();
  let stopped = false;
  let refreshing: Promise<void> | undefined;

  function connect(workspaceId: string): RealtimeConnection {
    const connection = createRealtimeConnection({
      gatewayUrl: deps.gatewayUrl,
      gateway: deps.gateway,
      getApiKey: async () => (await deps.workspaces.get(workspaceId))?.apiKey,
      since: async () =>
        deps.intake.lastArrival(workspaceId)?.eventId ??
        (await deps.store.getEventArrival(workspaceId))?.lastEventId,
      onEvent: async (raw) => {
        const result = await deps.intake.accept(workspaceId, raw);
        if (result.kind === "invalid") {
          log.warn(
            { team: workspaceId, problem: result.problem },
            "a realtime frame is not a gateway event; skipped",
          );
        }
      },
      logger: deps.logger.child({ component: "realtime", team: workspaceId }),
      timing: deps.timing,
    });
    connection.start();
    return connection;
  }

  async function sync(): Promise<void> {
    const wanted = new Set(
      (await deps.store.listEventSettings()).filter((s) => s.mode === "realtime").map((s) => s.workspaceId),
    );
    if (stopped) return;
    for (const workspaceId of wanted) {
      if (!connections.has(workspaceId)) {
        log.info({ team: workspaceId }, "events by realtime WebSocket: connecting");
        connections.set(workspaceId, connect(workspaceId));
      }
    }
    for (const [workspaceId, connection] of connections) {
      if (wanted.has(workspaceId)) continue;
      connections.delete(workspaceId);
      log.info({ team: workspaceId }, "events no longer by realtime WebSocket: disconnecting");
      await connection.stop();
    }
  }

  function refresh(): Promise<void> {
    refreshing ??= sync()
      .catch((error: unknown) =>
        log.warn({ err: error }, "could not read the events settings; trying again soon"),
      )
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  const timer = setInterval(() => void refresh(), deps.pollMs ?? REALTIME_POLL_MS);
  timer.unref();
  void refresh();

  return {
    states: () => new Map([...connections].map(([id, c]) => [id, c.state])),
    refresh,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await refreshing;
      await Promise.all([...connections.values()].map((c) => c.stop()));
      connections.clear();
    },
  };
}
