// The note an admin gets after saving the settings modal: what is now in force, key masked.
import type { ShownConfig, SlackMessage } from "./messages.js";
import { configLines } from "./messages.js";

export function configSavedMessage(config: ShownConfig): SlackMessage {
  return {
    text: "WhatsApp settings saved.",
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: [":white_check_mark: *WhatsApp settings saved.*", ...configLines(config)].join("\n"),
        },
      },
    ],
  };
}
