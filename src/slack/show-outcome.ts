// Shows an action's outcome where the user expects it: errors only to the user, confirmations in
// the channel or only to the user as the workspace chose, and in the user's modal when there is one.
import type { webApi } from "@slack/bolt";
import type { ActionOutcome } from "../usecases/run-action.js";
import { confirmationMessage, errorMessage } from "./blocks/messages.js";
import { outcomeModal } from "./blocks/outcome-modal.js";
import type { Deliverer, Destination } from "./deliver.js";

export async function showOutcome(
  deliver: Deliverer,
  client: webApi.WebClient,
  outcome: ActionOutcome,
  to: Destination,
  modal?: { viewId: string; title: string },
): Promise<void> {
  const message = outcome.ok
    ? confirmationMessage({
        action: outcome.action,
        target: outcome.target,
        result: outcome.result,
        userId: to.userId,
      })
    : errorMessage(outcome.error);
  if (modal) {
    await deliver.inModal(client, modal.viewId, outcomeModal(modal.title, message), to, message);
    if (outcome.ok && outcome.visibility === "channel") await deliver.inChannel(client, to, message);
    return;
  }
  if (outcome.ok && outcome.visibility === "channel") await deliver.inChannel(client, to, message);
  else await deliver.ephemeral(client, to, message);
}
