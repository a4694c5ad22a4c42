import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { Action, Poll } from "../../../domain/types.js";
import { UserInputError } from "../../../errors.js";
import { describeError } from "../../describe-error.js";
import { decodeModalContext, type ModalContext } from "../../views/modal-context.js";
import { progressModal } from "../../views/outcome-modal.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";
import { actInModal } from "./act-in-modal.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export interface ActionForm {
  title: string;
  /** The input block a mistake, or a refusal under overload, is shown under; the input stays in the form. */
  field: string;
  /** Reads the submitted form; throws UserInputError for a mistake the user can fix. */
  read: (
    values: ViewSubmitAction["view"]["state"]["values"],
    ctx: ModalContext,
  ) => { action: Action; sending: string; poll?: Poll | undefined };
}

/**
 * A react or vote modal submitted: everything is checked before the ack, so a mistake (or an overload
 * refusal) shows under the field; then the modal shows "Sending…", and the outcome replaces it.
 */
export async function submitAndAct(deps: ListenerDeps, args: Args, form: ActionForm): Promise<void> {
  const { ack, view, body, client, context } = args;
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
  const refused = deps.admission.refusal();
  if (refused) {
    await ack({ response_action: "errors", errors: { [form.field]: describeError(refused).summary } });
    return;
  }
  await ack({ response_action: "update", view: progressModal(form.title, submitted.sending) });
  await actInModal(deps, client, {
    workspaceId: workspaceIdOf(context),
    userId: body.user.id,
    viewId: view.id,
    title: form.title,
    ctx,
    action: submitted.action,
    poll: submitted.poll,
  });
}
