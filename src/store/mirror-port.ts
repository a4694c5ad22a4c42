// The mirror's part of the storage port: how each workspace receives gateway events, which WhatsApp
// chats are linked to which Slack channels, the durable inbox of events, and the map from each
// mirrored WhatsApp message to its Slack message (with the live state shown on it: reactions, votes).
// Every table is per workspace; nothing here holds a secret in plain text.

export type EventsMode = "webhook" | "realtime" | "off";

/** How one workspace receives the gateway's events. */
export interface EventSettingsRecord {
  workspaceId: string;
  mode: EventsMode;
  /** The gateway's id of the webhook registered for this workspace (webhook mode). */
  webhookId: string | null;
  /** The URL the webhook delivers to, as registered. */
  webhookUrl: string | null;
  /** JWE of the webhook's HMAC secret; never stored or shown in plain text. */
  sealedWebhookSecret: string | null;
  updatedBy: string;
  updatedAt: Date;
}

/** When the last event arrived, and its id (the realtime socket resumes with `since` = this id). */
export interface EventArrival {
  workspaceId: string;
  lastEventId: string;
  lastEventAt: Date;
}

/** A WhatsApp chat of one session mirrored into one Slack channel. */
export interface LinkRecord {
  workspaceId: string;
  channelId: string;
  sessionId: string;
  /** The chat's JID as the gateway names it (`…@g.us`, `…@s.whatsapp.net`, `…@lid`). */
  chatJid: string;
  /** Slack users' reactions on mirrored messages are sent to WhatsApp too. */
  sendReactions: boolean;
  /** Set when Slack refused posting there (the app was removed from the channel): posting stops. */
  pausedReason: string | null;
  createdBy: string;
  createdAt: Date;
}

/** One chat's events are processed one at a time, in event id order. */
export interface ChatKey {
  workspaceId: string;
  sessionId: string;
  chatJid: string;
}

export type InboxState = "pending" | "done" | "parked" | "skipped";

/** A gateway event, stored before the gateway (or the socket) is answered. */
export interface InboxInsert extends ChatKey {
  /** The envelope's `id` (`evt_<ULID>`): ids sort in the order the gateway made the events. */
  eventId: string;
  eventType: string;
  /** The WhatsApp stanza's own id (`payload.waMessageId`), when it has one. */
  waMessageId: string | null;
  /** The envelope exactly as received (JSON text). */
  envelope: string;
  receivedAt: Date;
}

export interface InboxEvent extends InboxInsert {
  id: number;
  state: InboxState;
  /** Failed processing attempts so far. */
  attempts: number;
  lastError: string | null;
}

/** A mirrored WhatsApp message and the Slack message that stands for it. */
export interface MirroredMessageInsert extends ChatKey {
  waMessageId: string;
  channelId: string;
  slackTs: string;
  /** The thread the Slack message is in (its parent's ts), when it is a reply. */
  threadTs: string | null;
  /** The WhatsApp sender (JID, else LID); "" for the account's own messages. */
  sender: string;
  /** What the Slack message is rendered from (JSON text): re-rendered on edits, revokes, reactions, votes. */
  content: string;
}

export interface MirroredMessage extends MirroredMessageInsert {
  id: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One WhatsApp person's current reaction on a mirrored message (one per person, as WhatsApp allows). */
export interface WhatsAppReaction {
  /** JID or LID of the reactor; "" for the account itself. */
  reactor: string;
  emoji: string;
  at: Date;
}

/** One voter's current selection in a mirrored poll (the whole selection, as WhatsApp sends it). */
export interface PollVote {
  /** JID or LID of the voter; "" for the account itself. */
  voter: string;
  /** Option texts; an option the gateway could not decrypt is kept as it came (64-char hex). */
  options: string[];
  at: Date;
}

/** A Slack user's reaction on a mirrored message, kept in order for the one-reaction-per-account rule. */
export interface SlackReaction {
  userId: string;
  /** Slack's name, without colons (`thumbsup::skin-tone-3`). */
  name: string;
  at: Date;
}

export interface MirrorStore {
  getEventSettings(workspaceId: string): Promise<EventSettingsRecord | undefined>;
  putEventSettings(record: EventSettingsRecord): Promise<void>;
  /** Every workspace whose mode is not "off". */
  listEventSettings(): Promise<EventSettingsRecord[]>;
  /** Keeps the newest arrival per workspace (an older `at` than the stored one is ignored). */
  recordEventArrival(arrival: EventArrival): Promise<void>;
  getEventArrival(workspaceId: string): Promise<EventArrival | undefined>;

