import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readWhatsAppMetadata, toWhatsAppMetadata } from "../../src/domain/metadata.js";
import type { WhatsAppMessage } from "../../src/domain/types.js";

// The example of interface.md, "WhatsApp message metadata on Slack messages".
const EXAMPLE = {
  event_type: "whatsapp_message",
  event_payload: {
    session_id: "01HZX3K5Q8V6W2Y4N7M9P0R1ST",
    chat: "120363012345678901@g.us",
    message_id: "3EB0C431C26A1916E07A",
    sender: "6281234567890@s.whatsapp.net",
    poll: { name: "Lunch?", options: ["Pizza", "Sushi"], selectable_count: 1 },
  },
};

function withPayload(changes: Record<string, unknown>): unknown {
  return { ...EXAMPLE, event_payload: { ...EXAMPLE.event_payload, ...changes } };
}

function withPoll(changes: Record<string, unknown>): unknown {
  return withPayload({ poll: { ...EXAMPLE.event_payload.poll, ...changes } });
}

describe("readWhatsAppMetadata", () => {
  it("when the metadata is the documented example, then it returns the message with its poll", () => {
    expect(readWhatsAppMetadata(EXAMPLE)).toEqual({
      ok: true,
      message: {
        sessionId: "01HZX3K5Q8V6W2Y4N7M9P0R1ST",
        chat: "120363012345678901@g.us",
        messageId: "3EB0C431C26A1916E07A",
        sender: "6281234567890@s.whatsapp.net",
        poll: { name: "Lunch?", options: ["Pizza", "Sushi"], selectableCount: 1 },
      },
    });
  });

  it("when sender and poll are left out, then the message has neither", () => {
    const result = readWhatsAppMetadata(withPayload({ sender: undefined, poll: undefined }));
    expect(result).toEqual({
      ok: true,
      message: {
        sessionId: "01HZX3K5Q8V6W2Y4N7M9P0R1ST",
        chat: "120363012345678901@g.us",
        messageId: "3EB0C431C26A1916E07A",
      },
    });
  });

  it("when sender and poll are null, then they count as left out", () => {
    const result = readWhatsAppMetadata(withPayload({ sender: null, poll: null }));
    expect(result.ok && "sender" in result.message).toBe(false);
    expect(result.ok && result.message.poll).toBeUndefined();
  });

  it("when sender is empty (the message is your own), then it is kept as empty", () => {
    const result = readWhatsAppMetadata(withPayload({ sender: "" }));
    expect(result.ok && result.message.sender).toBe("");
  });

  it("when the payload has fields this app does not know, then they are ignored", () => {
    expect(readWhatsAppMetadata(withPayload({ pushName: "Budi", timestamp: 1712345678 })).ok).toBe(true);
  });

  it("when the poll allows any number of choices (0), then selectableCount is 0", () => {
    const result = readWhatsAppMetadata(withPoll({ selectable_count: 0 }));
    expect(result.ok && result.message.poll?.selectableCount).toBe(0);
  });

  it("when the message has no metadata, then the reason is absent", () => {
    expect(readWhatsAppMetadata(undefined)).toEqual({ ok: false, reason: "absent" });
    expect(readWhatsAppMetadata(null)).toEqual({ ok: false, reason: "absent" });
  });

  it("when the metadata is of another app's event type, then the reason is other_event_type", () => {
    expect(readWhatsAppMetadata({ event_type: "task_created", event_payload: { id: 1 } })).toEqual({
      ok: false,
      reason: "other_event_type",
      detail: 'event_type is "task_created"',
    });
  });

  it("when Slack left out event_payload (no include_all_metadata), then it is invalid and says why", () => {
    const result = readWhatsAppMetadata({ event_type: "whatsapp_message" });
    expect(result).toEqual({
      ok: false,
      reason: "invalid",
      detail: expect.stringContaining("include_all_metadata=true"),
    });
  });

  it("when the payload arrives as a JSON string, then it is read like an object", () => {
    const metadata = { event_type: "whatsapp_message", event_payload: JSON.stringify(EXAMPLE.event_payload) };
    expect(readWhatsAppMetadata(metadata).ok).toBe(true);
    expect(readWhatsAppMetadata({ event_type: "whatsapp_message", event_payload: "{oops" })).toMatchObject({
      ok: false,
      reason: "invalid",
    });
  });

  it.each([
    ["a required id is missing", withPayload({ message_id: undefined }), "message_id"],
    ["the chat is empty", withPayload({ chat: "" }), "chat"],
    ["the session id is a number", withPayload({ session_id: 42 }), "session_id"],
    ["the poll has one option", withPoll({ options: ["Pizza"] }), "poll.options"],
    [
      "the poll has 13 options",
      withPoll({ options: Array.from({ length: 13 }, (_, i) => `o${i}`) }),
      "poll.options",
    ],
    ["selectable_count is negative", withPoll({ selectable_count: -1 }), "poll.selectable_count"],
    ["selectable_count is a fraction", withPoll({ selectable_count: 1.5 }), "poll.selectable_count"],
    ["an option is not a string", withPoll({ options: ["Pizza", 2] }), "poll.options.1"],
  ])("when %s, then it is invalid and the detail names the field", (_, metadata, field) => {
    const result = readWhatsAppMetadata(metadata);
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    expect(!result.ok && result.detail).toContain(`event_payload: ${field}`);
  });

  it("when the metadata is not an object, then it is invalid", () => {
    for (const metadata of ["whatsapp_message", 42, [], {}]) {
      expect(readWhatsAppMetadata(metadata)).toMatchObject({ ok: false, reason: "invalid" });
    }
  });

  describe("properties", () => {
    const json = fc.oneof(fc.jsonValue(), fc.anything());
    it("when given any value, then it never throws and returns one of the documented outcomes", () => {
      fc.assert(
        fc.property(
          fc.oneof(
            json,
            json.map((payload) => ({ event_type: "whatsapp_message", event_payload: payload })),
            json.map((poll) => withPayload({ poll })),
          ),
          (metadata) => {
            const result = readWhatsAppMetadata(metadata);
            if (!result.ok) expect(["absent", "other_event_type", "invalid"]).toContain(result.reason);
          },
        ),
      );
    });

    it("when a WhatsApp message is written as metadata and through JSON, then it reads back the same", () => {
      const nonEmpty = fc.string({ minLength: 1 });
      const poll = fc.record({
        name: fc.string(),
        options: fc.array(fc.string(), { minLength: 2, maxLength: 12 }),
        selectableCount: fc.nat(12),
      });
      const message: fc.Arbitrary<WhatsAppMessage> = fc.record(
        { sessionId: nonEmpty, chat: nonEmpty, messageId: nonEmpty, sender: fc.string(), poll },
        { requiredKeys: ["sessionId", "chat", "messageId"] },
      );
      fc.assert(
        fc.property(message, (m) => {
          const metadata: unknown = JSON.parse(JSON.stringify(toWhatsAppMetadata(m)));
          expect(readWhatsAppMetadata(metadata)).toEqual({ ok: true, message: m });
        }),
      );
    });
  });
});
