// `/wa`: parse the text (pure and instant), acknowledge, then do the slow part and reply through
// response_url. Malformed text is answered in the ack itself, with the usage line; an action is
// acknowledged with a "Sending…" note that its outcome replaces.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseCommand } from "../../../domain/command.js";
import type { Action, WaCommand } from "../../../domain/types.js";
import { UserInputError } from "../../../errors.js";
import { resolveTarget } from "../../../usecases/resolve-target.js";
import { ticketOf } from "../../admit-actions.js";
import { errorMessage, helpMessage, statusMessage, workingMessage } from "../../blocks/messages.js";
import type { Destination } from "../../deliver.js";
import { linkHere, listLinks, openLinkModal, unlinkHere } from "../../flows/link-chat.js";
import { openConfigModal } from "../../flows/open-config-modal.js";
import { openPollVoteModal } from "../../flows/open-poll-vote-modal.js";
import { showOutcome } from "../../show-outcome.js";
import { markWorkingNote } from "../../working-note.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

function parse(text: string): WaCommand | UserInputError {
  try {
    return parseCommand(text);
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
}

function actionOf(command: WaCommand): Action | undefined {
  switch (command.kind) {
    case "react":
      return { op: "react", emoji: command.emoji };
    case "unreact":
      return { op: "unreact" };
    case "vote":
      return { op: "vote", options: command.options };
    case "vote_clear":
      return { op: "vote", options: [] };
    default:
      return undefined;
  }
}

export function createWaCommandListener(deps: ListenerDeps) {
  return async ({ command, ack, client, context }: Args): Promise<void> => {
    const parsed = parse(command.text);
    if (parsed instanceof UserInputError) {
      await ack(errorMessage(parsed));
      return;
    }
    const action = actionOf(parsed);
    if (parsed.kind === "help") {
      await ack(helpMessage());
      return;
    }
    if (action) {
      await ack(workingMessage(action));
      markWorkingNote(context);
    } else {
      await ack();
    }

    const workspaceId = workspaceIdOf(context);
    const to: Destination = {
      userId: command.user_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
    };
    const lookup = () => deps.lookupFor(client, workspaceId);

    switch (parsed.kind) {
      case "config":
        await openConfigModal(deps, client, {
          workspaceId,
          userId: command.user_id,
          triggerId: command.trigger_id,
          to,
        });
        return;
      case "status":
        await deps.deliver.ephemeral(client, to, statusMessage(await deps.useCases.checkStatus(workspaceId)));
        return;
      case "link":
        await linkHere(deps, client, {
          workspaceId,
          userId: command.user_id,
          channelId: command.channel_id,
          to,
          chatJid: parsed.chat,
          sessionId: parsed.sessionId,
          sendReactions: parsed.sendReactions,
        });
        return;
      case "link_modal":
        await openLinkModal(deps, client, {
          workspaceId,
          userId: command.user_id,
          channelId: command.channel_id,
          to,
          triggerId: command.trigger_id,
          sessionId: parsed.sessionId,
          sendReactions: parsed.sendReactions,
        });
        return;
      case "unlink":
        await unlinkHere(deps, client, {
          workspaceId,
          userId: command.user_id,
          channelId: command.channel_id,
          to,
          chatJid: parsed.chat,
        });
        return;
      case "links":
        await listLinks(deps, client, { workspaceId, to });
        return;
      case "vote_modal":
        await openPollVoteModal(deps, client, {
          workspaceId,
          triggerId: command.trigger_id,
          lookup: lookup(),
          to,
          target: parsed.target,
        });
        return;
    }

    if (!action || !("target" in parsed)) return;
    const ticket = ticketOf(context);
    const target = await resolveTarget(lookup(), parsed.target);
    const outcome = await deps.useCases.runAction(ticket, {
      workspaceId,
      userId: command.user_id,
      target: target.ref,
      action,
      poll: target.poll,
    });
    await showOutcome(deps.deliver, client, outcome, { ...to, replacesWorkingNote: true });
  };
}
