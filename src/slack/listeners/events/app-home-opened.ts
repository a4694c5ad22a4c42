import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { publishHome } from "../publish-home.js";

type Args = SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs;

export function createAppHomeOpenedListener(deps: ListenerDeps) {
  return async ({ event, client, context }: Args): Promise<void> => {
    if (event.tab !== "home") return;
    await publishHome(deps, client, { workspaceId: workspaceIdOf(context), userId: event.user });
  };
}
