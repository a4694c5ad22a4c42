import { describe, expect, it } from "vitest";
import { reactionsBlock } from "../../../src/mirror/render/reactions.js";
import { render, textContent } from "./fixtures.js";

function line(reactions: Parameters<typeof reactionsBlock>[0]): string | undefined {
  const [block] = reactionsBlock(reactions);
  if (block === undefined) return undefined;
  if (block.type !== "context") throw new Error("not a context block");
  const [element] = block.elements;
  return element && "text" in element ? element.text : undefined;
}

describe("the reactions line", () => {
  it("when people reacted, then one line lists who reacted with what", () => {
    expect(
      line([
        { reactor: "a@lid", name: "Ana", emoji: "👍" },
        { reactor: "b@lid", name: "Budi", emoji: "👍" },
        { reactor: "", name: "", emoji: "❤️" },
      ]),
    ).toBe("👍 Ana, Budi · ❤️ you");
  });

  it("when one reacted with ❤ and another with ❤️, then both are the same heart", () => {
    expect(
      line([
        { reactor: "a@lid", name: "Ana", emoji: "❤" },
        { reactor: "b@lid", name: "Budi", emoji: "❤️" },
      ]),
    ).toBe("❤️ Ana, Budi");
  });

  it("when someone changed their reaction, then only the latest shows", () => {
    expect(
      line([
        { reactor: "a@lid", name: "Ana", emoji: "👍" },
        { reactor: "a@lid", name: "Ana", emoji: "😂" },
      ]),
    ).toBe("😂 Ana");
  });

  it("when a skin tone is used, then it is kept", () => {
    expect(line([{ reactor: "", name: "Office", emoji: "👍🏽" }])).toBe("👍🏽 Office");
  });

  it("when nobody reacted, then there is no line", () => {
    expect(reactionsBlock([])).toEqual([]);
  });

  it("when a name or an 'emoji' is hostile, then it is escaped", () => {
    expect(line([{ reactor: "a", name: "<!here>", emoji: "<@U1>" }])).toBe("&lt;@U1&gt; &lt;!here&gt;");
  });

  it("when a message has reactions, then the line is under it", () => {
    const message = render(textContent("hi"), { reactions: [{ reactor: "a", name: "Ana", emoji: "👍" }] });
    expect(message.blocks.at(-1)).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "👍 Ana" }],
    });
  });
});
