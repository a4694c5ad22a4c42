import type { webApi } from "@slack/bolt";
import { PermissionError } from "../../errors.js";
import type { Destination } from "../deliver.js";
import { isWorkspaceAdmin } from "../is-admin.js";
import { configModal } from "../views/config-modal.js";
import { errorMessage } from "../views/messages.js";
import { encodeConfigOrigin } from "./config-origin.js";
import type { ListenerDeps } from "./deps.js";

/** Opens the configuration modal for admins and owners; anyone else gets an ephemeral refusal. */
export async function openConfigModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { workspaceId: string; userId: string; triggerId: string; to: Destination },
): Promise<void> {
  if (!(await isWorkspaceAdmin(client, input.userId, input.workspaceId))) {
    const refusal = new PermissionError(
      "Only workspace admins and owners can change the WhatsApp configuration.",
    );
    await deps.deliver.ephemeral(client, input.to, errorMessage(refusal));
    return;
  }
  const current = await deps.workspaces.get(input.workspaceId);
  const view = configModal({
    maskedKey: current?.maskedKey,
    defaultSessionId: current?.defaultSessionId,
    visibility: current?.visibility ?? "ephemeral",
  });
  view.private_metadata = encodeConfigOrigin(input.to);
  await client.views.open({ trigger_id: input.triggerId, view });
}
