// Links between WhatsApp chats and Slack channels: made, listed and removed the same way from Slack
// (`/wa link`) and from the operator CLI. A chat is mirrored into at most one channel per workspace.
import { TargetError } from "../errors.js";
import type { LinkRecord } from "../store/mirror-port.js";
import type { Store } from "../store/port.js";
import type { WorkspaceDirectory } from "./workspace-directory.js";

/**
 * Tells a channel that it now mirrors a chat. Posting that note is also the check that the app can post
 * there: it throws ChannelAccessError (with what to do) when it cannot.
 */
export interface LinkAnnouncer {
  announce(link: LinkRecord): Promise<void>;
}

export interface LinkRequest {
  workspaceId: string;
  channelId: string;
  chatJid: string;
  /** Absent: the workspace's default session. */
  sessionId?: string | undefined;
  sendReactions: boolean;
  /** Slack user id, or "cli". */
  by: string;
}

export interface LinkResult {
  link: LinkRecord;
  /** The channel the chat was mirrored into before, when the link moved it. */
  movedFrom: string | undefined;
}

export interface Links {
  link(request: LinkRequest, announcer: LinkAnnouncer): Promise<LinkResult>;
  /** Removes the channel's links (only that chat's when given); returns what was removed. */
  unlink(workspaceId: string, channelId: string, chatJid?: string): Promise<LinkRecord[]>;
  list(workspaceId: string, channelId?: string): Promise<LinkRecord[]>;
}

export function createLinks(deps: {
  store: Pick<Store, "putLink" | "getLink" | "listLinks" | "deleteLinks">;
  workspaces: Pick<WorkspaceDirectory, "get">;
  clock?: () => Date;
}): Links {
  const clock = deps.clock ?? (() => new Date());
  return {
    async link(request, announcer) {
      const sessionId =
        request.sessionId ?? (await deps.workspaces.get(request.workspaceId))?.defaultSessionId;
      if (!sessionId) {
        throw new TargetError(
          "no_session",
          "No WhatsApp session was given and the workspace has no default session",
        );
      }
      const key = { workspaceId: request.workspaceId, sessionId, chatJid: request.chatJid };
      const before = await deps.store.getLink(key);
      const link: LinkRecord = {
        ...key,
        channelId: request.channelId,
        sendReactions: request.sendReactions,
        pausedReason: null,
        createdBy: request.by,
        createdAt: clock(),
      };
      // Announced first: a link the app cannot post into is refused, not left to fail on every message.
      await announcer.announce(link);
      await deps.store.putLink(link);
      const movedFrom =
        before !== undefined && before.channelId !== link.channelId ? before.channelId : undefined;
      return { link, movedFrom };
    },

    async unlink(workspaceId, channelId, chatJid) {
      const existing = await deps.store.listLinks(workspaceId, channelId);
      const removed = existing.filter((l) => chatJid === undefined || l.chatJid === chatJid);
      if (removed.length > 0) await deps.store.deleteLinks(workspaceId, channelId, chatJid);
      return removed;
    },

    list: (workspaceId, channelId) => deps.store.listLinks(workspaceId, channelId),
  };
}
