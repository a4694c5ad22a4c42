// The session's WhatsApp chats by name, so nobody has to find a JID by hand when linking. It needs a key
// with `read`; without one, the caller asks for the chat id instead.
import { chatIdRefusal } from "../domain/chat-id.js";
import { NotConfiguredError, TargetError } from "../errors.js";
import { GatewayApiError } from "../gateway/errors.js";
import type { GatewayClient } from "../gateway/types.js";
import type { FairLimiter } from "./fair-limiter.js";
import type { WorkspaceDirectory } from "./workspace-directory.js";

export interface LinkableChat {
  jid: string;
  /** The group's subject or the contact's name; the JID when the gateway knows no name. */
  name: string;
  isGroup: boolean;
}

export type ChatListing =
  | { kind: "chats"; sessionId: string; chats: LinkableChat[] }
  /** The key may not read chats (no `read` permission). */
  | { kind: "no_read"; sessionId: string };

export type ListLinkableChats = (workspaceId: string, sessionId?: string) => Promise<ChatListing>;

export function createChatDirectory(deps: {
  workspaces: Pick<WorkspaceDirectory, "get">;
  gateway: Pick<GatewayClient, "listChats">;
  limiter: FairLimiter;
}): ListLinkableChats {
  return async (workspaceId, requestedSession) => {
    const config = await deps.workspaces.get(workspaceId);
    if (!config?.apiKey) throw new NotConfiguredError(workspaceId);
    const sessionId = requestedSession ?? config.defaultSessionId;
    if (!sessionId) {
      throw new TargetError(
        "no_session",
        "No WhatsApp session was given and the workspace has no default session",
      );
    }
    const apiKey = config.apiKey;
    try {
      const chats = await deps.limiter.run(workspaceId, () => deps.gateway.listChats(apiKey, sessionId));
      const linkable = chats
        .filter((chat) => chatIdRefusal(chat.jid) === undefined)
        .map((chat) => ({
          jid: chat.jid,
          name: chat.name?.trim() || chat.jid,
          isGroup: chat.jid.endsWith("@g.us"),
        }))
        // Groups first (what teams usually mirror), then by name.
        .sort((a, b) => Number(b.isGroup) - Number(a.isGroup) || a.name.localeCompare(b.name));
      return { kind: "chats", sessionId, chats: linkable };
    } catch (error) {
      if (error instanceof GatewayApiError && error.status === 403) return { kind: "no_read", sessionId };
      throw error;
    }
  };
}
