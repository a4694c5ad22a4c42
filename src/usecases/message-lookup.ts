// The port for "which WhatsApp message does this Slack message stand for". Implemented in slack/ by
// reading the Slack message's metadata, and by the mirror's own map of the messages it posted.
import type { SlackMessageLink, WhatsAppMessage } from "../domain/types.js";

export interface MessageLookup {
  /**
   * The WhatsApp message the Slack message at `link` stands for. `knownMetadata` is the Slack message's
   * metadata when the request carried it. Throws TargetError when the message cannot be read or stands
   * for none.
   */
  find(link: SlackMessageLink, knownMetadata?: unknown): Promise<WhatsAppMessage>;
}
