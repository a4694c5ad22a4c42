// The PostgreSQL adapter's half for the mirror (mirror-port.ts): postgres.ts owns the pool and composes it.
import type pg from "pg";
import type { ChatKey, MirroredMessageInsert, MirrorStore } from "./mirror-port.js";
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
  type MirroredConflict,
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

interface PostgresColumns {
  time: Date;
  flag: boolean;
  /** bigint comes back as text. */
  id: string;
  count: string;
  /** jsonb comes back parsed. */
  options: string[];
}

const decode: Decode<PostgresColumns> = {
  time: (value) => value,
  flag: (value) => value,
  id: (value) => Number(value),
  count: (value) => Number(value),
  options: (value) => value,
};

/** postgres.ts's query helper: one statement, its error handling included. */
export type PostgresQuery = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<R[]>;
/** Runs `work` in one transaction on one pooled client; `query` runs on that client. */
export type PostgresTransaction = <T>(work: (query: PostgresQuery) => Promise<T>) => Promise<T>;

const UNIQUE_VIOLATION = "23505";
const MIRRORED_CONSTRAINTS: readonly MirroredConflict[] = [
  "mirrored_messages_whatsapp",
  "mirrored_messages_slack",
];

const chatArgs = (key: ChatKey): string[] => [key.workspaceId, key.sessionId, key.chatJid];

/** Wraps a data-changing statement so it answers with one row: how many rows it changed. */
const counted = (statement: string) =>
  `WITH changed AS (${statement} RETURNING 1) SELECT count(*) AS n FROM changed`;

