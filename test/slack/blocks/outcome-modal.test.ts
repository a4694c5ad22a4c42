import { describe, expect, it } from "vitest";
import { errorMessage } from "../../../src/slack/blocks/messages.js";
import { outcomeModal, progressModal } from "../../../src/slack/blocks/outcome-modal.js";
import { assertBlockKitLimits } from "./block-kit-limits.js";

describe("progressModal and outcomeModal", () => {
  it("when work starts, then the progress modal shows the text, has no submit and closes with 'Close'", () => {
    const view = progressModal("React on WhatsApp", "Sending 👍 to WhatsApp…");
    expect(view.submit).toBeUndefined();
    expect(view.close?.text).toBe("Close");
    expect(JSON.stringify(view.blocks)).toContain("Sending 👍 to WhatsApp…");
    assertBlockKitLimits(view);
  });

  it("when the result is in, then the outcome modal shows the message's blocks and closes with 'Done'", () => {
    const message = errorMessage(new Error("x"));
    const view = outcomeModal("Vote in WhatsApp poll", message);
    expect(view.blocks).toEqual(message.blocks);
    expect(view.close?.text).toBe("Done");
    expect(view.submit).toBeUndefined();
    assertBlockKitLimits(view);
  });

  it("when a title is longer than 24 characters, then it is shortened to fit", () => {
    const view = progressModal("A title that is much too long for Slack", "…");
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.title.text.endsWith("…")).toBe(true);
  });
});
