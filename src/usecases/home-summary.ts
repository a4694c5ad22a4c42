// What the App Home tab shows: the workspace's settings (key masked), the mirror, and its latest actions.
import type { AuditRecord, Store } from "../store/port.js";
import type { MirrorOverview, OverviewMirror } from "./mirror-overview.js";
import type { WorkspaceConfig, WorkspaceDirectory } from "./workspace-directory.js";

const RECENT_ACTIONS = 10;

export interface HomeSummary {
  /** Undefined until the workspace has an API key. */
  config: WorkspaceConfig | undefined;
  recent: AuditRecord[];
  mirror: MirrorOverview;
}

export type SummarizeHome = (workspaceId: string) => Promise<HomeSummary>;

export function createHomeSummary(deps: {
  workspaces: Pick<WorkspaceDirectory, "get">;
  store: Pick<Store, "listAudit">;
  overviewMirror: OverviewMirror;
}): SummarizeHome {
  return async (workspaceId) => {
    const [config, recent, mirror] = await Promise.all([
      deps.workspaces.get(workspaceId),
      deps.store.listAudit({ workspaceId, limit: RECENT_ACTIONS }),
      deps.overviewMirror(workspaceId),
    ]);
    return { config: config?.apiKey ? config : undefined, recent, mirror };
  };
}
