// What a `/wa` command or a modal names, turned into the gateway's address of one WhatsApp message.
import type { MessageRef, Poll, TargetSpec } from "../domain/types.js";
import type { MessageLookup } from "./message-lookup.js";

/**
 * The gateway's address of a WhatsApp message. An empty session stands for the workspace's default
 * session (the action runner fills it in); an empty sender means the session's own message.
 */
export function messageRefOf(message: {
  sessionId?: string | undefined;
  chat: string;
  messageId: string;
  sender?: string | undefined;
}): MessageRef {
  return {
    sessionId: message.sessionId ?? "",
    chat: message.chat,
    messageId: message.messageId,
    sender: message.sender ?? "",
  };
}

/** A link is looked up (with its poll, if any); explicit ids are taken as given. */
export async function resolveTarget(
  lookup: MessageLookup,
  spec: TargetSpec,
): Promise<{ ref: MessageRef; poll: Poll | undefined }> {
  if (spec.kind === "explicit") return { ref: messageRefOf(spec), poll: undefined };
  const message = await lookup.find(spec.link);
  return { ref: messageRefOf(message), poll: message.poll };
}
