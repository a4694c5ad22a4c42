import { describe, expect, it } from "vitest";
import { checkApiKey, checkSessionId, checkVisibility } from "../../src/domain/workspace-settings.js";
import { UserInputError } from "../../src/errors.js";

function refusal(check: () => unknown): UserInputError {
  try {
    check();
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error("expected a UserInputError, but the value was accepted");
}

describe("workspace settings rules", () => {
  const secretLooking = "wa_live_secret_0123456789";

  it.each([
    ["", "The API key is empty. Paste the gateway API key (it starts with wa_)."],
    ["sk_live_0123456789", "That is not a gateway API key: keys start with wa_."],
    ["wa_live_01 23456789", "An API key has no spaces, line breaks or accented letters. Paste it again."],
    [
      `${secretLooking}\n${secretLooking}`,
      "An API key has no spaces, line breaks or accented letters. Paste it again.",
    ],
    ["wa_clé_0123456789", "An API key has no spaces, line breaks or accented letters. Paste it again."],
    ["wa_1", "The API key is too short. Paste the whole key."],
    [`wa_${"x".repeat(600)}`, "The API key is too long (at most 512 characters). Paste only the key."],
  ])(
    "when the key is %j, then it is refused on the api_key field with words that never repeat it",
    (raw, words) => {
      const error = refusal(() => checkApiKey(raw));
      expect(error.field).toBe("api_key");
      expect(error.message).toBe(words);
      if (raw.length > 4) expect(error.message).not.toContain(raw.trim().slice(3));
    },
  );

  it("when the key has surrounding whitespace, then it is trimmed and accepted", () => {
    expect(checkApiKey("  wa_live_0123456789\n")).toBe("wa_live_0123456789");
  });

  it("when the session id is blank, then it means no default session", () => {
    expect(checkSessionId("   ")).toBeNull();
    expect(checkSessionId(" 01HZXSESSION ")).toBe("01HZXSESSION");
  });

  it.each([
    ["01HZX SESSION", "A session id has no spaces."],
    ["x".repeat(201), "A session id has at most 200 characters."],
  ])("when the session id is %j, then it is refused on the session field", (raw, words) => {
    const error = refusal(() => checkSessionId(raw));
    expect(error.field).toBe("session");
    expect(error.message).toBe(words);
  });

  it("when the visibility is not one of the two, then it is refused naming both", () => {
    expect(checkVisibility("channel")).toBe("channel");
    expect(checkVisibility("ephemeral")).toBe("ephemeral");
    const error = refusal(() => checkVisibility("everyone"));
    expect(error.field).toBe("visibility");
    expect(error.message).toBe(
      'Choose where confirmations go: "ephemeral" (only the person who acted) or "channel".',
    );
  });
});
