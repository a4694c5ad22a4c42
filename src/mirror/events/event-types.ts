// The gateway's event names (reference/gateway-events.md): the ones its code emits, and the subset
// that carries the flat WhatsApp message payload.

export const GATEWAY_EVENT_TYPES = [
  "session.status",
  "auth.qr",
  "auth.code",
  "message",
  "message.from_me",
  "message.status",
  "message.reaction",
  "message.edited",
  "message.revoked",
  "poll.vote",
  "poll.recap",
  "presence.update",
  "group.update",
  "group.participant",
  "chat.update",
  "contact.update",
  "call.incoming",
  "newsletter.update",
] as const;

export type GatewayEventType = (typeof GATEWAY_EVENT_TYPES)[number];

export const MESSAGE_EVENT_TYPES = [
  "message",
  "message.from_me",
  "message.reaction",
  "message.edited",
  "message.revoked",
  "poll.vote",
] as const satisfies readonly GatewayEventType[];

export type MessageEventType = (typeof MESSAGE_EVENT_TYPES)[number];

const known: ReadonlySet<string> = new Set(GATEWAY_EVENT_TYPES);
const messageTypes: ReadonlySet<string> = new Set(MESSAGE_EVENT_TYPES);

export function isGatewayEventType(event: string): event is GatewayEventType {
  return known.has(event);
}

export function isMessageEventType(event: string): event is MessageEventType {
  return messageTypes.has(event);
}
