// `/wa status`: the workspace's settings (key masked) and whether the gateway answers with its key. The
// probe goes through the fair limiter like every other gateway call, so a status check can't jump the
// queue of a workspace that is flooding the gateway.
import type { GatewayClient } from "../gateway/types.js";
import type { FairLimiter } from "./fair-limiter.js";
import type { MirrorOverview, OverviewMirror } from "./mirror-overview.js";
import type { WorkspaceConfig, WorkspaceDirectory } from "./workspace-directory.js";

export type GatewayCheck =
  /** No key or no default session to check with. */
  | { kind: "skipped" }
  /** The gateway answered and knows the session (its status when the key may read it). */
  | { kind: "ok"; sessionId: string; sessionStatus?: string | undefined; canRead: boolean }
  | { kind: "failed"; error: unknown };

export interface WorkspaceStatus {
  workspaceId: string;
  config: WorkspaceConfig | undefined;
  gateway: GatewayCheck;
  mirror: MirrorOverview;
}

export type CheckWorkspaceStatus = (workspaceId: string) => Promise<WorkspaceStatus>;

export function createWorkspaceStatus(deps: {
  workspaces: Pick<WorkspaceDirectory, "get">;
  gateway: Pick<GatewayClient, "probeSession">;
  limiter: FairLimiter;
  overviewMirror: OverviewMirror;
}): CheckWorkspaceStatus {
  return async (workspaceId) => {
    const [config, mirror] = await Promise.all([
      deps.workspaces.get(workspaceId),
      deps.overviewMirror(workspaceId),
    ]);
    const apiKey = config?.apiKey;
    const sessionId = config?.defaultSessionId;
    if (!apiKey || !sessionId) return { workspaceId, config, mirror, gateway: { kind: "skipped" } };
    try {
      const probe = await deps.limiter.run(workspaceId, () => deps.gateway.probeSession(apiKey, sessionId));
      const gateway: GatewayCheck =
        probe.kind === "ok"
          ? { kind: "ok", sessionId, sessionStatus: probe.status, canRead: true }
          : { kind: "ok", sessionId, canRead: false };
      return { workspaceId, config, mirror, gateway };
    } catch (error) {
      return { workspaceId, config, mirror, gateway: { kind: "failed", error } };
    }
  };
}
