import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { admissionOf } from "../../admit-actions.js";
import { customEmojiMessage } from "../../blocks/link-messages.js";
import { errorMessage } from "../../blocks/messages.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";

type Args = (SlackEventMiddlewareArgs<"reaction_added"> | SlackEventMiddlewareArgs<"reaction_removed">) &
  AllMiddlewareArgs;

/**
 * A Slack user's reaction on a mirrored message: sent to WhatsApp as the account's reaction when the
 * chat's link says so. Only a failure is told, to that user alone; a success shows on the message itself.
 */
export function createReactionChangedListener(deps: ListenerDeps) {
  return async ({ event, body, client, context }: Args): Promise<void> => {
    // The bot's own reactions are the WhatsApp side's; sending them back would loop.
    if (event.user === context.botUserId || event.item.type !== "message") return;
    const admission = admissionOf(context);
    const change = {
      workspaceId: workspaceIdOf(context),
      userId: event.user,
      channelId: event.item.channel,
      ts: event.item.ts,
      name: event.reaction,
      added: event.type === "reaction_added",
      eventId: (body as { event_id?: string }).event_id ?? `${event.type}:${event.item.ts}:${event.event_ts}`,
      at: new Date(Number(event.event_ts) * 1000),
    };
    const to = { userId: event.user, channelId: event.item.channel };
    if ("refusal" in admission) {
      // Only tell about reactions that would have been sent.
      if (await deps.useCases.slackReactions.wouldForward(change))
        await deps.deliver.ephemeral(client, to, errorMessage(admission.refusal));
      return;
    }
    const result = await deps.useCases.slackReactions.forward(admission.ticket, change);
    if (result.kind === "custom_emoji") {
      await deps.deliver.ephemeral(client, to, customEmojiMessage(result.name));
    } else if (result.kind === "sent" && !result.outcome.ok) {
      await deps.deliver.ephemeral(client, to, errorMessage(result.outcome.error));
    }
  };
}
