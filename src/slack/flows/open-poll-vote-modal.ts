// The poll-vote modal for `/wa vote <target>` with no options, and for the `wa_vote` shortcut.
import type { webApi } from "@slack/bolt";
import type { TargetSpec } from "../../domain/types.js";
import type { MessageLookup } from "../../usecases/message-lookup.js";
import { messageRefOf } from "../../usecases/resolve-target.js";
import type { ModalContext } from "../blocks/modal-context.js";
import { pollVoteModal } from "../blocks/poll-vote-modal.js";
import type { Destination } from "../deliver.js";
import type { ListenerDeps } from "../listeners/deps.js";
import { openMessageModal } from "./open-message-modal.js";

export async function openPollVoteModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: {
    workspaceId: string;
    triggerId: string;
    lookup: MessageLookup;
    to: Destination;
    target: TargetSpec;
    messageTs?: string;
    metadata?: unknown;
  },
): Promise<void> {
  const base = {
    workspaceId: input.workspaceId,
    userId: input.to.userId,
    channelId: input.to.channelId,
    responseUrl: input.to.responseUrl,
    threadTs: input.to.threadTs,
    messageTs: input.messageTs,
  };
  if (input.target.kind === "explicit") {
    // Explicit ids say nothing about the poll: the modal asks for the options as text.
    const ctx: ModalContext = { ...base, target: messageRefOf(input.target) };
    await client.views.open({ trigger_id: input.triggerId, view: pollVoteModal(ctx) });
    return;
  }
  await openMessageModal(deps, client, {
    triggerId: input.triggerId,
    lookup: input.lookup,
    link: input.target.link,
    metadata: input.metadata,
    title: "WhatsApp poll",
    build: (message) => pollVoteModal({ ...base, target: messageRefOf(message), poll: message.poll }),
  });
}
