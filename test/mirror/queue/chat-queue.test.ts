import { describe, expect, it } from "vitest";
import { chatKeyOf, chatQueueName } from "../../../src/mirror/queue/chat-queue.js";

describe("chatQueueName", () => {
  const key = { workspaceId: "T0QUEUE", sessionId: "01HZXSESSION", chatJid: "120363012345678901@g.us" };

  it("when the same chat is named twice, then the name is the same, and fits graphile-worker's queue names", () => {
    const name = chatQueueName({ ...key });
    expect(name).toBe(chatQueueName(key));
    expect(name).toMatch(/^chat:[0-9a-f]{64}$/);
    expect(name.length).toBeLessThanOrEqual(128);
  });

  it("when chats differ in workspace, session or JID, then their names differ", () => {
    const names = new Set([
      chatQueueName(key),
      chatQueueName({ ...key, workspaceId: "T0OTHER" }),
      chatQueueName({ ...key, sessionId: "01HZXOTHER" }),
      chatQueueName({ ...key, chatJid: "4915112345678@s.whatsapp.net" }),
    ]);
    expect(names.size).toBe(4);
  });

  it("when ids would run together if joined with a separator, then the names still differ", () => {
    expect(chatQueueName({ workspaceId: "T0", sessionId: "a:b", chatJid: "c@g.us" })).not.toBe(
      chatQueueName({ workspaceId: "T0:a", sessionId: "b", chatJid: "c@g.us" }),
    );
  });

  it("when a key carries more than its three ids, then chatKeyOf keeps only the ids", () => {
    expect(chatKeyOf({ ...key, eventId: "evt_1", envelope: "{}" } as typeof key)).toEqual(key);
  });
});
