import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";

type Args = (SlackEventMiddlewareArgs<"app_uninstalled"> | SlackEventMiddlewareArgs<"tokens_revoked">) &
  AllMiddlewareArgs;

/** Uninstalling (or revoking the bot token) forgets the workspace. */
export function createUninstalledListener(deps: ListenerDeps) {
  return async ({ event, context }: Args): Promise<void> => {
    // Revoking only users' tokens leaves the bot installed.
    if (event.type === "tokens_revoked" && (event.tokens.bot ?? []).length === 0) return;
    await deps.useCases.forgetWorkspace(workspaceIdOf(context), event.type);
  };
}
