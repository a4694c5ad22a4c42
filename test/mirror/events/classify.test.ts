import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyEvent, type GatewayEvent } from "../../../src/mirror/events/classify.js";
import { type GatewayEnvelope, parseEnvelope } from "../../../src/mirror/events/envelope.js";
import { GATEWAY_EVENT_TYPES } from "../../../src/mirror/events/event-types.js";
import { exampleNames, readExample } from "./gateway-examples.js";

function envelopeOf(text: string): GatewayEnvelope {
  const result = parseEnvelope(text);
  if (!result.ok) throw new Error(result.problem);
  return result.envelope;
}

function example(name: string): GatewayEvent {
  return classifyEvent(envelopeOf(readExample(name)));
}

function withPayload(name: string, changes: Record<string, unknown>, event?: string): GatewayEvent {
  const raw = JSON.parse(readExample(name)) as { event: string; payload: Record<string, unknown> };
  const payload = { ...raw.payload, ...changes };
  return classifyEvent(envelopeOf(JSON.stringify({ ...raw, event: event ?? raw.event, payload })));
}

const GROUP = "120363021234567890@g.us";

describe("classifyEvent on the gateway's examples", () => {
  it("when a group text replies to a message, then it is a message from the sender's phone JID", () => {
    expect(example("event-message-group-text-reply.json")).toMatchObject({
      kind: "message",
      chatJid: GROUP,
      waMessageId: "3EB0A1B2C3D4E5F60718",
      sender: "6281234567890@s.whatsapp.net",
      pushName: "Alice",
      fromMe: false,
      at: 1752572399000,
      message: { quotedMessageId: "3EB0FFEE001122334455" },
    });
  });

  it("when the account wrote from the phone, then it is a message whose sender is empty", () => {
    expect(example("event-message-from-me-dm.json")).toMatchObject({
      kind: "message",
      chatJid: "6289876543210@s.whatsapp.net",
      sender: "",
      fromMe: true,
    });
  });

  it("when a direct chat is a LID chat, then the chat is the LID and the sender the phone JID", () => {
    expect(example("event-message-dm-lid-chat.json")).toMatchObject({
      kind: "message",
      chatJid: "136150496886855@lid",
      sender: "6285550001111@s.whatsapp.net",
    });
  });

  it.each([
    "event-message-image.json",
    "event-message-document-no-caption.json",
    "event-message-location.json",
    "event-message-contact-card.json",
    "event-message-poll.json",
    "event-message-poll-multi-timed.json",
  ])("when %s arrives, then it is a message", (name) => {
    expect(example(name).kind).toBe("message");
  });

  it("when a LID group's message has no phone JID, then the sender is the LID", () => {
    expect(example("event-message-location.json")).toMatchObject({ sender: "205227043110953@lid" });
  });

  it("when a message is edited, then it is an edit of its target with the new text", () => {
    expect(example("event-message-edited.json")).toMatchObject({
      kind: "edit",
      targetId: "3EB0A1B2C3D4E5F60718",
      sender: "6281234567890@s.whatsapp.net",
      message: { body: "@205227043110954 agreed, see you at 8" },
    });
  });

  it("when a message is revoked, then it is a revoke of its target by the revoker", () => {
    expect(example("event-message-revoked.json")).toEqual({
      kind: "revoke",
      chatJid: GROUP,
      at: 1752572999000,
      pushName: "Alice",
      fromMe: false,
      targetId: "3EB0A1B2C3D4E5F60718",
      revoker: "6281234567890@s.whatsapp.net",
    });
  });

  it("when someone reacts, then it is a reaction with their emoji on the target", () => {
    expect(example("event-message-reaction-add.json")).toMatchObject({
      kind: "reaction",
      targetId: "3EB0POLL0000000001",
      reactor: "205227043110954@lid",
      emoji: "❤",
    });
  });

  it("when a reaction is taken back, then it is a reaction with no emoji", () => {
    expect(example("event-message-reaction-removed.json")).toMatchObject({
      kind: "reaction",
      reactor: "205227043110954@lid",
      emoji: null,
    });
  });

  it("when the account reacts from the phone, then the reactor is empty and the skin tone kept", () => {
    expect(example("event-message-reaction-from-me-skin-tone.json")).toMatchObject({
      kind: "reaction",
      reactor: "",
      fromMe: true,
      emoji: "👍🏽",
    });
  });

  it("when a vote resolves to option texts, then it is a vote with those options", () => {
    expect(example("event-poll-vote-resolved.json")).toMatchObject({
      kind: "poll_vote",
      targetId: "3EB0POLL0000000001",
      voter: "6281234567891@s.whatsapp.net",
      selectedOptions: ["Sushi"],
    });
  });

  it("when a vote comes without options, then it is withdrawn (or unreadable): no selection", () => {
    expect(example("event-poll-vote-cleared-or-undecryptable.json")).toMatchObject({
      kind: "poll_vote",
      voter: "205227043110955@lid",
      selectedOptions: null,
    });
  });

  it("when a vote could not be decrypted, then its hash is passed on as it came", () => {
    expect(example("event-poll-vote-unresolved-hash.json")).toMatchObject({
      kind: "poll_vote",
      selectedOptions: ["670bd9ced0c6bc3fab9bcce97185cdb5a6c6008f0bb7a33c5e432b7faa0e27ed"],
    });
  });

  it("when a timed poll closes, then it is a recap of that poll", () => {
    expect(example("event-poll-recap.json")).toMatchObject({
      kind: "poll_recap",
      chatJid: GROUP,
      pollMessageId: "3EB0POLL0000000002",
      recap: {
        totalVotes: 2,
        options: [
          { option: "Mon", count: 1 },
          { option: "Tue", count: 2 },
          { option: "Wed", count: 0 },
        ],
      },
    });
  });

  it.each([
    ["event-session-status.json", "session.status"],
    ["event-contact-update-pushname.json", "contact.update"],
    ["event-group-update-subject.json", "group.update"],
    ["event-group-participant.json", "group.participant"],
    ["event-message-status-read.json", "message.status"],
    ["ws-frame-auth-qr-manager-direct.json", "auth.qr"],
    ["ws-frame-session-status-manager-direct.json", "session.status"],
  ])("when %s arrives, then it is ignored as a %s event", (name, event) => {
    expect(example(name)).toEqual({ kind: "ignored", reason: `"${event}" events are not mirrored` });
  });
});

