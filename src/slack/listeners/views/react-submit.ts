import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { normalizeEmoji } from "../../../domain/emoji.js";
import { UserInputError } from "../../../errors.js";
import { describeError } from "../../describe-error.js";
import { Block } from "../../ids.js";
import { decodeModalContext } from "../../views/modal-context.js";
import { progressModal } from "../../views/outcome-modal.js";
import { readEmojiSubmission } from "../../views/react-modal.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { actInModal } from "./act-in-modal.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
const TITLE = "WhatsApp reaction";

export function createReactSubmitListener(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: Args): Promise<void> => {
    let emoji: string;
    let ctx: ReturnType<typeof decodeModalContext>;
    try {
      ctx = decodeModalContext(view.private_metadata);
      emoji = normalizeEmoji(readEmojiSubmission(view.state.values));
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      await ack({ response_action: "errors", errors: { [Block.emoji]: error.message } });
      return;
    }
    const refused = deps.admission.refusal();
    if (refused) {
      // Under the field, so the emoji stays in the form for a second try.
      await ack({ response_action: "errors", errors: { [Block.emoji]: describeError(refused).summary } });
      return;
    }
    await ack({ response_action: "update", view: progressModal(TITLE, `Sending ${emoji} to WhatsApp…`) });
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
