import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { messageRefOf } from "../../../usecases/resolve-target.js";
import { reactModal } from "../../blocks/react-modal.js";
import { openMessageModal } from "../../flows/open-message-modal.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { shortcutPlace } from "./message-link.js";

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** "React on WhatsApp": a modal with one-click reactions and an emoji field. */
export function createReactShortcutListener(deps: ListenerDeps) {
  return async ({ shortcut, ack, client, context }: Args): Promise<void> => {
    await ack();
    const place = shortcutPlace(shortcut);
    const workspaceId = workspaceIdOf(context);
    await openMessageModal(deps, client, {
      triggerId: shortcut.trigger_id,
      lookup: deps.lookupFor(client, workspaceId),
      link: place.link,
      metadata: place.metadata,
      title: "WhatsApp reaction",
      build: (message) =>
        reactModal({
          workspaceId,
          userId: shortcut.user.id,
          channelId: place.to.channelId,
          responseUrl: place.to.responseUrl,
          threadTs: place.to.threadTs,
          messageTs: shortcut.message.ts,
          target: messageRefOf(message),
          poll: undefined,
        }),
    });
  };
}
