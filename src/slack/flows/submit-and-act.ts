// A react or vote modal submitted: the form is read before the ack, so a mistake shows under its field;
// then the modal shows "Sending…", and the outcome replaces it. (A refusal under overload was already
// given at the door, admit-actions.ts, under the same field.)
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { Action, Poll } from "../../domain/types.js";
import { UserInputError } from "../../errors.js";
import { ticketOf } from "../admit-actions.js";
import { workingMessage } from "../blocks/messages.js";
import { decodeModalContext, type ModalContext } from "../blocks/modal-context.js";
import { progressModal } from "../blocks/outcome-modal.js";
import type { ListenerDeps } from "../listeners/deps.js";
import { workspaceIdOf } from "../workspace-id.js";
import { actInModal } from "./act-in-modal.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export interface ActionForm {
  title: string;
  /** The input block a mistake is shown under; the input stays in the form. */
  field: string;
  /** Reads the submitted form; throws UserInputError for a mistake the user can fix. */
  read: (
    values: ViewSubmitAction["view"]["state"]["values"],
    ctx: ModalContext,
  ) => { action: Action; poll?: Poll | undefined };
}

export async function submitAndAct(deps: ListenerDeps, args: Args, form: ActionForm): Promise<void> {
  const { ack, view, body, client, context } = args;
  const ticket = ticketOf(context);
  let ctx: ModalContext;
  let submitted: ReturnType<ActionForm["read"]>;
  try {
    ctx = decodeModalContext(view.private_metadata);
    submitted = form.read(view.state.values, ctx);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    await ack({ response_action: "errors", errors: { [form.field]: error.message } });
    return;
  }
  await ack({
    response_action: "update",
    view: progressModal(form.title, workingMessage(submitted.action).text),
  });
  await actInModal(deps, client, ticket, {
    workspaceId: workspaceIdOf(context),
    userId: body.user.id,
    viewId: view.id,
    title: form.title,
    ctx,
    action: submitted.action,
    poll: submitted.poll,
  });
}
