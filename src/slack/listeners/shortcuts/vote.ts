import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { openVoteModal } from "../open-vote-modal.js";
import { shortcutPlace } from "./message-link.js";

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** "Vote in WhatsApp poll": the poll-vote modal. */
export function createVoteShortcutListener(deps: ListenerDeps) {
  return async ({ shortcut, ack, client, context }: Args): Promise<void> => {
    await ack();
    const place = shortcutPlace(shortcut);
    await openVoteModal(deps, client, {
      workspaceId: workspaceIdOf(context),
      triggerId: shortcut.trigger_id,
      to: place.to,
      target: { kind: "link", link: place.link },
      messageTs: shortcut.message.ts,
      metadata: place.metadata,
    });
  };
}
