// Row <-> record mapping of the mirror's tables, shared by both adapters so both return the same shapes.
// Rows are typed by the dialect's column types (`Columns`); each adapter says how to read those (`Decode`).
import { StoreConflictError } from "../errors.js";
import type {
  EventArrival,
  EventSettingsRecord,
  EventsMode,
  InboxEvent,
  InboxState,
  LinkRecord,
  MirroredMessage,
  MirroredMessageInsert,
  PollVote,
  SlackReaction,
  WhatsAppReaction,
} from "./mirror-port.js";

/** The column types that differ between the dialects. */
export interface Columns {
  time: unknown;
  flag: unknown;
  id: unknown;
  count: unknown;
  options: unknown;
}

export interface Decode<C extends Columns> {
  time(value: C["time"]): Date;
  flag(value: C["flag"]): boolean;
  id(value: C["id"]): number;
  count(value: C["count"]): number;
  options(value: C["options"]): string[];
}

const MODES: readonly EventsMode[] = ["webhook", "realtime", "off"];
const STATES: readonly InboxState[] = ["pending", "done", "parked", "skipped"];

function toMode(value: string): EventsMode {
  const found = MODES.find((m) => m === value);
  if (found === undefined) throw new Error(`event_settings holds an unknown mode "${value}"`);
  return found;
}

function toState(value: string): InboxState {
  const found = STATES.find((s) => s === value);
  if (found === undefined) throw new Error(`inbox holds an unknown state "${value}"`);
  return found;
}

export interface EventSettingsRow<C extends Columns> {
  workspace_id: string;
  mode: string;
  webhook_id: string | null;
  webhook_url: string | null;
  sealed_webhook_secret: string | null;
  updated_by: string;
  updated_at: C["time"];
}

export function eventSettingsFrom<C extends Columns>(
  row: EventSettingsRow<C>,
  decode: Decode<C>,
): EventSettingsRecord {
  return {
    workspaceId: row.workspace_id,
    mode: toMode(row.mode),
    webhookId: row.webhook_id,
    webhookUrl: row.webhook_url,
    sealedWebhookSecret: row.sealed_webhook_secret,
    updatedBy: row.updated_by,
    updatedAt: decode.time(row.updated_at),
  };
}

export interface EventArrivalRow<C extends Columns> {
  workspace_id: string;
  last_event_id: string;
  last_event_at: C["time"];
}

export function eventArrivalFrom<C extends Columns>(
  row: EventArrivalRow<C>,
  decode: Decode<C>,
): EventArrival {
  return {
    workspaceId: row.workspace_id,
    lastEventId: row.last_event_id,
    lastEventAt: decode.time(row.last_event_at),
  };
}

export interface LinkRow<C extends Columns> {
  workspace_id: string;
  session_id: string;
  chat_jid: string;
  channel_id: string;
  send_reactions: C["flag"];
  paused_reason: string | null;
  created_by: string;
  created_at: C["time"];
}

export function linkFrom<C extends Columns>(row: LinkRow<C>, decode: Decode<C>): LinkRecord {
  return {
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    sessionId: row.session_id,
    chatJid: row.chat_jid,
    sendReactions: decode.flag(row.send_reactions),
    pausedReason: row.paused_reason,
    createdBy: row.created_by,
    createdAt: decode.time(row.created_at),
  };
}

export interface InboxRow<C extends Columns> {
  id: C["id"];
  workspace_id: string;
  session_id: string;
  chat_jid: string;
  event_id: string;
  event_type: string;
  wa_message_id: string | null;
  envelope: string;
  received_at: C["time"];
  state: string;
  attempts: number;
  last_error: string | null;
}

export function inboxEventFrom<C extends Columns>(row: InboxRow<C>, decode: Decode<C>): InboxEvent {
  return {
    id: decode.id(row.id),
    workspaceId: row.workspace_id,
    sessionId: row.session_id,
    chatJid: row.chat_jid,
    eventId: row.event_id,
    eventType: row.event_type,
    waMessageId: row.wa_message_id,
    envelope: row.envelope,
    receivedAt: decode.time(row.received_at),
    state: toState(row.state),
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

export interface InboxCountsRow<C extends Columns> {
  pending: C["count"];
  parked: C["count"];
}

export function inboxCountsFrom<C extends Columns>(
  row: InboxCountsRow<C> | undefined,
  decode: Decode<C>,
): { pending: number; parked: number } {
  return row === undefined
    ? { pending: 0, parked: 0 }
    : { pending: decode.count(row.pending), parked: decode.count(row.parked) };
}

export interface MirroredRow<C extends Columns> {
  id: C["id"];
  workspace_id: string;
  session_id: string;
  chat_jid: string;
  wa_message_id: string;
  channel_id: string;
  slack_ts: string;
  thread_ts: string | null;
  sender: string;
  content: string;
  created_at: C["time"];
  updated_at: C["time"];
}

export function mirroredFrom<C extends Columns>(row: MirroredRow<C>, decode: Decode<C>): MirroredMessage {
  return {
    id: decode.id(row.id),
    workspaceId: row.workspace_id,
    sessionId: row.session_id,
    chatJid: row.chat_jid,
    waMessageId: row.wa_message_id,
    channelId: row.channel_id,
    slackTs: row.slack_ts,
    threadTs: row.thread_ts,
    sender: row.sender,
    content: row.content,
    createdAt: decode.time(row.created_at),
    updatedAt: decode.time(row.updated_at),
  };
}

export interface WhatsAppReactionRow<C extends Columns> {
  reactor: string;
  emoji: string;
  at: C["time"];
}

export function whatsAppReactionFrom<C extends Columns>(
  row: WhatsAppReactionRow<C>,
  decode: Decode<C>,
): WhatsAppReaction {
  return { reactor: row.reactor, emoji: row.emoji, at: decode.time(row.at) };
}

export interface PollVoteRow<C extends Columns> {
  voter: string;
  options: C["options"];
  at: C["time"];
}

export function pollVoteFrom<C extends Columns>(row: PollVoteRow<C>, decode: Decode<C>): PollVote {
  return { voter: row.voter, options: decode.options(row.options), at: decode.time(row.at) };
}

export interface SlackReactionRow<C extends Columns> {
  user_id: string;
  name: string;
  at: C["time"];
}

export function slackReactionFrom<C extends Columns>(
  row: SlackReactionRow<C>,
  decode: Decode<C>,
): SlackReaction {
  return { userId: row.user_id, name: row.name, at: decode.time(row.at) };
}

/** Which of mirrored_messages' two uniqueness rules a write broke (the constraint names of migration 3). */
export type MirroredConflict = "mirrored_messages_whatsapp" | "mirrored_messages_slack";

export function mirroredConflictError(
  message: MirroredMessageInsert,
  broken: MirroredConflict,
  cause: unknown,
): StoreConflictError {
  const text =
    broken === "mirrored_messages_whatsapp"
      ? `WhatsApp message ${message.waMessageId} of chat ${message.chatJid} (session ${message.sessionId}) in workspace ${message.workspaceId} is already mirrored`
      : `Slack message ${message.slackTs} in channel ${message.channelId} of workspace ${message.workspaceId} already stands for a WhatsApp message`;
  return new StoreConflictError(text, { cause });
}
