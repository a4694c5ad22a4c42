import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { openPollVoteModal } from "../../flows/open-poll-vote-modal.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The Vote button on a mirrored poll: the poll-vote modal, the poll read from the mirror's map. */
export function createOpenPollVoteListener(deps: ListenerDeps) {
  return async ({ ack, body, client, context }: Args): Promise<void> => {
    await ack();
    const channelId = body.channel?.id ?? body.container.channel_id;
    const ts = body.message?.ts ?? body.container.message_ts;
    if (typeof channelId !== "string" || typeof ts !== "string") return;
    const threadTs = typeof body.message?.thread_ts === "string" ? body.message.thread_ts : undefined;
    const workspaceId = workspaceIdOf(context);
    await openPollVoteModal(deps, client, {
      workspaceId,
      triggerId: body.trigger_id,
      lookup: deps.lookupFor(client, workspaceId),
      to: { userId: body.user.id, channelId, responseUrl: body.response_url, threadTs: threadTs ?? ts },
      target: { kind: "link", link: { channelId, ts, threadTs } },
      messageTs: ts,
      metadata: body.message?.metadata,
    });
  };
}
