import type { webApi } from "@slack/bolt";
import type { Action, Poll } from "../../../domain/types.js";
import { showOutcome } from "../../show-outcome.js";
import type { ModalContext } from "../../views/modal-context.js";
import type { ListenerDeps } from "../deps.js";

/** After the modal shows "Sending…": act, then show the outcome in that same modal. */
export async function actInModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: {
    workspaceId: string;
    userId: string;
    viewId: string;
    title: string;
    ctx: ModalContext;
    action: Action;
    poll?: Poll | undefined;
  },
): Promise<void> {
  const { ctx } = input;
  const outcome = await deps.runAction({
    workspaceId: input.workspaceId,
    userId: input.userId,
    target: ctx.target,
    action: input.action,
    poll: input.poll,
  });
  await showOutcome(
    deps.deliver,
    client,
    outcome,
    { userId: input.userId, channelId: ctx.channelId, responseUrl: ctx.responseUrl, threadTs: ctx.threadTs },
    { viewId: input.viewId, title: input.title },
  );
}
