import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InputBlock, ModalView } from "../../../src/slack/blocks/block-kit.js";
import { configModal, parseConfigSubmission } from "../../../src/slack/blocks/config-modal.js";
import { ActionId, BlockId, ViewId } from "../../../src/slack/ids.js";
import { assertBlockKitLimits } from "./block-kit-limits.js";
import { configValues } from "./fixtures.js";

function input(view: ModalView, blockId: string): InputBlock {
  const block = view.blocks.find((b) => "block_id" in b && b.block_id === blockId);
  if (block?.type !== "input") throw new Error(`no input block ${blockId}`);
  return block as InputBlock;
}

describe("configModal", () => {
  const current = { maskedKey: "wa_…1a2b", defaultSessionId: "01HZX", visibility: "channel" as const };

  it("when a key exists, then the key field is empty, optional, and its hint shows the masked key", () => {
    const view = configModal(current);
    expect(view.callback_id).toBe(ViewId.config);
    const key = input(view, BlockId.apiKey);
    expect(key.optional).toBe(true);
    expect(key.element).toMatchObject({ type: "plain_text_input", action_id: ActionId.apiKeyInput });
    expect(key.element).not.toHaveProperty("initial_value");
    expect(key.hint?.text).toContain("Leave empty to keep the current key wa_…1a2b");
    assertBlockKitLimits(view);
  });

  it("when no key exists yet, then the key field is required", () => {
    expect(input(configModal({ visibility: "ephemeral" }), BlockId.apiKey).optional).toBe(false);
  });

  it("when opened, then the session is prefilled and the visibility radio shows the current choice", () => {
    const view = configModal(current);
    expect(input(view, BlockId.session).element).toMatchObject({
      type: "plain_text_input",
      action_id: ActionId.sessionInput,
      initial_value: "01HZX",
    });
    expect(input(view, BlockId.session).optional).toBe(true);
    const visibility = input(view, BlockId.visibility).element;
    expect(visibility).toMatchObject({
      type: "radio_buttons",
      action_id: ActionId.visibilityInput,
      initial_option: { value: "channel" },
    });
    expect(JSON.stringify(visibility)).toContain("Post confirmations in the channel");
    expect(JSON.stringify(visibility)).toContain("Only to the person who acted");
    expect(
      input(configModal({ ...current, visibility: "ephemeral" }), BlockId.visibility).element,
    ).toMatchObject({
      initial_option: { value: "ephemeral" },
    });
  });

  it("when there is no default session, then the session field has no initial value", () => {
    expect(input(configModal({ visibility: "channel" }), BlockId.session).element).not.toHaveProperty(
      "initial_value",
    );
  });
});

describe("parseConfigSubmission", () => {
  it("when a key, session and visibility are given, then they come back trimmed", () => {
    expect(
      parseConfigSubmission(
        configValues({ apiKey: " wa_abcdef123456 ", session: " 01HZX ", visibility: "channel" }),
      ),
    ).toEqual({
      ok: true,
      value: { apiKey: "wa_abcdef123456", defaultSessionId: "01HZX", visibility: "channel" },
    });
  });

  it("when the key and session are left empty, then the key is kept (absent) and the session cleared (null)", () => {
    const parsed = parseConfigSubmission(configValues({ visibility: "ephemeral" }));
    expect(parsed).toEqual({ ok: true, value: { defaultSessionId: null, visibility: "ephemeral" } });
    expect(parsed.ok && "apiKey" in parsed.value).toBe(false);
  });

  it.each([
    ["does not start with wa_", "sk_abcdef123456"],
    ["holds a space", "wa_abc def123"],
    ["is too short", "wa_abc"],
    ["is too long", `wa_${"a".repeat(600)}`],
    ["holds a non-ASCII character", "wa_abcdéf123456"],
  ])("when the key %s, then the error is on api_key and does not repeat the key", (_, apiKey) => {
    const parsed = parseConfigSubmission(configValues({ apiKey, visibility: "channel" }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors)).toEqual([BlockId.apiKey]);
    expect(parsed.errors[BlockId.apiKey]).not.toContain(apiKey.trim().slice(3, 9));
  });

  it("when the session holds a space or is longer than 200 characters, then the error is on session", () => {
    for (const session of ["my session", "s".repeat(201)]) {
      const parsed = parseConfigSubmission(configValues({ session, visibility: "channel" }));
      expect(parsed.ok ? {} : parsed.errors).toHaveProperty(BlockId.session);
    }
    expect(parseConfigSubmission(configValues({ session: "s".repeat(200), visibility: "channel" })).ok).toBe(
      true,
    );
  });

  it("when the visibility is missing or unknown, then the error is on visibility", () => {
    for (const visibility of [null, "everyone"]) {
      const parsed = parseConfigSubmission(configValues({ visibility }));
      expect(parsed).toEqual({ ok: false, errors: { [BlockId.visibility]: expect.any(String) } });
    }
  });

  it("when several fields are wrong, then each gets its own error", () => {
    const parsed = parseConfigSubmission(configValues({ apiKey: "nope", session: "a b", visibility: null }));
    expect(parsed.ok ? [] : Object.keys(parsed.errors).sort()).toEqual(
      [BlockId.apiKey, BlockId.session, BlockId.visibility].sort(),
    );
  });

  it("when values has any shape at all, then a result comes back and nothing is thrown", () => {
    const entry = fc.oneof(
      fc.anything(),
      fc.record(
        {
          value: fc.oneof(fc.string(), fc.anything()),
          selected_option: fc.oneof(fc.anything(), fc.record({ value: fc.string() })),
        },
        { requiredKeys: [] },
      ),
    );
    const values = fc.oneof(
      fc.anything({ withNullPrototype: true }),
      fc.dictionary(
        fc.constantFrom(...Object.values(BlockId), "__proto__"),
        fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...Object.values(ActionId), "valueOf"), entry)),
      ),
    );
    fc.assert(
      fc.property(values, (v) => {
        const parsed = parseConfigSubmission(v);
        if (parsed.ok) {
          expect(["channel", "ephemeral"]).toContain(parsed.value.visibility);
          if (parsed.value.apiKey !== undefined) expect(parsed.value.apiKey).toMatch(/^wa_\S+$/);
        } else {
          expect(Object.keys(parsed.errors).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
