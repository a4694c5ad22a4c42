import { describe, expect, it } from "vitest";
import { HELP_LINES } from "../../../src/domain/command.js";
import type { Action, MessageRef } from "../../../src/domain/types.js";
import { NotConfiguredError, UserInputError } from "../../../src/errors.js";
import { GatewayApiError, GatewayUnavailableError } from "../../../src/gateway/errors.js";
import type { SectionBlock } from "../../../src/slack/blocks/block-kit.js";
import { configSavedMessage } from "../../../src/slack/blocks/config-saved.js";
import {
  confirmationMessage,
  errorMessage,
  helpMessage,
  type SlackMessage,
  statusMessage,
  workingMessage,
} from "../../../src/slack/blocks/messages.js";
import { assertBlockKitLimits } from "./block-kit-limits.js";
import { DIRECT_JID, GROUP_JID, longOption } from "./fixtures.js";

const TARGET: MessageRef = { sessionId: "s1", chat: GROUP_JID, messageId: "3EB0C431", sender: "" };

/** Everything a reader sees: the blocks' texts, in order. */
function shown(message: SlackMessage): string {
  return JSON.stringify(message.blocks);
}

function confirm(
  action: Action,
  overrides: Partial<{ target: MessageRef; status: string | undefined }> = {},
) {
  const result = {
    mode: "sync",
    ...("status" in overrides ? { status: overrides.status } : { status: "sent" }),
  };
  return confirmationMessage({ action, target: overrides.target ?? TARGET, result, userId: "U0123ABCD" });
}

describe("confirmationMessage", () => {
  it("when a reaction was sent, then it names the emoji and its shortcode, the group chat, the user and the status", () => {
    const message = confirm({ op: "react", emoji: "👍" });
    const text = shown(message);
    expect(text).toContain("👍");
    expect(text).toContain("`:+1:`");
    expect(text).toContain(`the WhatsApp group \`${GROUP_JID}\``);
    expect(text).toContain("<@U0123ABCD>");
    expect(text).toContain("*sent*");
    expect(message.text).toContain("👍");
    expect(message.text).toContain("<@U0123ABCD>");
    assertBlockKitLimits(message);
  });

  it("when the chat is a direct chat, then it says so in plain words", () => {
    const text = shown(confirm({ op: "react", emoji: "👍" }, { target: { ...TARGET, chat: DIRECT_JID } }));
    expect(text).toContain(`the direct chat with \`${DIRECT_JID}\``);
  });

  it("when a reaction was removed, then it says 'Reaction removed'", () => {
    expect(confirm({ op: "unreact" }).text).toContain("Reaction removed");
  });

  it("when a vote was sent, then it lists the voted options with their exact text", () => {
    const long = longOption(0);
    const message = confirm({ op: "vote", options: ["Pizza", long] });
    expect(shown(message)).toContain("“Pizza”");
    expect(shown(message)).toContain(`“${long}”`);
    assertBlockKitLimits(message);
  });

  it("when a vote was cleared, then it says 'Vote cleared'", () => {
    expect(confirm({ op: "vote", options: [] }).text).toContain("Vote cleared");
  });

  it("when the gateway gave no status word, then the confirmation says 'accepted'", () => {
    const message = confirm({ op: "unreact" }, { status: undefined });
    expect(shown(message)).toContain("*accepted*");
  });

  it("when an option holds Slack markup, then it is escaped and cannot mention anyone", () => {
    const message = confirm({ op: "vote", options: ["<!channel> & co"] });
    expect(shown(message)).toContain("&lt;!channel&gt; &amp; co");
    expect(shown(message)).not.toContain("<!channel>");
  });
});

describe("errorMessage", () => {
  it("when the gateway refuses, then the summary is shown and the context line has its code and message", () => {
    const error = new GatewayApiError({
      method: "POST",
      url: "https://gw/api",
      status: 404,
      code: "not_found",
      message: "Message not found",
    });
    const message = errorMessage(error);
    expect(message.blocks[0]).toMatchObject({ type: "section" });
    expect(message.blocks[1]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "`not_found` · Message not found" }],
    });
    expect(message.text).toMatch(/wasn't found/);
    assertBlockKitLimits(message);
  });

  it("when the input was wrong, then the usage line is shown in code format", () => {
    const message = errorMessage(
      new UserInputError("Give an emoji.", { usage: "/wa react <target> <emoji>" }),
    );
    expect(shown(message)).toContain("Usage: `/wa react &lt;target&gt; &lt;emoji&gt;`");
  });

  it("when the workspace isn't configured, then the context line shows not_configured", () => {
    const message = errorMessage(new NotConfiguredError("T1"));
    expect(message.blocks[1]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "`not_configured`" }],
    });
    expect(shown(message)).toContain("/wa config");
  });

  it("when the gateway can't be reached, then the code is gateway_unreachable", () => {
    expect(shown(errorMessage(new GatewayUnavailableError("POST", "https://gw", "timeout")))).toContain(
      "`gateway_unreachable`",
    );
  });

  it("when the error is unknown, then its text is not shown", () => {
    const message = errorMessage(new Error("secret internals"));
    expect(JSON.stringify(message)).not.toContain("secret internals");
    expect(shown(message)).toContain("`internal_error`");
  });
});

