// Builds and publishes one user's App Home tab.
import type { webApi } from "@slack/bolt";
import { homeView } from "../blocks/home-tab.js";
import { isWorkspaceAdmin } from "../is-admin.js";
import type { ListenerDeps } from "../listeners/deps.js";

export async function publishHome(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { workspaceId: string; userId: string },
): Promise<void> {
  const [summary, isAdmin] = await Promise.all([
    deps.useCases.summarizeHome(input.workspaceId),
    isWorkspaceAdmin(client, input.userId, input.workspaceId),
  ]);
  await client.views.publish({
    user_id: input.userId,
    view: homeView({ config: summary.config, isAdmin, recent: summary.recent, mirror: summary.mirror }),
  });
}
