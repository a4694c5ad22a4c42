import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { PermissionError, UserInputError } from "../../../errors.js";
import { linkedMessage } from "../../blocks/link-messages.js";
import { decodeLinkModalContext, readLinkSubmission } from "../../blocks/link-modal.js";
import { errorMessage } from "../../blocks/messages.js";
import { outcomeModal, progressModal } from "../../blocks/outcome-modal.js";
import { chatNameFor } from "../../flows/link-chat.js";
import { BlockId } from "../../ids.js";
import { isWorkspaceAdmin } from "../../is-admin.js";
import { createSlackLinkAnnouncer } from "../../link-announcer.js";
import { workspaceIdOf } from "../../workspace-id.js";
import type { ListenerDeps } from "../deps.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
const TITLE = "Mirror WhatsApp";

/**
 * The chosen chat is checked before the ack (a mistake shows under its field); the modal then says
 * "Linking…" while the app announces the link in the channel, and shows how it went.
 */
export function createLinkSubmitListener(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: Args): Promise<void> => {
    let chosen: ReturnType<typeof readLinkSubmission>;
    let ctx: ReturnType<typeof decodeLinkModalContext>;
    try {
      ctx = decodeLinkModalContext(view.private_metadata);
      chosen = readLinkSubmission(view.state.values);
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      await ack({
        response_action: "errors",
        errors: { [error.field ?? BlockId.linkChatId]: error.message },
      });
      return;
    }
    await ack({ response_action: "update", view: progressModal(TITLE, "Linking the chat…") });
    const workspaceId = workspaceIdOf(context);
    const userId = body.user.id;
    let shown: ReturnType<typeof linkedMessage>;
    try {
      // Checked again: the modal could have been opened before the user lost the role.
      if (!(await isWorkspaceAdmin(client, userId, workspaceId))) {
        throw new PermissionError(
          "Only workspace admins and owners can choose which WhatsApp chats are mirrored.",
        );
      }
      const chatName = await chatNameFor(deps, workspaceId, ctx.sessionId, chosen.chatJid);
      const result = await deps.useCases.links.link(
        {
          workspaceId,
          channelId: ctx.channelId,
          chatJid: chosen.chatJid,
          sessionId: ctx.sessionId,
          sendReactions: chosen.sendReactions,
          by: userId,
        },
        createSlackLinkAnnouncer(client, chatName),
      );
      shown = linkedMessage(result, chatName);
    } catch (error) {
      deps.logger.info({ err: error, team: workspaceId }, "a WhatsApp chat could not be linked");
      shown = errorMessage(error);
    }
    await deps.deliver.inModal(
      client,
      view.id,
      outcomeModal(TITLE, shown),
      { userId, channelId: ctx.channelId, responseUrl: ctx.responseUrl },
      shown,
    );
  };
}
