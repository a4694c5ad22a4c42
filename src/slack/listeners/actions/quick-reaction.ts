import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { normalizeEmoji } from "../../../domain/emoji.js";
import type { Action } from "../../../domain/types.js";
import { ticketOf } from "../../admit-actions.js";
import { workingMessage } from "../../blocks/messages.js";
import { decodeModalContext } from "../../blocks/modal-context.js";
import { progressModal } from "../../blocks/outcome-modal.js";
import { actInModal } from "../../flows/act-in-modal.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
const TITLE = "WhatsApp reaction";

/** One click on a common reaction in the react modal sends it, no submit needed. */
export function createQuickReactionListener(deps: ListenerDeps) {
  return async ({ ack, action, body, client, context }: Args): Promise<void> => {
    const ticket = ticketOf(context);
    await ack();
    const view = body.view;
    if (!view) return;
    const ctx = decodeModalContext(view.private_metadata);
    const react: Action = { op: "react", emoji: normalizeEmoji(action.value ?? "") };
    await client.views.update({ view_id: view.id, view: progressModal(TITLE, workingMessage(react).text) });
    await actInModal(deps, client, ticket, {
      workspaceId: workspaceIdOf(context),
      userId: body.user.id,
      viewId: view.id,
      title: TITLE,
      ctx,
      action: react,
    });
  };
}
