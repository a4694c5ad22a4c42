// The SQLite adapter's half for the mirror (mirror-port.ts): sqlite.ts opens the database and composes it.
import Database from "better-sqlite3";
import type { ChatKey, MirroredMessage, MirroredMessageInsert, MirrorStore } from "./mirror-port.js";
import {
  type Decode,
  type EventArrivalRow,
  type EventSettingsRow,
  eventArrivalFrom,
  eventSettingsFrom,
  type InboxCountsRow,
  type InboxRow,
  inboxCountsFrom,
  inboxEventFrom,
  type LinkRow,
  linkFrom,
  type MirroredRow,
  mirroredConflictError,
  mirroredFrom,
  type PollVoteRow,
  pollVoteFrom,
  type SlackReactionRow,
  slackReactionFrom,
  type WhatsAppReactionRow,
  whatsAppReactionFrom,
} from "./mirror-rows.js";

interface SqliteColumns {
  time: number;
  flag: number;
  id: number;
  count: number;
  options: string;
}

const decode: Decode<SqliteColumns> = {
  time: (value) => new Date(value),
  flag: (value) => value === 1,
  id: (value) => value,
  count: (value) => value,
  options: (value) => JSON.parse(value) as string[],
};

/** Runs one synchronous database call with sqlite.ts's error handling. */
export type SqliteRun = <T>(work: () => T) => Promise<T>;

