// After a modal shows "Sending…": act, then show the outcome in that same modal.
import type { webApi } from "@slack/bolt";
import type { Action, Poll } from "../../domain/types.js";
import type { AdmissionTicket } from "../../usecases/overload-refusal.js";
import type { ModalContext } from "../blocks/modal-context.js";
import type { ListenerDeps } from "../listeners/deps.js";
import { showOutcome } from "../show-outcome.js";

export async function actInModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  ticket: AdmissionTicket,
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
  const outcome = await deps.useCases.runAction(ticket, {
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
