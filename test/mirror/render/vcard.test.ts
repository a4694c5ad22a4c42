import { describe, expect, it } from "vitest";
import { nameFromVcard, phonesFromVcard } from "../../../src/mirror/render/vcard.js";

describe("phonesFromVcard", () => {
  it("when the card has a WhatsApp number, then the number is read as written", () => {
    const card =
      "BEGIN:VCARD\nVERSION:3.0\nFN:Bengkel Jaya\nTEL;type=CELL;waid=6281300000000:+62 813-0000-0000\nEND:VCARD";
    expect(phonesFromVcard(card)).toEqual(["+62 813-0000-0000"]);
  });

  it("when numbers are grouped, quoted, folded or repeated, then each is read once", () => {
    const card = [
      "BEGIN:VCARD",
      "item1.TEL;waid=6281:+62 81",
      "item1.X-ABLabel:Mobile",
      'TEL;TYPE="work:main":+62 21 555',
      "TEL:+62 81",
      "tel;type=home:+1 202",
      " 555 0100",
      "END:VCARD",
    ].join("\r\n");
    expect(phonesFromVcard(card)).toEqual(["+62 81", "+62 21 555", "+1 202555 0100"]);
  });

  it("when the card has no number or is not a card, then there are none", () => {
    expect(phonesFromVcard("BEGIN:VCARD\nFN:x\nEND:VCARD")).toEqual([]);
    expect(phonesFromVcard("")).toEqual([]);
    expect(phonesFromVcard("TELEGRAM:@x")).toEqual([]);
  });

  it("when a card lists dozens of numbers, then ten are kept", () => {
    const card = Array.from({ length: 30 }, (_, i) => `TEL:+${i}`).join("\n");
    expect(phonesFromVcard(card)).toHaveLength(10);
  });
});

describe("nameFromVcard", () => {
  it("when the card has FN, then it is the name; without, there is none", () => {
    expect(nameFromVcard("BEGIN:VCARD\nN:Jaya;Bengkel\nFN:Bengkel Jaya\nEND:VCARD")).toBe("Bengkel Jaya");
    expect(nameFromVcard("BEGIN:VCARD\nEND:VCARD")).toBeUndefined();
  });
});
