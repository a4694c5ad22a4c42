import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { normalizeEmoji } from "../../../domain/emoji.js";
import { Block } from "../../ids.js";
import { readEmojiSubmission } from "../../views/react-modal.js";
import type { ListenerDeps } from "../deps.js";
import { submitAndAct } from "./submit-and-act.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function createReactSubmitListener(deps: ListenerDeps) {
  return (args: Args): Promise<void> =>
    submitAndAct(deps, args, {
      title: "WhatsApp reaction",
      field: Block.emoji,
      read: (values) => {
        const emoji = normalizeEmoji(readEmojiSubmission(values));
        return { action: { op: "react", emoji }, sending: `Sending ${emoji} to WhatsApp…` };
      },
    });
}
