// `/wa`: parse the text (pure and instant), acknowledge, then do the slow part and reply through
// response_url. Malformed text is answered in the ack itself, with the usage line.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseCommand } from "../../../domain/command.js";
import type { Action, WaCommand } from "../../../domain/types.js";
import { UserInputError } from "../../../errors.js";
import { resolveTarget } from "../../../usecases/resolve-target.js";
import type { Destination } from "../../deliver.js";
import { showOutcome } from "../../show-outcome.js";
import { errorMessage, helpMessage } from "../../views/messages.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { openConfigModal } from "../open-config-modal.js";
import { openVoteModal } from "../open-vote-modal.js";
import { statusReport } from "../status-report.js";

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
    if (parsed.kind === "help") {
      await ack(helpMessage());
      return;
    }
    const action = actionOf(parsed);
    const refused = action ? deps.admission.refusal() : undefined;
    if (refused) {
      await ack(errorMessage(refused));
      return;
    }
    await ack();

    const workspaceId = workspaceIdOf(context);
    const to: Destination = {
      userId: command.user_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
    };

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
        await deps.deliver.ephemeral(client, to, await statusReport(deps, workspaceId));
        return;
      case "vote_modal":
        await openVoteModal(deps, client, {
          workspaceId,
          triggerId: command.trigger_id,
          to,
          target: parsed.target,
        });
        return;
    }

    if (!action || !("target" in parsed)) return;
    const target = await resolveTarget(client, parsed.target);
    const outcome = await deps.runAction({
      workspaceId,
      userId: command.user_id,
      target: target.ref,
      action,
      poll: target.poll,
    });
    await showOutcome(deps.deliver, client, outcome, to);
  };
}
