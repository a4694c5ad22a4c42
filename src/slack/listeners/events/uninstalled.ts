import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";

type Args = (SlackEventMiddlewareArgs<"app_uninstalled"> | SlackEventMiddlewareArgs<"tokens_revoked">) &
  AllMiddlewareArgs;

/**
 * Uninstalling (or revoking the bot token) forgets the workspace: its installation and its gateway
 * key are deleted, so nothing of the company's stays behind.
 */
export function createUninstalledListener(deps: ListenerDeps) {
  return async ({ event, context }: Args): Promise<void> => {
    if (event.type === "tokens_revoked" && (event.tokens.bot ?? []).length === 0) return;
    const workspaceId = workspaceIdOf(context);
    await deps.workspaces.remove(workspaceId);
    await deps.store.deleteInstallation(workspaceId);
    deps.logger.info(
      { team: workspaceId, event: event.type },
      "workspace uninstalled: key and installation removed",
    );
  };
}
