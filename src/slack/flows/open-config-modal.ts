// Opens the configuration modal for admins and owners; anyone else gets an ephemeral refusal.
import type { webApi } from "@slack/bolt";
import { PermissionError } from "../../errors.js";
import { configModal } from "../blocks/config-modal.js";
import { errorMessage } from "../blocks/messages.js";
import type { Destination } from "../deliver.js";
import { isWorkspaceAdmin } from "../is-admin.js";
import type { ListenerDeps } from "../listeners/deps.js";
import { encodeConfigOrigin } from "./config-origin.js";

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
  const current = await deps.useCases.workspaces.get(input.workspaceId);
  const view = configModal({
    maskedKey: current?.maskedKey,
    defaultSessionId: current?.defaultSessionId,
    visibility: current?.visibility ?? "ephemeral",
  });
  view.private_metadata = encodeConfigOrigin(input.to);
  await client.views.open({ trigger_id: input.triggerId, view });
}
