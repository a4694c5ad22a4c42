import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chatOf,
  type GatewayEnvelope,
  isMessageEnvelope,
  parseEnvelope,
  waMessageIdOf,
} from "../../../src/mirror/events/envelope.js";
import { exampleNames, readExample } from "./gateway-examples.js";

const ENVELOPE = {
  schema: "v1",
  id: "evt_01K0AAAAAAAAAAAAAAAAAAAAA1",
  event: "message",
  session: "01J9ZX8K2QHV0M3T6R7P4N5W8C",
  organization: "org_01J9ABCDEF",
  timestamp: 1752572400123,
  payload: { waMessageId: "3EB0A1", chatJid: "120363021234567890@g.us", type: "text", body: "hi" },
};

function problemOf(body: unknown): string {
  const result = parseEnvelope(typeof body === "string" ? body : JSON.stringify(body));
  if (result.ok) throw new Error("expected a problem");
  return result.problem;
}

function parsed(body: unknown): GatewayEnvelope {
  const result = parseEnvelope(JSON.stringify(body));
  if (!result.ok) throw new Error(result.problem);
  return result.envelope;
}

// Frames and request bodies that are not events: the realtime client tells them apart first.
const NOT_ENVELOPES = [
  "realtime-ticket-request.json",
  "realtime-ticket-response-201.json",
  "webhook-create-request.json",
  "webhook-create-response-201.json",
  "webhook-delivery-hmac-test-vector.json",
  "ws-frame-connected.json",
  "ws-frame-error-replay-failed.json",
  "ws-frame-ping.json",
];

describe("parseEnvelope on the gateway's examples", () => {
  const envelopes = exampleNames().filter((name) => !NOT_ENVELOPES.includes(name));

  it("when the examples are listed, then there are envelopes and other bodies among them", () => {
    expect(envelopes.length).toBeGreaterThanOrEqual(20);
    expect(exampleNames()).toEqual(expect.arrayContaining(NOT_ENVELOPES));
  });

  it.each(envelopes)(
    "when the example %s is parsed, then it is an envelope with its id and event",
    (name) => {
      const raw = JSON.parse(readExample(name)) as { id: string; event: string };
      const result = parseEnvelope(readExample(name));
      expect(result).toMatchObject({ ok: true, envelope: { id: raw.id, event: raw.event, schema: "v1" } });
    },
  );

  it.each(NOT_ENVELOPES.filter((n) => n !== "webhook-delivery-hmac-test-vector.json"))(
    "when the non-event example %s is parsed, then it is a problem, not an envelope",
    (name) => {
      expect(parseEnvelope(readExample(name)).ok).toBe(false);
    },
  );

  it("when the webhook test vector's raw body is parsed, then it is the reaction it signs", () => {
    const vector = JSON.parse(readExample("webhook-delivery-hmac-test-vector.json")) as { rawBody: string };
    const result = parseEnvelope(vector.rawBody);
    expect(result).toMatchObject({
      ok: true,
      envelope: { id: "evt_01K0AAAAAAAAAAAAAAAAAAAAB3", event: "message.reaction" },
    });
  });
});