  /** Adds or replaces the link of (workspace, session, chat): a chat is mirrored into at most one channel. */
  putLink(record: LinkRecord): Promise<void>;
  getLink(key: ChatKey): Promise<LinkRecord | undefined>;
  /** Links of a workspace, by channel then chat; of one channel when `channelId` is given. */
  listLinks(workspaceId: string, channelId?: string): Promise<LinkRecord[]>;
  /** Removes the channel's links (only the one chat's when `chatJid` is given); returns how many. */
  deleteLinks(workspaceId: string, channelId: string, chatJid?: string): Promise<number>;
  /** Sets or clears (null) `pausedReason` on every link of the channel. */
  setChannelPaused(workspaceId: string, channelId: string, reason: string | null): Promise<void>;

  /** Stores the event unless the workspace already has one with that id; `accepted` false means a repeat. */
  acceptEvent(event: InboxInsert): Promise<{ accepted: boolean }>;
  /** The chat's pending events, oldest event id first. */
  pendingEvents(key: ChatKey, limit: number): Promise<InboxEvent[]>;
  /** Every chat with pending events (to resume after a restart). */
  chatsWithPendingEvents(): Promise<ChatKey[]>;
  /** Marks an event processed (done), set aside for good (parked, with why) or deliberately not mirrored (skipped). */
  finishEvent(id: number, state: Exclude<InboxState, "pending">, note?: string): Promise<void>;
  /** Counts a failed attempt; the event stays pending. */
  recordEventFailure(id: number, error: string): Promise<void>;
  /** Deletes finished (not pending) events received before `before`; returns how many. */
  pruneInbox(before: Date): Promise<number>;
  /** How many events of the workspace are pending and parked. */
  inboxCounts(workspaceId: string): Promise<{ pending: number; parked: number }>;

  /**
   * Records a message as mirrored and finishes the event that mirrored it, in one transaction: either
   * both are written or neither. Throws StoreConflictError when the WhatsApp message is already mapped.
   */
  recordMirrored(message: MirroredMessageInsert, eventId: number): Promise<MirroredMessage>;
  findMirroredByWhatsApp(key: ChatKey, waMessageId: string): Promise<MirroredMessage | undefined>;
  /** The chat's message mirrored last (posted most recently), if any. */
  latestMirrored(key: ChatKey): Promise<MirroredMessage | undefined>;
  findMirroredBySlack(
    workspaceId: string,
    channelId: string,
    slackTs: string,
  ): Promise<MirroredMessage | undefined>;
  /** Replaces the content a Slack message is rendered from, and finishes the event that changed it (one transaction). */
  updateMirroredContent(id: number, content: string, eventId: number): Promise<void>;

  /** Sets (or with null removes) one WhatsApp person's reaction on a mirrored message. */
  setWhatsAppReaction(messageId: number, reactor: string, emoji: string | null, at: Date): Promise<void>;
  listWhatsAppReactions(messageId: number): Promise<WhatsAppReaction[]>;
  /** Sets (or with null withdraws) one voter's selection in a mirrored poll. */
  setPollVote(messageId: number, voter: string, options: string[] | null, at: Date): Promise<void>;
  listPollVotes(messageId: number): Promise<PollVote[]>;
  /** Adds a Slack user's reaction (a repeat of the same user and name is ignored). */
  addSlackReaction(messageId: number, reaction: SlackReaction): Promise<void>;
  removeSlackReaction(messageId: number, userId: string, name: string): Promise<void>;
  /** Oldest first. */
  listSlackReactions(messageId: number): Promise<SlackReaction[]>;

  /** Remembers a Slack Events API `event_id`; false when it was seen before (a retry). */
  markSlackEventSeen(eventId: string, at: Date): Promise<boolean>;
  /** Forgets Slack event ids seen before `before` (Slack retries within minutes); returns how many. */
  pruneSeenSlackEvents(before: Date): Promise<number>;
}
