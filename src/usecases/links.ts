// Links between WhatsApp chats and Slack channels: made, listed and removed the same way from Slack
// (`/wa link`) and from the operator CLI. A chat is mirrored into at most one channel per workspace.
import { TargetError } from "../errors.js";
import type { ChatKey, LinkRecord } from "../store/mirror-port.js";
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
  /**
   * Send Slack reactions on its messages to WhatsApp. Undefined keeps what a link of the chat into the
   * same channel had (so linking again to resume a paused channel changes nothing else); a new link is off.
   */
  sendReactions?: boolean | undefined;
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
  store: Pick<Store, "putLink" | "getLink" | "listLinks" | "deleteLinks" | "setChannelPaused">;
  workspaces: Pick<WorkspaceDirectory, "get">;
  /** Has the mirror work through a chat's events kept while its channel was paused. */
  resumeChat?: ((key: ChatKey) => Promise<void>) | undefined;
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
        sendReactions:
          request.sendReactions ?? (before?.channelId === request.channelId ? before.sendReactions : false),
        pausedReason: null,
        createdBy: request.by,
        createdAt: clock(),
      };
      // Announced first: a link the app cannot post into is refused, not left to fail on every message.
      await announcer.announce(link);
      // Read before the new link replaces the named chat's (paused) one.
      const wasPaused = (await deps.store.listLinks(request.workspaceId, request.channelId)).filter(
        (l) => l.pausedReason !== null,
      );
      await deps.store.putLink(link);
      // A pause stops every link into the channel (the app was removed from it), and the admin is told
      // to run `/wa link` there again. The announcement just proved the app can post there, so the
      // channel's other links resume too, not only the one named here.
      await deps.store.setChannelPaused(request.workspaceId, request.channelId, null);
      // The events kept meanwhile go out now, in order, not at the next periodic resume.
      for (const paused of wasPaused) await deps.resumeChat?.(paused);
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
