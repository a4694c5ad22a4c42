import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { normalizeEmoji } from "../../../domain/emoji.js";
import { readEmojiSubmission } from "../../blocks/react-modal.js";
import { submitAndAct } from "../../flows/submit-and-act.js";
import { BlockId } from "../../ids.js";
import type { ListenerDeps } from "../deps.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function createReactSubmitListener(deps: ListenerDeps) {
  return (args: Args): Promise<void> =>
    submitAndAct(deps, args, {
      title: "WhatsApp reaction",
      field: BlockId.emoji,
      read: (values) => ({ action: { op: "react", emoji: normalizeEmoji(readEmojiSubmission(values)) } }),
    });
}
