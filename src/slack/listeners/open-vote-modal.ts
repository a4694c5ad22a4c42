import type { webApi } from "@slack/bolt";
import type { TargetSpec } from "../../domain/types.js";
import { messageRefOf } from "../../usecases/resolve-target.js";
import type { Destination } from "../deliver.js";
import type { ModalContext } from "../views/modal-context.js";
import { voteModal } from "../views/vote-modal.js";
import type { ListenerDeps } from "./deps.js";
import { openMessageModal } from "./open-message-modal.js";

/** The poll-vote modal for `/wa vote <target>` with no options, and for the `wa_vote` shortcut. */
export async function openVoteModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: {
    workspaceId: string;
    triggerId: string;
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
    const ctx: ModalContext = {
      ...base,
      target: messageRefOf(input.target),
    };
    await client.views.open({ trigger_id: input.triggerId, view: voteModal(ctx) });
    return;
  }
  await openMessageModal(deps, client, {
    triggerId: input.triggerId,
    link: input.target.link,
    metadata: input.metadata,
    title: "WhatsApp poll",
    build: (message) =>
      voteModal({
        ...base,
        target: messageRefOf(message),
        poll: message.poll,
      }),
  });
}