describe("helpMessage", () => {
  it("when help is asked for, then every help line and the three shortcuts by name are shown", () => {
    const message = helpMessage();
    const text = message.blocks
      .map((b) => (b.type === "section" ? (b as SectionBlock).text?.text : ""))
      .join("\n");
    for (const line of HELP_LINES) {
      expect(text).toContain(line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    }
    for (const name of ["React on WhatsApp", "Remove WhatsApp reaction", "Vote in WhatsApp poll"]) {
      expect(text).toContain(name);
    }
    assertBlockKitLimits(message);
  });
});

describe("statusMessage", () => {
  const config = {
    maskedKey: "wa_…1a2b",
    defaultSessionId: "01HZX",
    visibility: "ephemeral" as const,
    updatedBy: "cli",
    updatedAt: new Date("2024-05-01T12:00:00Z"),
  };

  it("when the workspace has no configuration, then it says an admin must run /wa config and the gateway was not checked", () => {
    const message = statusMessage({ workspaceId: "T1", gateway: { kind: "skipped" } });
    expect(shown(message)).toContain("A workspace admin must run `/wa config`");
    expect(shown(message)).toContain("not checked");
    assertBlockKitLimits(message);
  });

  it("when configured and the gateway answers, then the masked key, session, visibility, who and when are shown", () => {
    const message = statusMessage({
      workspaceId: "T1",
      config,
      gateway: { kind: "ok", sessionId: "01HZX", sessionStatus: "working", canRead: true },
    });
    const text = shown(message);
    expect(text).toContain("`wa_…1a2b`");
    expect(text).toContain("`01HZX`");
    expect(text).toContain("shown only to the person who acted");
    expect(text).toContain("the operator CLI");
    expect(text).toContain("<!date^1714564800^{date_short_pretty} {time}|2024-05-01 12:00 UTC>");
    expect(text).toContain("The gateway answers and knows session `01HZX` (working).");
    assertBlockKitLimits(message);
  });

  it("when the key may not read sessions, then the status says the gateway accepts the key and why no state is shown", () => {
    const text = shown(
      statusMessage({
        workspaceId: "T1",
        config,
        gateway: { kind: "ok", sessionId: "01HZX", canRead: false },
      }),
    );
    expect(text).toContain("The gateway answers and accepts the key (it has no `read` permission");
  });

  it("when the gateway check failed, then the described error and its code are shown", () => {
    const error = new GatewayApiError({
      method: "GET",
      url: "u",
      status: 401,
      code: "unauthorized",
      message: "bad",
    });
    const text = shown(statusMessage({ workspaceId: "T1", config, gateway: { kind: "failed", error } }));
    expect(text).toContain("`unauthorized`");
    expect(text).toContain("/wa config");
  });

  it("when a Slack user changed the settings, then they are mentioned", () => {
    const text = shown(
      statusMessage({
        workspaceId: "T1",
        config: { ...config, updatedBy: "U0ADMIN" },
        gateway: { kind: "skipped" },
      }),
    );
    expect(text).toContain("<@U0ADMIN>");
  });
});

describe("configSavedMessage", () => {
  it("when settings were saved, then the masked key is shown and nothing else of the key", () => {
    const message = configSavedMessage({
      maskedKey: "wa_…9z9z",
      defaultSessionId: undefined,
      visibility: "channel",
      updatedBy: "U0ADMIN",
      updatedAt: new Date(0),
    });
    expect(shown(message)).toContain("`wa_…9z9z`");
    expect(shown(message)).toContain("posted in the channel");
    assertBlockKitLimits(message);
  });
});

describe("workingMessage", () => {
  it.each<[Action, string]>([
    [{ op: "react", emoji: "👍" }, "Sending 👍 to WhatsApp…"],
    [{ op: "unreact" }, "Removing your reaction on WhatsApp…"],
    [{ op: "vote", options: ["A"] }, "Sending your vote to WhatsApp…"],
    [{ op: "vote", options: [] }, "Clearing your vote on WhatsApp…"],
  ])("when %o is about to be sent, then the note says %s", (action, text) => {
    const message = workingMessage(action);
    expect(message.text).toBe(text);
    assertBlockKitLimits(message);
  });
});
