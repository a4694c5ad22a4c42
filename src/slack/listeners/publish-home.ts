import type { webApi } from "@slack/bolt";
import { isWorkspaceAdmin } from "../is-admin.js";
import { homeView } from "../views/home-tab.js";
import type { ListenerDeps } from "./deps.js";

const RECENT_ACTIONS = 10;

/** Builds and publishes one user's App Home tab from the workspace's settings and audit log. */
export async function publishHome(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { workspaceId: string; userId: string },
): Promise<void> {
  const [config, isAdmin, recent] = await Promise.all([
    deps.workspaces.get(input.workspaceId),
    isWorkspaceAdmin(client, input.userId, input.workspaceId),
    deps.store.listAudit({ workspaceId: input.workspaceId, limit: RECENT_ACTIONS }),
  ]);
  await client.views.publish({
    user_id: input.userId,
    view: homeView({ config: config?.apiKey ? config : undefined, isAdmin, recent }),
  });
}
