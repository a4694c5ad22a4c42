import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { messageRefOf } from "../../../usecases/resolve-target.js";
import { ticketOf } from "../../admit-actions.js";
import { showOutcome } from "../../show-outcome.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { shortcutPlace } from "./message-link.js";

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** "Remove WhatsApp reaction": acts at once (removing is harmless to repeat), then says what happened. */
export function createUnreactShortcutListener(deps: ListenerDeps) {
  return async ({ shortcut, ack, client, context }: Args): Promise<void> => {
    const ticket = ticketOf(context);
    await ack();
    const place = shortcutPlace(shortcut);
    const workspaceId = workspaceIdOf(context);
    const message = await deps.lookupFor(client, workspaceId).find(place.link, place.metadata);
    const outcome = await deps.useCases.runAction(ticket, {
      workspaceId,
      userId: shortcut.user.id,
      target: messageRefOf(message),
      action: { op: "unreact" },
    });
    await showOutcome(deps.deliver, client, outcome, place.to);
  };
}