export function createPostgresMirror(query: PostgresQuery, transaction: PostgresTransaction): MirrorStore {
  async function changed(statement: string, values: unknown[]): Promise<number> {
    const rows = await query<{ n: string }>(counted(statement), values);
    return Number(rows[0]?.n ?? 0);
  }

  async function insertMirrored(run: PostgresQuery, message: MirroredMessageInsert, now: Date) {
    try {
      const rows = await run<MirroredRow<PostgresColumns>>(
        `INSERT INTO mirrored_messages
           (workspace_id, session_id, chat_jid, wa_message_id, channel_id, slack_ts, thread_ts, sender, content,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
         RETURNING *`,
        [
          message.workspaceId,
          message.sessionId,
          message.chatJid,
          message.waMessageId,
          message.channelId,
          message.slackTs,
          message.threadTs,
          message.sender,
          message.content,
          now,
        ],
      );
      const row = rows[0];
      if (row === undefined) throw new Error("INSERT … RETURNING into mirrored_messages returned no row");
      return mirroredFrom(row, decode);
    } catch (error) {
      const { code, constraint } = error as { code?: unknown; constraint?: unknown };
      const broken = MIRRORED_CONSTRAINTS.find((name) => name === constraint);
      if (code === UNIQUE_VIOLATION && broken !== undefined)
        throw mirroredConflictError(message, broken, error);
      throw error;
    }
  }

  const finishDone = (run: PostgresQuery, eventId: number) =>
    run("UPDATE inbox SET state = 'done', note = NULL WHERE id = $1", [eventId]);

  return {
    async getEventSettings(workspaceId) {
      const rows = await query<EventSettingsRow<PostgresColumns>>(
        "SELECT * FROM event_settings WHERE workspace_id = $1",
        [workspaceId],
      );
      return rows[0] === undefined ? undefined : eventSettingsFrom(rows[0], decode);
    },

    async putEventSettings(record) {
      await query(
        `INSERT INTO event_settings
           (workspace_id, mode, webhook_id, webhook_url, sealed_webhook_secret, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (workspace_id) DO UPDATE SET
           mode = excluded.mode,
           webhook_id = excluded.webhook_id,
           webhook_url = excluded.webhook_url,
           sealed_webhook_secret = excluded.sealed_webhook_secret,
           updated_by = excluded.updated_by,
           updated_at = excluded.updated_at`,
        [
          record.workspaceId,
          record.mode,
          record.webhookId,
          record.webhookUrl,
          record.sealedWebhookSecret,
          record.updatedBy,
          record.updatedAt,
        ],
      );
    },

    async listEventSettings() {
      const rows = await query<EventSettingsRow<PostgresColumns>>(
        "SELECT * FROM event_settings WHERE mode <> 'off' ORDER BY workspace_id",
      );
      return rows.map((row) => eventSettingsFrom(row, decode));
    },

    async recordEventArrival(arrival) {
      // Two deliveries in the same millisecond keep the later event id.
      await query(
        `INSERT INTO event_arrivals (workspace_id, last_event_id, last_event_at) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id) DO UPDATE SET
           last_event_id = excluded.last_event_id,
           last_event_at = excluded.last_event_at
         WHERE (excluded.last_event_at, excluded.last_event_id)
             > (event_arrivals.last_event_at, event_arrivals.last_event_id)`,
        [arrival.workspaceId, arrival.lastEventId, arrival.lastEventAt],
      );
    },

    async getEventArrival(workspaceId) {
      const rows = await query<EventArrivalRow<PostgresColumns>>(
        "SELECT * FROM event_arrivals WHERE workspace_id = $1",
        [workspaceId],
      );
      return rows[0] === undefined ? undefined : eventArrivalFrom(rows[0], decode);
    },

    async putLink(record) {
      await query(
        `INSERT INTO links
           (workspace_id, session_id, chat_jid, channel_id, send_reactions, paused_reason, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (workspace_id, session_id, chat_jid) DO UPDATE SET
           channel_id = excluded.channel_id,
           send_reactions = excluded.send_reactions,
           paused_reason = excluded.paused_reason,
           created_by = excluded.created_by,
           created_at = excluded.created_at`,
        [
          record.workspaceId,
          record.sessionId,
          record.chatJid,
          record.channelId,
          record.sendReactions,
          record.pausedReason,
          record.createdBy,
          record.createdAt,
        ],
      );
    },

    async getLink(key) {
      const rows = await query<LinkRow<PostgresColumns>>(
        "SELECT * FROM links WHERE workspace_id = $1 AND session_id = $2 AND chat_jid = $3",
        chatArgs(key),
      );
      return rows[0] === undefined ? undefined : linkFrom(rows[0], decode);
    },

    async listLinks(workspaceId, channelId) {
      const rows = await query<LinkRow<PostgresColumns>>(
        `SELECT * FROM links WHERE workspace_id = $1 AND ($2::text IS NULL OR channel_id = $2)
         ORDER BY channel_id, chat_jid, session_id`,
        [workspaceId, channelId ?? null],
      );
      return rows.map((row) => linkFrom(row, decode));
    },

    deleteLinks: (workspaceId, channelId, chatJid) =>
      changed(
        "DELETE FROM links WHERE workspace_id = $1 AND channel_id = $2 AND ($3::text IS NULL OR chat_jid = $3)",
        [workspaceId, channelId, chatJid ?? null],
      ),

    async setChannelPaused(workspaceId, channelId, reason) {
      await query("UPDATE links SET paused_reason = $3 WHERE workspace_id = $1 AND channel_id = $2", [
        workspaceId,
        channelId,
        reason,
      ]);
    },

    async acceptEvent(event) {
      const rows = await query(
        `INSERT INTO inbox
           (workspace_id, session_id, chat_jid, event_id, event_type, wa_message_id, envelope, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (workspace_id, event_id) DO NOTHING
         RETURNING id`,
        [
          event.workspaceId,
          event.sessionId,
          event.chatJid,
          event.eventId,
          event.eventType,
          event.waMessageId,
          event.envelope,
          event.receivedAt,
        ],
      );
      return { accepted: rows.length > 0 };
    },

    async pendingEvents(key, limit) {
      const rows = await query<InboxRow<PostgresColumns>>(
        `SELECT * FROM inbox
         WHERE workspace_id = $1 AND session_id = $2 AND chat_jid = $3 AND state = 'pending'
         ORDER BY event_id LIMIT $4`,
        [...chatArgs(key), Math.max(0, Math.trunc(limit))],
      );
      return rows.map((row) => inboxEventFrom(row, decode));
    },

    async chatsWithPendingEvents() {
      const rows = await query<{ workspace_id: string; session_id: string; chat_jid: string }>(
        `SELECT DISTINCT workspace_id, session_id, chat_jid FROM inbox
         WHERE state = 'pending' ORDER BY workspace_id, session_id, chat_jid`,
      );
      return rows.map((row) => ({
        workspaceId: row.workspace_id,
        sessionId: row.session_id,
        chatJid: row.chat_jid,
      }));
    },

    async finishEvent(id, state, note) {
      await query("UPDATE inbox SET state = $2, note = $3 WHERE id = $1", [id, state, note ?? null]);
    },

    async recordEventFailure(id, error) {
      await query("UPDATE inbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1", [id, error]);
    },

    pruneInbox: (before) =>
      changed("DELETE FROM inbox WHERE state <> 'pending' AND received_at < $1", [before]),

    async inboxCounts(workspaceId) {
      const rows = await query<InboxCountsRow<PostgresColumns>>(
        `SELECT count(*) FILTER (WHERE state = 'pending') AS pending,
                count(*) FILTER (WHERE state = 'parked') AS parked
         FROM inbox WHERE workspace_id = $1`,
        [workspaceId],
      );
      return inboxCountsFrom(rows[0], decode);
    },

    recordMirrored: (message, eventId) =>
      transaction(async (run) => {
        const mirrored = await insertMirrored(run, message, new Date());
        await finishDone(run, eventId);
        return mirrored;
      }),

    async findMirroredByWhatsApp(key, waMessageId) {
      const rows = await query<MirroredRow<PostgresColumns>>(
        `SELECT * FROM mirrored_messages
         WHERE workspace_id = $1 AND session_id = $2 AND chat_jid = $3 AND wa_message_id = $4`,
        [...chatArgs(key), waMessageId],
      );
      return rows[0] === undefined ? undefined : mirroredFrom(rows[0], decode);
    },

    async latestMirrored(key) {
      const rows = await query<MirroredRow<PostgresColumns>>(
        `SELECT * FROM mirrored_messages WHERE workspace_id = $1 AND session_id = $2 AND chat_jid = $3
         ORDER BY id DESC LIMIT 1`,
        chatArgs(key),
      );
      return rows[0] === undefined ? undefined : mirroredFrom(rows[0], decode);
    },

    async findMirroredBySlack(workspaceId, channelId, slackTs) {
      const rows = await query<MirroredRow<PostgresColumns>>(
        "SELECT * FROM mirrored_messages WHERE workspace_id = $1 AND channel_id = $2 AND slack_ts = $3",
        [workspaceId, channelId, slackTs],
      );
      return rows[0] === undefined ? undefined : mirroredFrom(rows[0], decode);
    },

    updateMirroredContent: (id, content, eventId) =>
      transaction(async (run) => {
        await run("UPDATE mirrored_messages SET content = $2, updated_at = $3 WHERE id = $1", [
          id,
          content,
          new Date(),
        ]);
        await finishDone(run, eventId);
      }),

    async setWhatsAppReaction(messageId, reactor, emoji, at) {
      if (emoji === null) {
        await query("DELETE FROM whatsapp_reactions WHERE message_id = $1 AND reactor = $2", [
          messageId,
          reactor,
        ]);
        return;
      }
      await query(
        `INSERT INTO whatsapp_reactions (message_id, reactor, emoji, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (message_id, reactor) DO UPDATE SET emoji = excluded.emoji, at = excluded.at`,
        [messageId, reactor, emoji, at],
      );
    },

    async listWhatsAppReactions(messageId) {
      const rows = await query<WhatsAppReactionRow<PostgresColumns>>(
        "SELECT reactor, emoji, at FROM whatsapp_reactions WHERE message_id = $1 ORDER BY at, reactor",
        [messageId],
      );
      return rows.map((row) => whatsAppReactionFrom(row, decode));
    },

    async setPollVote(messageId, voter, options, at) {
      if (options === null) {
        await query("DELETE FROM poll_votes WHERE message_id = $1 AND voter = $2", [messageId, voter]);
        return;
      }
      await query(
        `INSERT INTO poll_votes (message_id, voter, options, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (message_id, voter) DO UPDATE SET options = excluded.options, at = excluded.at`,
        // pg would send a JS array as a PostgreSQL array, not as JSON.
        [messageId, voter, JSON.stringify(options), at],
      );
    },

    async listPollVotes(messageId) {
      const rows = await query<PollVoteRow<PostgresColumns>>(
        "SELECT voter, options, at FROM poll_votes WHERE message_id = $1 ORDER BY at, voter",
        [messageId],
      );
      return rows.map((row) => pollVoteFrom(row, decode));
    },

    async addSlackReaction(messageId, reaction) {
      await query(
        `INSERT INTO slack_reactions (message_id, user_id, name, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (message_id, user_id, name) DO NOTHING`,
        [messageId, reaction.userId, reaction.name, reaction.at],
      );
    },

    async removeSlackReaction(messageId, userId, name) {
      await query("DELETE FROM slack_reactions WHERE message_id = $1 AND user_id = $2 AND name = $3", [
        messageId,
        userId,
        name,
      ]);
    },

    async listSlackReactions(messageId) {
      const rows = await query<SlackReactionRow<PostgresColumns>>(
        "SELECT user_id, name, at FROM slack_reactions WHERE message_id = $1 ORDER BY at, id",
        [messageId],
      );
      return rows.map((row) => slackReactionFrom(row, decode));
    },

    pruneSeenSlackEvents: (before) => changed("DELETE FROM slack_events_seen WHERE seen_at < $1", [before]),

    async markSlackEventSeen(eventId, at) {
      const rows = await query(
        `INSERT INTO slack_events_seen (event_id, seen_at) VALUES ($1, $2)
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [eventId, at],
      );
      return rows.length > 0;
    },
  };
}
