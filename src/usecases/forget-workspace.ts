// Uninstalling the app (or revoking its bot token) forgets the workspace: its webhook at the gateway (when
// the key may delete it), its links, its gateway key and its Slack installation, so nothing of the
// company's stays behind and no more events are taken for it. The audit log and mirrored messages stay.
import type { Logger } from "../logger.js";
import type { Store } from "../store/port.js";
import type { EventSettings } from "./event-settings.js";
import type { WorkspaceDirectory } from "./workspace-directory.js";

export type ForgetWorkspace = (workspaceId: string, reason: string) => Promise<void>;

export function createForgetWorkspace(deps: {
  workspaces: Pick<WorkspaceDirectory, "remove">;
  store: Pick<Store, "deleteInstallation" | "listLinks" | "deleteLinks" | "getEventSettings">;
  eventSettings: Pick<EventSettings, "turnOff">;
  logger: Logger;
}): ForgetWorkspace {
  return async (workspaceId, reason) => {
    // First, while the key is still there to delete the webhook with.
    if ((await deps.store.getEventSettings(workspaceId)) !== undefined) {
      await deps.eventSettings.turnOff({ workspaceId, by: reason }).catch((error: unknown) => {
        deps.logger.warn(
          { err: error, team: workspaceId },
          "could not turn the workspace's events off while uninstalling",
        );
      });
    }
    const channels = new Set((await deps.store.listLinks(workspaceId)).map((link) => link.channelId));
    for (const channelId of channels) await deps.store.deleteLinks(workspaceId, channelId);
    await deps.workspaces.remove(workspaceId);
    await deps.store.deleteInstallation(workspaceId);
    deps.logger.info(
      { team: workspaceId, event: reason },
      "workspace uninstalled: events off, links, key and installation removed",
    );
  };
}
