// `/wa link`, `/wa unlink` and `/wa links` in a channel: admins and owners change what is mirrored
// there, anyone may list it. Linking posts a note in the channel, which is also the check that the app
// can post there.
import type { webApi } from "@slack/bolt";
import { PermissionError } from "../../errors.js";
import { linkedMessage, linksMessage, unlinkedMessage } from "../blocks/link-messages.js";
import { linkModal } from "../blocks/link-modal.js";
import { errorMessage } from "../blocks/messages.js";
import { outcomeModal, progressModal } from "../blocks/outcome-modal.js";
import type { Destination } from "../deliver.js";
import { isWorkspaceAdmin } from "../is-admin.js";
import { createSlackLinkAnnouncer } from "../link-announcer.js";
import type { ListenerDeps } from "../listeners/deps.js";

const ADMINS_ONLY =
  "Only workspace admins and owners can choose which WhatsApp chats are mirrored into Slack.";

interface InChannel {
  workspaceId: string;
  userId: string;
  channelId: string;
  to: Destination;
}

async function refusedUnlessAdmin(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: InChannel,
): Promise<boolean> {
  if (await isWorkspaceAdmin(client, input.userId, input.workspaceId)) return false;
  await deps.deliver.ephemeral(client, input.to, errorMessage(new PermissionError(ADMINS_ONLY)));
  return true;
}

/**
 * The chat's name, for the announcement and the confirmation, when the workspace's key may read the
 * session's chats; undefined otherwise or when the gateway cannot say now (the link does not wait on it).
 */
export async function chatNameFor(
  deps: ListenerDeps,
  workspaceId: string,
  sessionId: string | undefined,
  chatJid: string,
): Promise<string | undefined> {
  try {
    const listing = await deps.useCases.listLinkableChats(workspaceId, sessionId);
    if (listing.kind !== "chats") return undefined;
    const name = listing.chats.find((chat) => chat.jid === chatJid)?.name;
    return name === chatJid ? undefined : name;
  } catch (error) {
    deps.logger.debug(
      { err: error, team: workspaceId },
      "the chat's name could not be read; its id is shown",
    );
    return undefined;
  }
}

export async function linkHere(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: InChannel & { chatJid: string; sessionId?: string | undefined; sendReactions?: boolean | undefined },
): Promise<void> {
  if (await refusedUnlessAdmin(deps, client, input)) return;
  const chatName = await chatNameFor(deps, input.workspaceId, input.sessionId, input.chatJid);
  const result = await deps.useCases.links.link(
    {
      workspaceId: input.workspaceId,
      channelId: input.channelId,
      chatJid: input.chatJid,
      sessionId: input.sessionId,
      sendReactions: input.sendReactions,
      by: input.userId,
    },
    createSlackLinkAnnouncer(client, chatName),
  );
  await deps.deliver.ephemeral(client, input.to, linkedMessage(result, chatName));
}

/** The modal opens at once (the trigger lives 3 s); the session's chats fill it once the gateway answered. */
export async function openLinkModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: InChannel & { triggerId: string; sessionId?: string | undefined; sendReactions: boolean },
): Promise<void> {
  if (await refusedUnlessAdmin(deps, client, input)) return;
  const opened = await client.views.open({
    trigger_id: input.triggerId,
    view: progressModal("Mirror WhatsApp", "Reading the WhatsApp chats…"),
  });
  const viewId = opened.view?.id;
  if (!viewId) throw new Error("views.open answered ok without a view id");
  let view: webApi.View;
  try {
    const listing = await deps.useCases.listLinkableChats(input.workspaceId, input.sessionId);
    view = linkModal({
      ctx: { channelId: input.channelId, sessionId: listing.sessionId, responseUrl: input.to.responseUrl },
      chats: listing.kind === "chats" ? listing.chats : undefined,
      sendReactions: input.sendReactions,
    });
  } catch (error) {
    deps.logger.info({ err: error, team: input.workspaceId }, "could not list the WhatsApp chats to link");
    view = outcomeModal("Mirror WhatsApp", errorMessage(error));
  }
  await client.views.update({ view_id: viewId, view });
}

export async function unlinkHere(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: InChannel & { chatJid?: string | undefined },
): Promise<void> {
  if (await refusedUnlessAdmin(deps, client, input)) return;
  const removed = await deps.useCases.links.unlink(input.workspaceId, input.channelId, input.chatJid);
  const message = unlinkedMessage(removed, input.channelId, input.chatJid);
  if (removed.length > 0) {
    // Everyone in the channel saw the link announced; they see it end too.
    await deps.deliver.inChannel(client, { ...input.to, responseUrl: undefined }, message);
    return;
  }
  await deps.deliver.ephemeral(client, input.to, message);
}

export async function listLinks(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { workspaceId: string; to: Destination },
): Promise<void> {
  await deps.deliver.ephemeral(
    client,
    input.to,
    linksMessage(await deps.useCases.links.list(input.workspaceId)),
  );
}
