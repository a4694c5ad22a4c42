import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { parseVoteSubmission } from "../../blocks/poll-vote-modal.js";
import { submitAndAct } from "../../flows/submit-and-act.js";
import { BlockId } from "../../ids.js";
import type { ListenerDeps } from "../deps.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Selection rules are checked before the ack, so mistakes show under the field. */
export function createVoteSubmitListener(deps: ListenerDeps) {
  return (args: Args): Promise<void> =>
    submitAndAct(deps, args, {
      title: "WhatsApp poll",
      field: BlockId.options,
      read: (values, ctx) => {
        const choice = parseVoteSubmission(values, ctx);
        return {
          action: { op: "vote", options: choice.kind === "clear" ? [] : choice.options },
          poll: ctx.poll,
        };
      },
    });
}
