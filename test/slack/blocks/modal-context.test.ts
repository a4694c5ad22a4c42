import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/errors.js";
import { decodeModalContext, encodeModalContext } from "../../../src/slack/blocks/modal-context.js";
import { makeContext, SMALL_SINGLE, worstPoll } from "./fixtures.js";

describe("modal context", () => {
  it("when a context is encoded and decoded, then the same context comes back", () => {
    const ctx = makeContext(SMALL_SINGLE);
    expect(decodeModalContext(encodeModalContext(ctx))).toEqual(ctx);
  });

  it("when optional parts are absent, then they stay absent after the round trip", () => {
    const ctx = {
      workspaceId: "T1",
      userId: "U1",
      target: { sessionId: "s", chat: "1@g.us", messageId: "m", sender: "" },
    };
    const decoded = decodeModalContext(encodeModalContext(ctx));
    expect(decoded).toEqual(ctx);
    expect(Object.keys(decoded).sort()).toEqual(["target", "userId", "workspaceId"]);
  });

  it("when the poll is WhatsApp's largest (12 options of 100 characters, long name), then it fits in 3000 characters unchanged", () => {
    const ctx = makeContext(worstPoll(3));
    const text = encodeModalContext(ctx);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(decodeModalContext(text).poll).toEqual(ctx.poll);
  });

  it("when the context cannot fit in 3000 characters, then encoding refuses with a UserInputError instead of cutting", () => {
    // Control characters take six characters each in JSON: 12 such options cannot fit.
    const poll = {
      name: "Odd",
      options: Array.from({ length: 12 }, (_, i) => `${i}${"\u0001".repeat(99)}`),
      selectableCount: 0,
    };
    expect(() => encodeModalContext(makeContext(poll))).toThrow(UserInputError);
    expect(() => encodeModalContext(makeContext(poll))).toThrow(/too long/);
  });

  it.each([
    ["not JSON", "{nope"],
    ["JSON of another shape", JSON.stringify({ workspaceId: "T1" })],
    ["an older wire version", JSON.stringify({ v: 0, w: "T", u: "U", t: { s: "", c: "", m: "", f: "" } })],
    ["an empty string", ""],
    [
      "a poll with a negative count",
      JSON.stringify({ v: 1, w: "T", u: "U", t: { s: "", c: "", m: "", f: "" }, p: { n: "", o: [], k: -1 } }),
    ],
  ])("when private_metadata is %s, then decoding throws 'out of date' as a UserInputError", (_, text) => {
    expect(() => decodeModalContext(text)).toThrow(UserInputError);
    expect(() => decodeModalContext(text)).toThrow(/out of date, open it again/);
  });
});
