import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { normalizeEmoji } from "../../../domain/emoji.js";
import { BlockId } from "../../ids.js";
import { readEmojiSubmission } from "../../views/react-modal.js";
import type { ListenerDeps } from "../deps.js";
import { submitAndAct } from "./submit-and-act.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function createReactSubmitListener(deps: ListenerDeps) {
  return (args: Args): Promise<void> =>
    submitAndAct(deps, args, {
      title: "WhatsApp reaction",
      field: BlockId.emoji,
      read: (values) => {
        const emoji = normalizeEmoji(readEmojiSubmission(values));
        return { action: { op: "react", emoji }, sending: `Sending ${emoji} to WhatsApp…` };
      },
    });
}
