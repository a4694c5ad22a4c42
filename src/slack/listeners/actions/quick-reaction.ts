import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { normalizeEmoji } from "../../../domain/emoji.js";
import { errorMessage } from "../../views/messages.js";
import { decodeModalContext } from "../../views/modal-context.js";
import { outcomeModal, progressModal } from "../../views/outcome-modal.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { actInModal } from "../views/act-in-modal.js";

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
const TITLE = "WhatsApp reaction";

/** One click on a common reaction in the react modal sends it, no submit needed. */
export function createQuickReactionListener(deps: ListenerDeps) {
  return async ({ ack, action, body, client, context }: Args): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    const ctx = decodeModalContext(view.private_metadata);
    const emoji = normalizeEmoji(action.value ?? "");
    const refused = deps.admission.refusal();
    if (refused) {
      await client.views.update({ view_id: view.id, view: outcomeModal(TITLE, errorMessage(refused)) });
      return;
    }
    await client.views.update({
      view_id: view.id,
      view: progressModal(TITLE, `Sending ${emoji} to WhatsApp…`),
    });
    await actInModal(deps, client, {
      workspaceId: workspaceIdOf(context),
      userId: body.user.id,
      viewId: view.id,
      title: TITLE,
      ctx,
      action: { op: "react", emoji },
    });
  };
}
