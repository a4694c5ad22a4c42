import { describe, expect, it } from "vitest";
import {
  contentFromMessage,
  editedContent,
  mirrorContentSchema,
} from "../../../src/mirror/render/content.js";
import { contentOf, payloadOf } from "./fixtures.js";

describe("contentFromMessage", () => {
  it("when a group text reply mentions someone, then the content keeps the text, the reply and the name", () => {
    expect(contentOf("event-message-group-text-reply.json")).toEqual({
      kind: "text",
      body: "@205227043110954 agreed, see you at 7",
      pushName: "Alice",
      senderJid: "6281234567890@s.whatsapp.net",
      senderLid: "205227043110953@lid",
      fromMe: false,
      sentAt: 1752572399000,
      mentions: { "205227043110954@lid": "Budi" },
      quoted: { messageId: "3EB0FFEE001122334455", body: "Dinner tonight?" },
      edited: false,
      revoked: false,
      arrivedLate: false,
      people: {},
    });
  });

  it("when a mention has only a group tag, then the tag is its name; with neither, it is left out", () => {
    const payload = {
      ...payloadOf("event-message-group-text-reply.json"),
      mentions: { "1@lid": { tag: "Bud" }, "2@lid": {} },
    };
    expect(contentFromMessage(payload).mentions).toEqual({ "1@lid": "Bud" });
  });

  it("when the message is a photo, then it is an image with its caption as body", () => {
    expect(contentOf("event-message-image.json")).toMatchObject({ kind: "image", body: "receipt for lunch" });
  });

  it("when a document has no caption, then its body is empty", () => {
    expect(contentOf("event-message-document-no-caption.json")).toMatchObject({ kind: "document", body: "" });
  });

  it("when the message is a location, then it has the place and empty address", () => {
    expect(contentOf("event-message-location.json")).toMatchObject({
      kind: "location",
      location: { latitude: -6.2, longitude: 106.8, name: "Monas", address: "" },
    });
  });

  it("when the message is a contact card, then it has the name and the card's numbers", () => {
    expect(contentOf("event-message-contact-card.json")).toMatchObject({
      kind: "contact",
      contact: { name: "Bengkel Jaya", phones: ["+62 813-0000-0000"] },
    });
  });

  it("when a contact card has no display name, then the body or the card's FN names it", () => {
    const payload = payloadOf("event-message-contact-card.json");
    const noName = { ...payload, contact: { vcard: payload.contact?.vcard }, body: undefined };
    expect(contentFromMessage(noName)).toMatchObject({ contact: { name: "Bengkel Jaya" } });
  });

  it("when the message is a timed multi-choice poll, then every poll field is kept", () => {
    expect(contentOf("event-message-poll-multi-timed.json")).toMatchObject({
      kind: "poll",
      poll: {
        name: "Which days work?",
        options: ["Mon", "Tue", "Wed"],
        selectableCount: 0,
        endTime: 1752659200000,
        hideVotes: true,
      },
    });
  });

  it("when a poll's options are null, then it has none", () => {
    const payload = {
      ...payloadOf("event-message-poll.json"),
      poll: { name: "Q", options: null, selectableCount: 1 },
    };
    expect(contentFromMessage(payload)).toMatchObject({
      kind: "poll",
      poll: { options: [], hideVotes: false },
    });
  });

  it("when the account wrote it, then fromMe is kept", () => {
    expect(contentOf("event-message-from-me-dm.json")).toMatchObject({
      fromMe: true,
      pushName: "Office Phone",
    });
  });

  it("when the type is unknown or the kind's data is missing, then it is 'other' with its body", () => {
    expect(contentFromMessage({ type: "ptt", body: "" })).toMatchObject({ kind: "other" });
    expect(contentFromMessage({ type: "location", body: "x" })).toMatchObject({ kind: "other", body: "x" });
    expect(contentFromMessage({ type: "poll" })).toMatchObject({ kind: "other" });
  });

  it("when the type is left out but there is a body, then it is text", () => {
    expect(contentFromMessage({ body: "hi" })).toMatchObject({ kind: "text", body: "hi" });
  });

  it("when an empty payload arrives, then the content is an empty 'other' without sender or time", () => {
    const content = contentFromMessage({});
    expect(content).toMatchObject({ kind: "other", body: "", pushName: "", senderJid: "", fromMe: false });
    expect(content).not.toHaveProperty("sentAt");
    expect(content).not.toHaveProperty("quoted");
  });
});

describe("mirrorContentSchema", () => {
  it.each([
    "event-message-group-text-reply.json",
    "event-message-image.json",
    "event-message-location.json",
    "event-message-contact-card.json",
    "event-message-poll-multi-timed.json",
  ])("when the content of %s is stored as JSON and read back, then it is the same", (name) => {
    const content = contentOf(name);
    expect(mirrorContentSchema.parse(JSON.parse(JSON.stringify(content)))).toEqual(content);
  });

  it("when stored content lacks the flags and mentions, then they read as false and none", () => {
    const stored = { kind: "text", body: "hi", pushName: "", senderJid: "", senderLid: "", fromMe: false };
    expect(mirrorContentSchema.parse(stored)).toMatchObject({
      mentions: {},
      edited: false,
      revoked: false,
      arrivedLate: false,
      people: {},
    });
  });

  it("when stored content says poll but has no poll, then it is refused", () => {
    const stored = { kind: "poll", body: "Q", pushName: "", senderJid: "", senderLid: "", fromMe: false };
    expect(mirrorContentSchema.safeParse(stored).success).toBe(false);
  });
});

describe("editedContent", () => {
  it("when a caption is edited, then the kind stays, the text and mentions change and it is marked edited", () => {
    const photo = contentOf("event-message-image.json");
    const edited = editedContent(photo, payloadOf("event-message-edited.json"));
    expect(edited).toMatchObject({
      kind: "image",
      body: "@205227043110954 agreed, see you at 8",
      edited: true,
    });
    expect(edited.pushName).toBe(photo.pushName);
    expect(edited.mentions).toEqual({});
  });
});
