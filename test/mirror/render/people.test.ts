import { describe, expect, it } from "vitest";
import { describeJid, personName, posterName } from "../../../src/mirror/render/people.js";

const NOBODY = { pushName: "", senderJid: "", senderLid: "", fromMe: false };

describe("posterName (the Slack username)", () => {
  it("when the sender has a display name, then it is the poster", () => {
    expect(posterName({ ...NOBODY, pushName: "Alice" })).toBe("Alice");
  });

  it("when there is no display name, then the number from the phone JID is", () => {
    expect(posterName({ ...NOBODY, senderJid: "6281234567890@s.whatsapp.net" })).toBe("+6281234567890");
  });

  it("when only a LID is known, then it is shown as an id, not as a phone number", () => {
    expect(posterName({ ...NOBODY, senderLid: "205227043110953@lid" })).toBe("WhatsApp user 205227043110953");
  });

  it("when the account wrote it, then the name is marked as this WhatsApp account", () => {
    expect(posterName({ ...NOBODY, pushName: "Office Phone", fromMe: true })).toBe(
      "Office Phone (this WhatsApp account)",
    );
    expect(posterName({ ...NOBODY, fromMe: true })).toBe("This WhatsApp account");
  });

  it("when nothing is known, then the poster is WhatsApp", () => {
    expect(posterName(NOBODY)).toBe("WhatsApp");
  });

  it("when the name is long, then it fits Slack's 80 characters and keeps the account's mark", () => {
    const long = posterName({ ...NOBODY, pushName: "👩‍💻".repeat(60), fromMe: true });
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/👩‍💻…\s?\(this WhatsApp account\)$/);
    expect(posterName({ ...NOBODY, pushName: "A".repeat(200) }).length).toBe(80);
  });

  it("when the name has line breaks or control characters, then it is one clean line", () => {
    expect(posterName({ ...NOBODY, pushName: " Ana\n\tBudi\u0000 " })).toBe("Ana Budi");
  });
});

describe("personName", () => {
  it("when the caller resolved a name, then it is used; else the number; else 'you' for the account", () => {
    expect(personName("Budi", "1@lid")).toBe("Budi");
    expect(personName("", "6281@s.whatsapp.net")).toBe("+6281");
    expect(personName("", "")).toBe("you");
  });
});

describe("describeJid", () => {
  it("when the JID is not a phone JID, then it is described without inventing a number", () => {
    expect(describeJid("120363021234567890@g.us")).toBe("WhatsApp user 120363021234567890");
    expect(describeJid("@")).toBe("someone");
  });
});
