// Opens a modal about one WhatsApp message. When its metadata came with the payload the modal opens
// directly; otherwise the trigger (valid 3 s, once) is spent on a loading modal first and the real one
// replaces it once the lookup (the mirror's map, else Slack's history) has found the message.
import type { webApi } from "@slack/bolt";
import { readWhatsAppMetadata } from "../../domain/metadata.js";
import type { SlackMessageLink, WhatsAppMessage } from "../../domain/types.js";
import type { MessageLookup } from "../../usecases/message-lookup.js";
import { errorMessage } from "../blocks/messages.js";
import { outcomeModal, progressModal } from "../blocks/outcome-modal.js";
import type { ListenerDeps } from "../listeners/deps.js";

export async function openMessageModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: {
    triggerId: string;
    lookup: MessageLookup;
    link: SlackMessageLink;
    metadata?: unknown;
    title: string;
    build: (message: WhatsAppMessage) => webApi.View;
  },
): Promise<void> {
  const known = input.metadata === undefined ? undefined : readWhatsAppMetadata(input.metadata);
  if (known?.ok) {
    await client.views.open({ trigger_id: input.triggerId, view: input.build(known.message) });
    return;
  }
  const opened = await client.views.open({
    trigger_id: input.triggerId,
    view: progressModal(input.title, "Reading the WhatsApp message…"),
  });
  const viewId = opened.view?.id;
  if (!viewId) throw new Error("views.open answered ok without a view id");
  let view: webApi.View;
  try {
    view = input.build(await input.lookup.find(input.link));
  } catch (error) {
    // Shown to the user in the modal they are looking at, and logged.
    deps.logger.info({ err: error }, "could not read the WhatsApp message behind a Slack message");
    view = outcomeModal(input.title, errorMessage(error));
  }
  await client.views.update({ view_id: viewId, view });
}
