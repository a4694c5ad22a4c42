// What replaces a submitted form inside the user's own modal: first "Sending…", then the result.
// Showing the result there keeps it private to the user (interface.md: an open modal is ephemeral).
import type { ModalView } from "./block-kit.js";
import { LIMITS, shorten } from "./format.js";
import type { SlackMessage } from "./messages.js";

/** `text` is the app's own mrkdwn (a working message's text), shown as written. */
export function progressModal(title: string, text: string): ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: shorten(title, LIMITS.viewTitle) },
    close: { type: "plain_text", text: "Close" },
    blocks: [{ type: "section", text: { type: "mrkdwn", text: shorten(text, LIMITS.sectionText) } }],
  };
}

export function outcomeModal(title: string, message: SlackMessage): ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: shorten(title, LIMITS.viewTitle) },
    close: { type: "plain_text", text: "Done" },
    // A message allows 50 blocks and a modal 100, so a message's blocks always fit.
    blocks: message.blocks,
  };
}
