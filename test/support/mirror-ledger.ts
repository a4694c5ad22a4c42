// What a channel shows after the mirror went through faults, checked against what WhatsApp said and
// what the gateway delivered: which messages are missing, which were posted twice and whether each
// second post is the documented one, and whether a chat's messages are in the order they were sent.
import type { DeliveryAttempt, FakeEvent } from "../../src/sandbox/gateway/events.js";
import type { FakeMessage, SlackCall, SlackStandIn } from "../../src/sandbox/slack/web-api.js";
import { waIdOf } from "./mirror-observe.js";

/** One chat's messages as WhatsApp sent them, in the order the gateway made their events. */
export interface SentChat {
  channel: string;
  /** The first event of each message (its id orders the chat); redeliveries are in `copies`. */
  messages: { waId: string; event: FakeEvent; copies: FakeEvent[] }[];
}

export interface ChatLedger {
  channel: string;
  /** WhatsApp message ids with no Slack message at all. */
  missing: string[];
  /** WhatsApp messages shown more than once, with all their Slack messages in channel order. */
  duplicates: { waId: string; posts: FakeMessage[] }[];
  /** Pairs (earlier, later) of messages the gateway delivered in order, checked for order in Slack. */
  pairsChecked: number;
  /** Pairs shown out of order although the earlier one was stored before the later one arrived. */
  outOfOrder: { earlier: string; later: string }[];
  /** Pairs shown out of order because the gateway delivered the earlier one only after the later one. */
  excusedLate: { earlier: string; later: string }[];
}

/**
 * Checks one chat. Order: the app promises a chat's events are processed in event-id order among those
 * it has stored, so message A must be shown before B whenever A was certainly stored before B arrived:
 * some delivery of A's first event was answered 2xx before the gateway's first attempt of any event of B
 * began. When the gateway delivered A only after B (a retry after a refusal, or a kill), A is posted
 * after B, as the README says: such pairs are counted, not failed.
 */
export function ledgerOf(
  slack: SlackStandIn,
  sent: SentChat,
  deliveries: readonly DeliveryAttempt[],
): ChatLedger {
  const shown = slack.messagesIn(sent.channel).filter((m) => waIdOf(m) !== undefined);
  const firstAt = new Map<string, number>();
  const postsOf = new Map<string, FakeMessage[]>();
  shown.forEach((message, index) => {
    const waId = waIdOf(message) as string;
    if (!firstAt.has(waId)) firstAt.set(waId, index);
    postsOf.set(waId, [...(postsOf.get(waId) ?? []), message]);
  });
  const duplicates = [...postsOf]
    .filter(([, posts]) => posts.length > 1)
    .map(([waId, posts]) => ({ waId, posts }));
  const missing = sent.messages.filter((m) => !firstAt.has(m.waId)).map((m) => m.waId);

  const attemptsOf = new Map<string, DeliveryAttempt[]>();
  for (const attempt of deliveries) {
    const list = attemptsOf.get(attempt.eventId) ?? [];
    list.push(attempt);
    attemptsOf.set(attempt.eventId, list);
  }
  /** When the message's first event was stored at the latest: its first 2xx answer. */
  const storedBy = (m: SentChat["messages"][number]) =>
    Math.min(
      ...(attemptsOf.get(m.event.envelope.id) ?? [])
        .filter((a) => a.ok && a.answeredAt !== undefined)
        .map((a) => a.answeredAt as number),
    );
  /** When any event of the message could first have been stored: the first attempt of any copy. */
  const arrivedFrom = (m: SentChat["messages"][number]) =>
    Math.min(
      ...[m.event, ...m.copies].flatMap((e) => (attemptsOf.get(e.envelope.id) ?? []).map((a) => a.at)),
    );

  let pairsChecked = 0;
  const outOfOrder: ChatLedger["outOfOrder"] = [];
  const excusedLate: ChatLedger["excusedLate"] = [];
  sent.messages.forEach((earlier, i) => {
    for (const later of sent.messages.slice(i + 1)) {
      const a = firstAt.get(earlier.waId);
      const b = firstAt.get(later.waId);
      if (a === undefined || b === undefined) continue;
      const bound = storedBy(earlier) < arrivedFrom(later);
      if (bound) pairsChecked += 1;
      if (a < b) continue;
      const pair = { earlier: earlier.waId, later: later.waId };
      if (bound) outOfOrder.push(pair);
      else excusedLate.push(pair);
    }
  });
  return { channel: sent.channel, missing, duplicates, pairsChecked, outOfOrder, excusedLate };
}

/** The WhatsApp message a chat.postMessage call was for, from the metadata the app sent with it. */
export function waIdOfCall(call: SlackCall | undefined): string | undefined {
  const metadata = call?.args.metadata as { event_payload?: { message_id?: unknown } } | undefined;
  const id = metadata?.event_payload?.message_id;
  return typeof id === "string" ? id : undefined;
}