describe("parseEnvelope problems", () => {
  it("when the body is not JSON, then the problem says so", () => {
    expect(problemOf("{not json")).toBe("not JSON");
    expect(problemOf("")).toBe("not JSON");
  });

  it("when the body is JSON but not an object, then the problem says so", () => {
    expect(problemOf("[1,2]")).toBe("not a JSON object");
    expect(problemOf("null")).toBe("not a JSON object");
    expect(problemOf('"evt"')).toBe("not a JSON object");
  });

  it("when the id is missing or not a string, then the problem names the id", () => {
    const { id: _, ...withoutId } = ENVELOPE;
    expect(problemOf(withoutId)).toBe("missing id");
    expect(problemOf({ ...ENVELOPE, id: 42 })).toBe("id is not a string");
    expect(problemOf({ ...ENVELOPE, id: "" })).toBe("id is too short");
    expect(problemOf({ ...ENVELOPE, id: "e".repeat(500) })).toBe("id is too long");
  });

  it("when the schema is another version, then the problem says v1 is expected", () => {
    expect(problemOf({ ...ENVELOPE, schema: "v2" })).toBe('schema is not "v1"');
  });

  it("when the timestamp is not a whole number, then the problem names it", () => {
    expect(problemOf({ ...ENVELOPE, timestamp: "yesterday" })).toBe("timestamp is not a number");
    expect(problemOf({ ...ENVELOPE, timestamp: 1.5 })).toBe("timestamp is not a whole number");
  });

  it("when a message event's payload field has the wrong type, then the problem names the event and field", () => {
    expect(problemOf({ ...ENVELOPE, payload: { ...ENVELOPE.payload, chatJid: 7 } })).toBe(
      'payload of a "message" event: chatJid is not a string',
    );
    expect(problemOf({ ...ENVELOPE, payload: { poll: { name: "Q", selectableCount: -1 } } })).toBe(
      'payload of a "message" event: poll.selectableCount is too small',
    );
    expect(problemOf({ ...ENVELOPE, payload: { mentions: { "1@lid": { pushName: 3 } } } })).toBe(
      'payload of a "message" event: mentions.1@lid.pushName is not a string',
    );
  });

  it("when a known event comes without its payload, then that is a problem", () => {
    const { payload: _, ...withoutPayload } = ENVELOPE;
    expect(problemOf(withoutPayload)).toBe('missing payload of a "message" event');
    expect(problemOf({ ...ENVELOPE, event: "session.status", payload: "working" })).toBe(
      'payload of a "session.status" event: the value is not an object',
    );
  });

  it("when a record key in the body is hostile, then the problem shows only a safe, short form of it", () => {
    const key = `<!channel>${"x".repeat(200)}`;
    const problem = problemOf({ ...ENVELOPE, payload: { mentions: { [key]: { tag: 1 } } } });
    expect(problem).not.toContain("<");
    expect(problem.length).toBeLessThan(120);
  });

  it("when any text is parsed, then it never throws and a problem never repeats the body", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ ...ENVELOPE, payload: v })),
        ),
        (text) => {
          const result = parseEnvelope(text);
          if (!result.ok) {
            expect(result.problem.length).toBeLessThanOrEqual(200);
            if (text.length > 20) expect(result.problem).not.toContain(text);
          }
        },
      ),
    );
  });

  it("when a secret-looking value is in the wrong place, then the problem does not quote it", () => {
    const problem = problemOf({ ...ENVELOPE, payload: { body: ["wa_secretkey_123"] } });
    expect(problem).toBe('payload of a "message" event: body is not a string');
  });
});

describe("parseEnvelope leniency", () => {
  it("when the event type is unknown, then the envelope parses with its payload unread", () => {
    const envelope = parsed({ ...ENVELOPE, event: "message.pinned", payload: [1, 2] });
    expect(envelope.event).toBe("message.pinned");
    expect(isMessageEnvelope(envelope)).toBe(false);
  });

  it("when fields are null (a nil slice or pointer in Go), then they read as absent", () => {
    const envelope = parsed({
      ...ENVELOPE,
      event: "poll.vote",
      payload: { chatJid: "1@g.us", selectedOptions: null, media: null, poll: null, mentions: null },
    });
    expect(isMessageEnvelope(envelope) && envelope.payload.selectedOptions).toBeNull();
  });

  it("when the payload has fields this app does not know, then they are dropped, not refused", () => {
    const envelope = parsed({ ...ENVELOPE, payload: { ...ENVELOPE.payload, editVersion: 3 } });
    expect(envelope.payload).not.toHaveProperty("editVersion");
  });

  it("when media is anything at all, then it is not read", () => {
    expect(parseEnvelope(JSON.stringify({ ...ENVELOPE, payload: { media: { url: 1 } } })).ok).toBe(true);
  });
});

describe("chatOf and waMessageIdOf", () => {
  it("when the event is a message, then its chat and its own stanza id are given", () => {
    const envelope = parsed(ENVELOPE);
    expect(chatOf(envelope)).toBe("120363021234567890@g.us");
    expect(waMessageIdOf(envelope)).toBe("3EB0A1");
  });

  it("when the event is a reaction, then the id is the reaction's own, not its target's", () => {
    const envelope = parsed(JSON.parse(readExample("event-message-reaction-add.json")));
    expect(waMessageIdOf(envelope)).toBe("3EB0REACT000000001");
  });

  it("when the event is a poll recap, then it has a chat and no stanza id of its own", () => {
    const envelope = parsed(JSON.parse(readExample("event-poll-recap.json")));
    expect(chatOf(envelope)).toBe("120363021234567890@g.us");
    expect(waMessageIdOf(envelope)).toBeUndefined();
  });

  it("when a group event names its chat groupJid, then that is its chat", () => {
    const envelope = parsed(JSON.parse(readExample("event-group-update-subject.json")));
    expect(chatOf(envelope)).toBe("120363021234567890@g.us");
  });

  it("when the event concerns the whole session, then it has no chat", () => {
    const envelope = parsed(JSON.parse(readExample("event-session-status.json")));
    expect(chatOf(envelope)).toBeUndefined();
    expect(waMessageIdOf(envelope)).toBeUndefined();
  });

  it("when a message has an empty id, then it has no stanza id", () => {
    expect(waMessageIdOf(parsed({ ...ENVELOPE, payload: { waMessageId: "" } }))).toBeUndefined();
  });
});