describe("classifyEvent on every example", () => {
  const EXPECTED: Readonly<Record<string, GatewayEvent["kind"]>> = {
    "event-contact-update-pushname.json": "ignored",
    "event-group-participant.json": "ignored",
    "event-group-update-subject.json": "ignored",
    "event-message-contact-card.json": "message",
    "event-message-dm-lid-chat.json": "message",
    "event-message-document-no-caption.json": "message",
    "event-message-edited.json": "edit",
    "event-message-from-me-dm.json": "message",
    "event-message-group-text-reply.json": "message",
    "event-message-image.json": "message",
    "event-message-location.json": "message",
    "event-message-poll-multi-timed.json": "message",
    "event-message-poll.json": "message",
    "event-message-reaction-add.json": "reaction",
    "event-message-reaction-from-me-skin-tone.json": "reaction",
    "event-message-reaction-removed.json": "reaction",
    "event-message-revoked.json": "revoke",
    "event-message-status-read.json": "ignored",
    "event-poll-recap.json": "poll_recap",
    "event-poll-vote-cleared-or-undecryptable.json": "poll_vote",
    "event-poll-vote-resolved.json": "poll_vote",
    "event-poll-vote-unresolved-hash.json": "poll_vote",
    "event-session-status.json": "ignored",
    "ws-frame-auth-qr-manager-direct.json": "ignored",
    "ws-frame-session-status-manager-direct.json": "ignored",
  };

  it("when the examples are listed, then every event among them has an expected kind here", () => {
    const events = exampleNames().filter((name) => parseEnvelope(readExample(name)).ok);
    expect(events.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("when %s is classified, then it is %s", (name, kind) => {
    expect(example(name).kind).toBe(kind);
  });
});

describe("classifyEvent on chats that are never mirrored", () => {
  it.each([
    ["status@broadcast", "status updates are not mirrored"],
    ["1700000000@broadcast", "broadcast lists are not mirrored"],
    ["120363000000000000@newsletter", "newsletters (WhatsApp channels) are not mirrored"],
  ])("when a message comes from %s, then it is ignored with the reason", (chatJid, reason) => {
    expect(withPayload("event-message-image.json", { chatJid })).toEqual({ kind: "ignored", reason });
    expect(withPayload("event-message-reaction-add.json", { chatJid })).toEqual({ kind: "ignored", reason });
  });
});

describe("classifyEvent on incomplete payloads", () => {
  it("when the payload names no chat, then the event is ignored", () => {
    expect(withPayload("event-message-image.json", { chatJid: "" })).toMatchObject({ kind: "ignored" });
    expect(withPayload("event-message-image.json", { chatJid: undefined })).toMatchObject({
      kind: "ignored",
    });
  });

  it("when a message has no id, then it is ignored (nothing could refer to it)", () => {
    expect(withPayload("event-message-image.json", { waMessageId: undefined })).toEqual({
      kind: "ignored",
      reason: "the message has no waMessageId",
    });
  });

  it("when a reaction, edit, revoke or vote names no target, then it is ignored", () => {
    for (const name of [
      "event-message-reaction-add.json",
      "event-message-edited.json",
      "event-message-revoked.json",
      "event-poll-vote-resolved.json",
    ]) {
      expect(withPayload(name, { targetId: "" }).kind).toBe("ignored");
    }
  });

  it("when a reaction in a group names nobody, then it is ignored rather than taken for the account's", () => {
    expect(withPayload("event-message-reaction-add.json", { senderLid: undefined })).toEqual({
      kind: "ignored",
      reason: "the reaction names no reactor",
    });
  });

  it("when a reaction in a direct chat names nobody, then the reactor is the other person: the chat", () => {
    const event = withPayload("event-message-reaction-add.json", {
      chatJid: "6285550001111@s.whatsapp.net",
      senderLid: undefined,
    });
    expect(event).toMatchObject({ kind: "reaction", reactor: "6285550001111@s.whatsapp.net" });
  });

  it("when the reaction is an empty string (the OpenAPI's removal), then it has no emoji", () => {
    expect(withPayload("event-message-reaction-add.json", { reaction: "" })).toMatchObject({ emoji: null });
  });

  it("when a vote's selection is empty, then it is withdrawn", () => {
    expect(withPayload("event-poll-vote-resolved.json", { selectedOptions: [] })).toMatchObject({
      selectedOptions: null,
    });
  });

  it("when fromMe is left out of a message.from_me event, then the event name says it", () => {
    const event = withPayload("event-message-from-me-dm.json", { fromMe: undefined });
    expect(event).toMatchObject({ kind: "message", fromMe: true, sender: "" });
  });

  it("when the WhatsApp time is missing, then the gateway's time of the event stands in", () => {
    expect(withPayload("event-message-image.json", { timestamp: undefined })).toMatchObject({
      at: 1752572700000,
    });
  });

  it("when any known or unknown event type carries a message-like payload, then classifying never throws", () => {
    const raw = JSON.parse(readExample("event-message-group-text-reply.json")) as Record<string, unknown>;
    const events = fc.oneof(
      fc.constantFrom(...GATEWAY_EVENT_TYPES),
      fc.string({ minLength: 1, maxLength: 20 }),
    );
    const payloads = fc.record(
      {
        chatJid: fc.constantFrom(
          "1@g.us",
          "2@s.whatsapp.net",
          "3@lid",
          "status@broadcast",
          "4@newsletter",
          "",
        ),
        waMessageId: fc.string(),
        targetId: fc.string(),
        senderJid: fc.string(),
        fromMe: fc.boolean(),
        reaction: fc.string(),
        selectedOptions: fc.array(fc.string()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(events, payloads, (event, payload) => {
        const result = parseEnvelope(JSON.stringify({ ...raw, event, payload }));
        if (result.ok) expect(classifyEvent(result.envelope).kind).toMatch(/^[a-z_]+$/);
      }),
    );
  });
});
