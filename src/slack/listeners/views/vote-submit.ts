import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { BlockId } from "../../ids.js";
import { parseVoteSubmission } from "../../views/vote-modal.js";
import type { ListenerDeps } from "../deps.js";
import { submitAndAct } from "./submit-and-act.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Selection rules are checked before the ack, so mistakes show under the field. */
export function createVoteSubmitListener(deps: ListenerDeps) {
  return (args: Args): Promise<void> =>
    submitAndAct(deps, args, {
      title: "WhatsApp poll",
      field: BlockId.options,
      read: (values, ctx) => {
        const choice = parseVoteSubmission(values, ctx);
        const options = choice.kind === "clear" ? [] : choice.options;
        return {
          action: { op: "vote", options },
          sending: options.length === 0 ? "Clearing your vote…" : "Sending your vote to WhatsApp…",
          poll: ctx.poll,
        };
      },
    });
}