export function createSqliteMirror(db: Database.Database, run: SqliteRun): MirrorStore {
  const statements = {
    getEventSettings: db.prepare<[string], EventSettingsRow<SqliteColumns>>(
      "SELECT * FROM event_settings WHERE workspace_id = ?",
    ),
    putEventSettings: db.prepare(
      `INSERT INTO event_settings
         (workspace_id, mode, webhook_id, webhook_url, sealed_webhook_secret, updated_by, updated_at)
       VALUES (@workspaceId, @mode, @webhookId, @webhookUrl, @sealedWebhookSecret, @updatedBy, @updatedAt)
       ON CONFLICT (workspace_id) DO UPDATE SET
         mode = excluded.mode,
         webhook_id = excluded.webhook_id,
         webhook_url = excluded.webhook_url,
         sealed_webhook_secret = excluded.sealed_webhook_secret,
         updated_by = excluded.updated_by,
         updated_at = excluded.updated_at`,
    ),
    listEventSettings: db.prepare<[], EventSettingsRow<SqliteColumns>>(
      "SELECT * FROM event_settings WHERE mode <> 'off' ORDER BY workspace_id",
    ),
    // Two deliveries in the same millisecond keep the later event id.
    recordEventArrival: db.prepare(
      `INSERT INTO event_arrivals (workspace_id, last_event_id, last_event_at)
       VALUES (@workspaceId, @lastEventId, @lastEventAt)
       ON CONFLICT (workspace_id) DO UPDATE SET
         last_event_id = excluded.last_event_id,
         last_event_at = excluded.last_event_at
       WHERE excluded.last_event_at > event_arrivals.last_event_at
          OR (excluded.last_event_at = event_arrivals.last_event_at
              AND excluded.last_event_id > event_arrivals.last_event_id)`,
    ),
    getEventArrival: db.prepare<[string], EventArrivalRow<SqliteColumns>>(
      "SELECT * FROM event_arrivals WHERE workspace_id = ?",
    ),
    putLink: db.prepare(
      `INSERT INTO links
         (workspace_id, session_id, chat_jid, channel_id, send_reactions, paused_reason, created_by, created_at)
       VALUES (@workspaceId, @sessionId, @chatJid, @channelId, @sendReactions, @pausedReason, @createdBy, @createdAt)
       ON CONFLICT (workspace_id, session_id, chat_jid) DO UPDATE SET
         channel_id = excluded.channel_id,
         send_reactions = excluded.send_reactions,
         paused_reason = excluded.paused_reason,
         created_by = excluded.created_by,
         created_at = excluded.created_at`,
    ),
    getLink: db.prepare<[string, string, string], LinkRow<SqliteColumns>>(
      "SELECT * FROM links WHERE workspace_id = ? AND session_id = ? AND chat_jid = ?",
    ),
    listLinks: db.prepare<[string], LinkRow<SqliteColumns>>(
      "SELECT * FROM links WHERE workspace_id = ? ORDER BY channel_id, chat_jid, session_id",
    ),
    listChannelLinks: db.prepare<[string, string], LinkRow<SqliteColumns>>(
      "SELECT * FROM links WHERE workspace_id = ? AND channel_id = ? ORDER BY chat_jid, session_id",
    ),
    deleteChannelLinks: db.prepare<[string, string]>(
      "DELETE FROM links WHERE workspace_id = ? AND channel_id = ?",
    ),
    deleteChatLinks: db.prepare<[string, string, string]>(
      "DELETE FROM links WHERE workspace_id = ? AND channel_id = ? AND chat_jid = ?",
    ),
    setChannelPaused: db.prepare<[string | null, string, string]>(
      "UPDATE links SET paused_reason = ? WHERE workspace_id = ? AND channel_id = ?",
    ),
    acceptEvent: db.prepare(
      `INSERT INTO inbox
         (workspace_id, session_id, chat_jid, event_id, event_type, wa_message_id, envelope, received_at)
       VALUES (@workspaceId, @sessionId, @chatJid, @eventId, @eventType, @waMessageId, @envelope, @receivedAt)
       ON CONFLICT (workspace_id, event_id) DO NOTHING`,
    ),
    pendingEvents: db.prepare<[string, string, string, number], InboxRow<SqliteColumns>>(
      `SELECT * FROM inbox
       WHERE workspace_id = ? AND session_id = ? AND chat_jid = ? AND state = 'pending'
       ORDER BY event_id LIMIT ?`,
    ),
    chatsWithPendingEvents: db.prepare<[], { workspace_id: string; session_id: string; chat_jid: string }>(
      `SELECT DISTINCT workspace_id, session_id, chat_jid FROM inbox
       WHERE state = 'pending' ORDER BY workspace_id, session_id, chat_jid`,
    ),
    finishEvent: db.prepare<[string, string | null, number]>(
      "UPDATE inbox SET state = ?, note = ? WHERE id = ?",
    ),
    recordEventFailure: db.prepare<[string, number]>(
      "UPDATE inbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
    ),
    pruneInbox: db.prepare<[number]>("DELETE FROM inbox WHERE state <> 'pending' AND received_at < ?"),
    inboxCounts: db.prepare<[string], InboxCountsRow<SqliteColumns>>(
      `SELECT count(*) FILTER (WHERE state = 'pending') AS pending,
              count(*) FILTER (WHERE state = 'parked') AS parked
       FROM inbox WHERE workspace_id = ?`,
    ),
    insertMirrored: db.prepare<[MirroredMessageInsert & { now: number }], MirroredRow<SqliteColumns>>(
      `INSERT INTO mirrored_messages
         (workspace_id, session_id, chat_jid, wa_message_id, channel_id, slack_ts, thread_ts, sender, content,
          created_at, updated_at)
       VALUES (@workspaceId, @sessionId, @chatJid, @waMessageId, @channelId, @slackTs, @threadTs, @sender, @content,
               @now, @now)
       RETURNING *`,
    ),
    findMirroredByWhatsApp: db.prepare<[string, string, string, string], MirroredRow<SqliteColumns>>(
      `SELECT * FROM mirrored_messages
       WHERE workspace_id = ? AND session_id = ? AND chat_jid = ? AND wa_message_id = ?`,
    ),
    latestMirrored: db.prepare<[string, string, string], MirroredRow<SqliteColumns>>(
      `SELECT * FROM mirrored_messages WHERE workspace_id = ? AND session_id = ? AND chat_jid = ?
       ORDER BY id DESC LIMIT 1`,
    ),
    findMirroredBySlack: db.prepare<[string, string, string], MirroredRow<SqliteColumns>>(
      "SELECT * FROM mirrored_messages WHERE workspace_id = ? AND channel_id = ? AND slack_ts = ?",
    ),
    updateMirroredContent: db.prepare<[string, number, number]>(
      "UPDATE mirrored_messages SET content = ?, updated_at = ? WHERE id = ?",
    ),
    putWhatsAppReaction: db.prepare<[number, string, string, number]>(
      `INSERT INTO whatsapp_reactions (message_id, reactor, emoji, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (message_id, reactor) DO UPDATE SET emoji = excluded.emoji, at = excluded.at`,
    ),
    deleteWhatsAppReaction: db.prepare<[number, string]>(
      "DELETE FROM whatsapp_reactions WHERE message_id = ? AND reactor = ?",
    ),
    listWhatsAppReactions: db.prepare<[number], WhatsAppReactionRow<SqliteColumns>>(
      "SELECT reactor, emoji, at FROM whatsapp_reactions WHERE message_id = ? ORDER BY at, reactor",
    ),
    putPollVote: db.prepare<[number, string, string, number]>(
      `INSERT INTO poll_votes (message_id, voter, options, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (message_id, voter) DO UPDATE SET options = excluded.options, at = excluded.at`,
    ),
    deletePollVote: db.prepare<[number, string]>("DELETE FROM poll_votes WHERE message_id = ? AND voter = ?"),
    listPollVotes: db.prepare<[number], PollVoteRow<SqliteColumns>>(
      "SELECT voter, options, at FROM poll_votes WHERE message_id = ? ORDER BY at, voter",
    ),
    addSlackReaction: db.prepare<[number, string, string, number]>(
      `INSERT INTO slack_reactions (message_id, user_id, name, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (message_id, user_id, name) DO NOTHING`,
    ),
    removeSlackReaction: db.prepare<[number, string, string]>(
      "DELETE FROM slack_reactions WHERE message_id = ? AND user_id = ? AND name = ?",
    ),
    listSlackReactions: db.prepare<[number], SlackReactionRow<SqliteColumns>>(
      "SELECT user_id, name, at FROM slack_reactions WHERE message_id = ? ORDER BY at, id",
    ),
    pruneSeenSlackEvents: db.prepare<[number]>("DELETE FROM slack_events_seen WHERE seen_at < ?"),
    markSlackEventSeen: db.prepare<[string, number]>(
      "INSERT INTO slack_events_seen (event_id, seen_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING",
    ),
  };

  function insertMirrored(message: MirroredMessageInsert): MirroredMessage {
    try {
      const row = statements.insertMirrored.get({ ...message, now: Date.now() });
      if (row === undefined) throw new Error("INSERT … RETURNING into mirrored_messages returned no row");
      return mirroredFrom(row, decode);
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === "SQLITE_CONSTRAINT_UNIQUE") {
        // SQLite names the columns, not the constraint: only the WhatsApp rule includes wa_message_id.
        const broken = error.message.includes("wa_message_id")
          ? "mirrored_messages_whatsapp"
          : "mirrored_messages_slack";
        throw mirroredConflictError(message, broken, error);
      }
      throw error;
    }
  }

  // Both run as IMMEDIATE: the write lock is taken (waiting out busy_timeout) before anything is read.
  const recordMirrored = db.transaction((message: MirroredMessageInsert, eventId: number) => {
    const mirrored = insertMirrored(message);
    statements.finishEvent.run("done", null, eventId);
    return mirrored;
  });
  const updateMirroredContent = db.transaction((id: number, content: string, eventId: number) => {
    statements.updateMirroredContent.run(content, Date.now(), id);
    statements.finishEvent.run("done", null, eventId);
  });

  const chatArgs = (key: ChatKey): [string, string, string] => [key.workspaceId, key.sessionId, key.chatJid];

  return {
    getEventSettings: (workspaceId) =>
      run(() => {
        const row = statements.getEventSettings.get(workspaceId);
        return row === undefined ? undefined : eventSettingsFrom(row, decode);
      }),

    putEventSettings: (record) =>
      run(() => {
        statements.putEventSettings.run({ ...record, updatedAt: record.updatedAt.getTime() });
      }),

    listEventSettings: () =>
      run(() => statements.listEventSettings.all().map((row) => eventSettingsFrom(row, decode))),

    recordEventArrival: (arrival) =>
      run(() => {
        statements.recordEventArrival.run({ ...arrival, lastEventAt: arrival.lastEventAt.getTime() });
      }),

    getEventArrival: (workspaceId) =>
      run(() => {
        const row = statements.getEventArrival.get(workspaceId);
        return row === undefined ? undefined : eventArrivalFrom(row, decode);
      }),

    putLink: (record) =>
      run(() => {
        statements.putLink.run({
          ...record,
          sendReactions: record.sendReactions ? 1 : 0,
          createdAt: record.createdAt.getTime(),
        });
      }),

    getLink: (key) =>
      run(() => {
        const row = statements.getLink.get(...chatArgs(key));
        return row === undefined ? undefined : linkFrom(row, decode);
      }),

    listLinks: (workspaceId, channelId) =>
      run(() =>
        (channelId === undefined
          ? statements.listLinks.all(workspaceId)
          : statements.listChannelLinks.all(workspaceId, channelId)
        ).map((row) => linkFrom(row, decode)),
      ),

    deleteLinks: (workspaceId, channelId, chatJid) =>
      run(
        () =>
          (chatJid === undefined
            ? statements.deleteChannelLinks.run(workspaceId, channelId)
            : statements.deleteChatLinks.run(workspaceId, channelId, chatJid)
          ).changes,
      ),

    setChannelPaused: (workspaceId, channelId, reason) =>
      run(() => {
        statements.setChannelPaused.run(reason, workspaceId, channelId);
      }),

    acceptEvent: (event) =>
      run(() => ({
        accepted:
          statements.acceptEvent.run({ ...event, receivedAt: event.receivedAt.getTime() }).changes > 0,
      })),

    pendingEvents: (key, limit) =>
      run(() =>
        statements.pendingEvents
          .all(...chatArgs(key), Math.max(0, Math.trunc(limit)))
          .map((row) => inboxEventFrom(row, decode)),
      ),

    chatsWithPendingEvents: () =>
      run(() =>
        statements.chatsWithPendingEvents.all().map((row) => ({
          workspaceId: row.workspace_id,
          sessionId: row.session_id,
          chatJid: row.chat_jid,
        })),
      ),

    finishEvent: (id, state, note) =>
      run(() => {
        statements.finishEvent.run(state, note ?? null, id);
      }),

    recordEventFailure: (id, error) =>
      run(() => {
        statements.recordEventFailure.run(error, id);
      }),

    pruneInbox: (before) => run(() => statements.pruneInbox.run(before.getTime()).changes),

    inboxCounts: (workspaceId) => run(() => inboxCountsFrom(statements.inboxCounts.get(workspaceId), decode)),

    recordMirrored: (message, eventId) => run(() => recordMirrored.immediate(message, eventId)),

    findMirroredByWhatsApp: (key, waMessageId) =>
      run(() => {
        const row = statements.findMirroredByWhatsApp.get(...chatArgs(key), waMessageId);
        return row === undefined ? undefined : mirroredFrom(row, decode);
      }),

    latestMirrored: (key) =>
      run(() => {
        const row = statements.latestMirrored.get(...chatArgs(key));
        return row === undefined ? undefined : mirroredFrom(row, decode);
      }),

    findMirroredBySlack: (workspaceId, channelId, slackTs) =>
      run(() => {
        const row = statements.findMirroredBySlack.get(workspaceId, channelId, slackTs);
        return row === undefined ? undefined : mirroredFrom(row, decode);
      }),

    updateMirroredContent: (id, content, eventId) =>
      run(() => updateMirroredContent.immediate(id, content, eventId)),

    setWhatsAppReaction: (messageId, reactor, emoji, at) =>
      run(() => {
        if (emoji === null) statements.deleteWhatsAppReaction.run(messageId, reactor);
        else statements.putWhatsAppReaction.run(messageId, reactor, emoji, at.getTime());
      }),

    listWhatsAppReactions: (messageId) =>
      run(() =>
        statements.listWhatsAppReactions.all(messageId).map((row) => whatsAppReactionFrom(row, decode)),
      ),

    setPollVote: (messageId, voter, options, at) =>
      run(() => {
        if (options === null) statements.deletePollVote.run(messageId, voter);
        else statements.putPollVote.run(messageId, voter, JSON.stringify(options), at.getTime());
      }),

    listPollVotes: (messageId) =>
      run(() => statements.listPollVotes.all(messageId).map((row) => pollVoteFrom(row, decode))),

    addSlackReaction: (messageId, reaction) =>
      run(() => {
        statements.addSlackReaction.run(messageId, reaction.userId, reaction.name, reaction.at.getTime());
      }),

    removeSlackReaction: (messageId, userId, name) =>
      run(() => {
        statements.removeSlackReaction.run(messageId, userId, name);
      }),

    listSlackReactions: (messageId) =>
      run(() => statements.listSlackReactions.all(messageId).map((row) => slackReactionFrom(row, decode))),

    pruneSeenSlackEvents: (before) =>
      run(() => statements.pruneSeenSlackEvents.run(before.getTime()).changes),

    markSlackEventSeen: (eventId, at) =>
      run(() => statements.markSlackEventSeen.run(eventId, at.getTime()).changes > 0),
  };
}
