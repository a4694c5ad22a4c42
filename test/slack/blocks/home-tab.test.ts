import { describe, expect, it } from "vitest";
import type { ActionsBlock } from "../../../src/slack/blocks/block-kit.js";
import { homeView } from "../../../src/slack/blocks/home-tab.js";
import { ActionId } from "../../../src/slack/ids.js";
import type { AuditRecord } from "../../../src/store/port.js";
import { assertBlockKitLimits } from "./block-kit-limits.js";
import { GROUP_JID, longOption } from "./fixtures.js";

const config = {
  maskedKey: "wa_…1a2b",
  defaultSessionId: "01HZX",
  visibility: "channel" as const,
  updatedBy: "U0ADMIN",
  updatedAt: new Date("2024-05-01T12:00:00Z"),
};

function record(id: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id,
    workspaceId: "T1",
    userId: "U0MEMBER",
    operation: "react",
    sessionId: "01HZX",
    chat: GROUP_JID,
    messageId: `M${id}`,
    emoji: "👍",
    outcome: { ok: true, status: "sent" },
    at: new Date("2024-05-02T08:30:00Z"),
    ...overrides,
  };
}

describe("homeView", () => {
  it("when configured and viewed by an admin, then settings, who and when, and a Configure button are shown", () => {
    const view = homeView({ config, isAdmin: true, recent: [] });
    const json = JSON.stringify(view);
    expect(view.type).toBe("home");
    expect(json).toContain("connected to WhatsApp");
    expect(json).toContain("`wa_…1a2b`");
    expect(json).toContain("`01HZX`");
    expect(json).toContain("posted in the channel");
    expect(json).toContain("<@U0ADMIN>");
    expect(json).toContain("<!date^1714564800^{date_short_pretty} {time}|2024-05-01 12:00 UTC>");
    const button = view.blocks.flatMap((b) => (b.type === "actions" ? (b as ActionsBlock).elements : []));
    expect(button).toEqual([expect.objectContaining({ type: "button", action_id: ActionId.openConfig })]);
    assertBlockKitLimits(view);
  });

  it("when viewed by a member, then there is no Configure button but a how-to with the command and the three shortcuts", () => {
    const view = homeView({ config, isAdmin: false, recent: [] });
    const json = JSON.stringify(view);
    expect(json).not.toContain(ActionId.openConfig);
    expect(json).toContain("/wa help");
    for (const name of ["React on WhatsApp", "Remove WhatsApp reaction", "Vote in WhatsApp poll"]) {
      expect(json).toContain(name);
    }
    assertBlockKitLimits(view);
  });

  it("when the workspace is not configured, then it says so", () => {
    const view = homeView({ isAdmin: true, recent: [] });
    expect(JSON.stringify(view)).toContain("isn't connected to WhatsApp yet");
    assertBlockKitLimits(view);
  });

  it("when the CLI changed the settings, then it says 'the operator CLI'", () => {
    expect(
      JSON.stringify(homeView({ config: { ...config, updatedBy: "cli" }, isAdmin: false, recent: [] })),
    ).toContain("the operator CLI");
  });

  it("when there are recent actions, then each shows who, what, which chat and the outcome", () => {
    const recent = [
      record(1),
      record(2, { operation: "unreact", emoji: undefined }),
      record(3, { operation: "vote", emoji: undefined, options: ["Pizza"] }),
      record(4, { operation: "vote", emoji: undefined, options: [] }),
      record(5, { outcome: { ok: false, errorCode: "rate_limited" } }),
    ];
    const json = JSON.stringify(homeView({ config, isAdmin: false, recent }));
    expect(json).toContain("<@U0MEMBER> reacted 👍");
    expect(json).toContain("removed a reaction");
    expect(json).toContain("voted “Pizza”");
    expect(json).toContain("cleared a vote");
    expect(json).toContain("failed `rate_limited`");
    expect(json).toContain("*sent*");
    expect(json).toContain(`the WhatsApp group \`${GROUP_JID}\``);
  });

  it("when there are many long audit rows, then at most 10 are shown and every limit holds", () => {
    const options = Array.from({ length: 12 }, (_, i) => longOption(i));
    const recent = Array.from({ length: 50 }, (_, i) =>
      record(i, { operation: "vote", emoji: undefined, options, chat: `${"9".repeat(200)}@g.us` }),
    );
    const view = homeView({ config, isAdmin: true, recent });
    const rows = view.blocks.filter((b) => b.type === "context" && JSON.stringify(b).includes("voted"));
    expect(rows).toHaveLength(10);
    assertBlockKitLimits(view);
  });
});
