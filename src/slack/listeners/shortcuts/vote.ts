import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { openPollVoteModal } from "../../flows/open-poll-vote-modal.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { shortcutPlace } from "./message-link.js";

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** "Vote in WhatsApp poll": the poll-vote modal. */
export function createVoteShortcutListener(deps: ListenerDeps) {
  return async ({ shortcut, ack, client, context }: Args): Promise<void> => {
    await ack();
    const place = shortcutPlace(shortcut);
    const workspaceId = workspaceIdOf(context);
    await openPollVoteModal(deps, client, {
      workspaceId,
      triggerId: shortcut.trigger_id,
      lookup: deps.lookupFor(client, workspaceId),
      to: place.to,
      target: { kind: "link", link: place.link },
      messageTs: shortcut.message.ts,
      metadata: place.metadata,
    });
  };
}
