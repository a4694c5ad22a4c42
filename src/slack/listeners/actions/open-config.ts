import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { openConfigModal } from "../../flows/open-config-modal.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The Configure button on the App Home tab. */
export function createOpenConfigListener(deps: ListenerDeps) {
  return async ({ ack, body, client, context }: Args): Promise<void> => {
    await ack();
    await openConfigModal(deps, client, {
      workspaceId: workspaceIdOf(context),
      userId: body.user.id,
      triggerId: body.trigger_id,
      to: { userId: body.user.id },
    });
  };
}
