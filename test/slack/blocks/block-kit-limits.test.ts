// The limit checker must itself be able to fail, or the tests that use it prove nothing.
import { describe, expect, it } from "vitest";
import type { ModalView } from "../../../src/slack/blocks/block-kit.js";
import { blockKitViolations } from "./block-kit-limits.js";

const option = (i: number, text = `o${i}`) => ({
  text: { type: "plain_text" as const, text },
  value: String(i),
});

describe("blockKitViolations", () => {
  it("when a modal breaks the limits, then each broken limit is reported", () => {
    const view: ModalView = {
      type: "modal",
      title: { type: "plain_text", text: "A title longer than twenty-four" },
      private_metadata: "x".repeat(3001),
      blocks: [
        {
          type: "input",
          block_id: "b",
          label: { type: "plain_text", text: "L" },
          element: {
            type: "checkboxes",
            action_id: "a",
            options: [...Array.from({ length: 10 }, (_, i) => option(i)), option(10, "y".repeat(76))],
          },
        },
        { type: "section", block_id: "b", text: { type: "mrkdwn", text: "z".repeat(3001) } },
      ],
    };
    const problems = blockKitViolations(view).join("\n");
    expect(problems).toMatch(/title: 31 chars > 24/);
    expect(problems).toMatch(/private_metadata/);
    expect(problems).toMatch(/checkboxes with 11 options/);
    expect(problems).toMatch(/option text: 76 chars > 75/);
    expect(problems).toMatch(/duplicate block_id b/);
    expect(problems).toMatch(/section text: 3001 chars/);
    expect(problems).toMatch(/no submit button/);
  });

  it("when a message has more than 50 blocks, then it is reported", () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: "divider" as const }));
    expect(blockKitViolations({ text: "t", blocks })).toEqual(["message: 51 blocks"]);
  });
});
