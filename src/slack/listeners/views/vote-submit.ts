import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { Action } from "../../../domain/types.js";
import { UserInputError } from "../../../errors.js";
import { describeError } from "../../describe-error.js";
import { Block } from "../../ids.js";
import { decodeModalContext } from "../../views/modal-context.js";
import { progressModal } from "../../views/outcome-modal.js";
import { parseVoteSubmission } from "../../views/vote-modal.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { actInModal } from "./act-in-modal.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
const TITLE = "WhatsApp poll";

/** Selection rules are checked here, before the ack, so mistakes show under the field. */
export function createVoteSubmitListener(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: Args): Promise<void> => {
    let action: Action;
    let ctx: ReturnType<typeof decodeModalContext>;
    try {
      ctx = decodeModalContext(view.private_metadata);
      const choice = parseVoteSubmission(view.state.values, ctx);
      action = { op: "vote", options: choice.kind === "clear" ? [] : choice.options };
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      await ack({ response_action: "errors", errors: { [Block.options]: error.message } });
      return;
    }
    const refused = deps.admission.refusal();
    if (refused) {
      // Under the field, so the choice stays in the form for a second try.
      await ack({ response_action: "errors", errors: { [Block.options]: describeError(refused).summary } });
      return;
    }
    const sending = action.options.length === 0 ? "Clearing your vote…" : "Sending your vote to WhatsApp…";
    await ack({ response_action: "update", view: progressModal(TITLE, sending) });
    await actInModal(deps, client, {
      workspaceId: workspaceIdOf(context),
      userId: body.user.id,
      viewId: view.id,
      title: TITLE,
      ctx,
      action,
      poll: ctx.poll,
    });
  };
}
