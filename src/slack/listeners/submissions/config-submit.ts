import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { UserInputError } from "../../../errors.js";
import { parseConfigSubmission } from "../../blocks/config-modal.js";
import { configSavedMessage } from "../../blocks/config-saved.js";
import { decodeConfigOrigin } from "../../flows/config-origin.js";
import { publishHome } from "../../flows/publish-home.js";
import { BlockId } from "../../ids.js";
import { isWorkspaceAdmin } from "../../is-admin.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Saves before acknowledging, so every problem (a malformed key, a non-admin) is shown under its
 * field. Checking the admin again here matters: the modal could have been opened before a demotion.
 */
export function createConfigSubmitListener(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: Args): Promise<void> => {
    const parsed = parseConfigSubmission(view.state.values);
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: parsed.errors });
      return;
    }
    const userId = body.user.id;
    const workspaceId = workspaceIdOf(context);
    if (!(await isWorkspaceAdmin(client, userId, workspaceId))) {
      await ack({
        response_action: "errors",
        errors: {
          [BlockId.apiKey]: "Only workspace admins and owners can change the WhatsApp configuration.",
        },
      });
      return;
    }
    let saved: Awaited<ReturnType<typeof deps.useCases.workspaces.save>>;
    try {
      saved = await deps.useCases.workspaces.save(workspaceId, parsed.value, userId);
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      await ack({ response_action: "errors", errors: { [error.field ?? BlockId.apiKey]: error.message } });
      return;
    }
    await ack();
    deps.logger.info({ team: workspaceId, user: userId }, "workspace configuration changed in Slack");
    const origin = decodeConfigOrigin(view.private_metadata);
    await deps.deliver.ephemeral(client, { userId, ...origin }, configSavedMessage(saved));
    await publishHome(deps, client, { workspaceId, userId });
  };
}
