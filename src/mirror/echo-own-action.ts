// What the app sends to WhatsApp for a Slack user (a reaction, a vote) produces no gateway event, yet the
// mirrored message must show it as the account's. It is recorded as an event of the message's chat,
// shaped as the gateway would send it for an action on the phone (fromMe), so it is processed in turn with
// the chat's other events and can never overtake or be overtaken by them.
import type { Action, MessageRef } from "../domain/types.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/port.js";
import type { ChatQueue } from "./queue/chat-queue.js";
import { createUlidFactory } from "./ulid.js";

export type EchoOwnAction = (workspaceId: string, target: MessageRef, action: Action) => Promise<void>;

export function createOwnActionEcho(deps: {
  store: Pick<Store, "findMirroredByWhatsApp" | "acceptEvent">;
  queue: Pick<ChatQueue, "schedule">;
  logger: Logger;
  clock?: () => number;
}): EchoOwnAction {
  const clock = deps.clock ?? Date.now;
  const ulid = createUlidFactory(clock);
  return async (workspaceId, target, action) => {
    const key = { workspaceId, sessionId: target.sessionId, chatJid: target.chat };
    // Only for messages the mirror posted: elsewhere there is nothing to show it on.
    if ((await deps.store.findMirroredByWhatsApp(key, target.messageId)) === undefined) return;
    const now = clock();
    const id = `evt_${ulid()}`;
    const common = {
      waMessageId: `app_${id.slice(4)}`,
      chatJid: target.chat,
      fromMe: true,
      targetId: target.messageId,
      timestamp: now,
    };
    const { event, payload } =
      action.op === "vote"
        ? { event: "poll.vote", payload: { ...common, type: "poll_vote", selectedOptions: action.options } }
        : {
            event: "message.reaction",
            payload: {
              ...common,
              type: "reaction",
              ...(action.op === "react" ? { reaction: action.emoji } : {}),
            },
          };
    const envelope = {
      schema: "v1",
      id,
      event,
      session: target.sessionId,
      organization: "",
      timestamp: now,
      payload,
    };
    await deps.store.acceptEvent({
      ...key,
      eventId: id,
      eventType: event,
      waMessageId: common.waMessageId,
      envelope: JSON.stringify(envelope),
      receivedAt: new Date(now),
    });
    await deps.queue.schedule(key);
    deps.logger.debug(
      { team: workspaceId, op: action.op },
      "the account's own action recorded on its mirrored message",
    );
  };
}
