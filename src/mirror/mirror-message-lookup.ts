// The MessageLookup port read from the mirror's own map first: every message the mirror posted is found
// there without calling Slack (conversations.history is limited to one call a minute for apps outside the
// Marketplace). Other Slack messages fall back to the lookup it wraps.
import { readWhatsAppMetadata } from "../domain/metadata.js";
import type { WhatsAppMessage } from "../domain/types.js";
import type { Store } from "../store/port.js";
import type { MessageLookup } from "../usecases/message-lookup.js";
import { readContent } from "./process/content-of.js";

export function createMirrorMessageLookup(deps: {
  store: Pick<Store, "findMirroredBySlack">;
  workspaceId: string;
  fallback: MessageLookup;
}): MessageLookup {
  return {
    async find(link, knownMetadata) {
      if (knownMetadata !== undefined) {
        const read = readWhatsAppMetadata(knownMetadata);
        if (read.ok) return read.message;
      }
      const mapped = await deps.store.findMirroredBySlack(deps.workspaceId, link.channelId, link.ts);
      if (mapped === undefined) return deps.fallback.find(link);
      const message: WhatsAppMessage = {
        sessionId: mapped.sessionId,
        chat: mapped.chatJid,
        messageId: mapped.waMessageId,
        sender: mapped.sender,
      };
      const content = readContent(mapped.content);
      if (content?.kind === "poll") {
        message.poll = {
          name: content.poll.name,
          options: content.poll.options,
          selectableCount: content.poll.selectableCount,
        };
      }
      return message;
    },
  };
}
