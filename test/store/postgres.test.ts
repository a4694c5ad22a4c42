import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, StoreUnavailableError } from "../../src/errors.js";
import { createStore } from "../../src/store/create-store.js";
import { POSTGRES_MIGRATIONS } from "../../src/store/migrations.js";
import type { Store } from "../../src/store/port.js";
import { createPostgresStore } from "../../src/store/postgres.js";
import { capturingLogger, silentLogger } from "../support/store-fixtures.js";
import {
  dropSchemas,
  freshSchemaName,
  rawQuery,
  skipWithoutPostgres,
  TEST_DATABASE_URL,
  urlWithSchema,
} from "../support/store-postgres.js";
import { startTcpProxy } from "../support/store-tcp-proxy.js";
import { expectUpgradedToMirror, mirrorContract } from "./mirror-contract.js";
import { storeContract } from "./store-contract.js";

const skip = await skipWithoutPostgres("postgres.test.ts");
const schemas: string[] = [];
afterAll(async () => {
  if (!skip) await dropSchemas(schemas);
});

function freshUrl(): string {
  const schema = freshSchemaName();
  schemas.push(schema);
  return urlWithSchema(schema);
}

describe("PostgreSQL adapter without a server", () => {
  it("when nothing listens on the port, then createStore rejects with StoreUnavailableError that hides the password", async () => {
    const attempt = createStore("postgres://wa:s3cret-pass@127.0.0.1:1/wa_slack", silentLogger());
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("postgres://wa@127.0.0.1:1/wa_slack");
    expect(error.message).toContain("Check that PostgreSQL is running");
    expect(error.message).not.toContain("s3cret-pass");
  });

  it("when the schema name is not a plain identifier, then createStore refuses it as a configuration error", async () => {
    const attempt = createStore(
      `${TEST_DATABASE_URL}?schema=${encodeURIComponent('x"; DROP TABLE y; --')}`,
      silentLogger(),
    );
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/schema name/);
  });
});

describe.skipIf(skip)("PostgreSQL adapter", () => {
  async function freshSubject() {
    const url = freshUrl();
    return { store: await createStore(url, silentLogger()), reopen: () => createStore(url, silentLogger()) };
  }

  storeContract("PostgreSQL", freshSubject);
  mirrorContract("PostgreSQL", freshSubject);

  it("when several instances start at once, then each migration is applied exactly once", async () => {
    const url = freshUrl();
    const stores = await Promise.all(Array.from({ length: 5 }, () => createStore(url, silentLogger())));
    try {
      const schema = new URL(url).searchParams.get("schema");
      const rows = await rawQuery<{ version: number }>(
        `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
      );
      expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })));
      expect(stores.every((s) => s.kind === "postgres")).toBe(true);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it("when the schema parameter is given, then the tables live in that schema only", async () => {
    const url = freshUrl();
    const store = await createStore(url, silentLogger());
    await store.close();
    const schema = new URL(url).searchParams.get("schema");
    const tables = await rawQuery<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      "audit_log",
      "event_arrivals",
      "event_settings",
      "inbox",
      "installations",
      "links",
      "mirrored_messages",
      "poll_votes",
      "schema_migrations",
      "slack_events_seen",
      "slack_reactions",
      "whatsapp_reactions",
      "workspaces",
    ]);
  });

  it("when a newer app adds a migration, then reopening applies only that one", async () => {
    const url = freshUrl();
    await (await createStore(url, silentLogger())).close();
    const lines: string[] = [];
    const upgraded = await createPostgresStore(
      {
        url,
        migrations: [
          ...POSTGRES_MIGRATIONS,
          { version: 999, name: "add a note column", sql: "ALTER TABLE audit_log ADD COLUMN note text" },
        ],
      },
      capturingLogger(lines),
    );
    await upgraded.close();
    expect(lines.filter((l) => l.includes("applied migration"))).toHaveLength(1);
    expect(lines[0]).toContain("add a note column");
  });

  it("when a database from before the mirror is opened, then the mirror's tables are added and the data is kept", async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
    // As the app of migration 2 left it.
    await rawQuery(`
      CREATE SCHEMA "${schema}";
      SET search_path TO "${schema}";
      CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
      ${POSTGRES_MIGRATIONS.filter((m) => m.version <= 2)
        .map(
          (m) =>
            `${m.sql}; INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${quote(m.name)});`,
        )
        .join("\n")}
      INSERT INTO workspaces VALUES ('T0OLD', 'sealed-key', 'S', 'channel', 'cli', 'epoch'::timestamptz + interval '1 second');
      INSERT INTO audit_log (workspace_id, user_id, operation, session_id, chat, message_id, emoji, options, ok, status, error_code, at, pending)
        VALUES ('T0OLD', 'U1', 'react', 'S', 'c', 'm', '👍', NULL, false, NULL, NULL, 'epoch'::timestamptz + interval '2 seconds', true);
    `);

    const lines: string[] = [];
    const store = await createPostgresStore({ url: urlWithSchema(schema) }, capturingLogger(lines));
    try {
      await expectUpgradedToMirror(store);
    } finally {
      await store.close();
    }
    expect(lines.filter((l) => l.includes("applied migration")).map((l) => JSON.parse(l).version)).toEqual([
      3,
    ]);
  });

  it("when a mirrored message is deleted, then its reactions, votes and Slack reactions go with it", async () => {
    const url = freshUrl();
    const store = await createStore(url, silentLogger());
    try {
      const key = { workspaceId: "T0FK", sessionId: "S", chatJid: "1@g.us" };
      await store.acceptEvent({
        ...key,
        eventId: "evt_1",
        eventType: "message.received",
        waMessageId: "W1",
        envelope: "{}",
        receivedAt: new Date(0),
      });
      const [pending] = await store.pendingEvents(key, 1);
      const mirrored = await store.recordMirrored(
        {
          ...key,
          waMessageId: "W1",
          channelId: "C1",
          slackTs: "1.1",
          threadTs: null,
          sender: "",
          content: "{}",
        },
        pending?.id ?? -1,
      );
      await store.setWhatsAppReaction(mirrored.id, "", "👍", new Date(1));
      await store.setPollVote(mirrored.id, "", ["A"], new Date(1));
      await store.addSlackReaction(mirrored.id, { userId: "U1", name: "tada", at: new Date(1) });
      const schema = new URL(url).searchParams.get("schema");
      await rawQuery(`DELETE FROM "${schema}".mirrored_messages WHERE id = $1`, [mirrored.id]);
      for (const table of ["whatsapp_reactions", "poll_votes", "slack_reactions"]) {
        expect(await rawQuery(`SELECT count(*)::int AS n FROM "${schema}".${table}`), table).toEqual([
          { n: 0 },
        ]);
      }
    } finally {
      await store.close();
    }
  });

  it("when an event is parked with a note, then its row keeps why", async () => {
    const url = freshUrl();
    const store = await createStore(url, silentLogger());
    try {
      const key = { workspaceId: "T0NOTE", sessionId: "S", chatJid: "1@g.us" };
      await store.acceptEvent({
        ...key,
        eventId: "evt_1",
        eventType: "x",
        waMessageId: null,
        envelope: "{}",
        receivedAt: new Date(0),
      });
      const [pending] = await store.pendingEvents(key, 1);
      await store.recordEventFailure(pending?.id ?? -1, "boom");
      await store.finishEvent(pending?.id ?? -1, "parked", "gave up after 1 attempt");
      const schema = new URL(url).searchParams.get("schema");
      expect(await rawQuery(`SELECT state, attempts, last_error, note FROM "${schema}".inbox`)).toEqual([
        { state: "parked", attempts: 1, last_error: "boom", note: "gave up after 1 attempt" },
      ]);
    } finally {
      await store.close();
    }
  });

  it("when the event ids would sort differently in the database's locale, then pending events still come in byte order", async () => {
    const url = freshUrl();
    const store = await createStore(url, silentLogger());
    try {
      const key = { workspaceId: "T0ORDER", sessionId: "S", chatJid: "1@g.us" };
      // Byte order puts "Z" before "a"; a linguistic collation would not.
      for (const eventId of ["evt_a", "evt_Z", "evt_b"]) {
        await store.acceptEvent({
          ...key,
          eventId,
          eventType: "x",
          waMessageId: null,
          envelope: "{}",
          receivedAt: new Date(0),
        });
      }
      expect((await store.pendingEvents(key, 10)).map((e) => e.eventId)).toEqual(["evt_Z", "evt_a", "evt_b"]);
      // The test server's own locale may already sort bytewise: the column must not depend on it.
      const schema = new URL(url).searchParams.get("schema");
      const columns = await rawQuery<{ collation_name: string | null }>(
        "SELECT collation_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'inbox' AND column_name = 'event_id'",
        [schema],
      );
      expect(columns).toEqual([{ collation_name: "C" }]);
    } finally {
      await store.close();
    }
  });

  it("when the database does not exist, then createStore rejects with StoreUnavailableError saying so", async () => {
    const u = new URL(TEST_DATABASE_URL);
    u.pathname = "/wa_slack_no_such_database";
    const attempt = createStore(u.href, silentLogger());
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toThrow(/Create the database/);
  });

  it("when the database goes away after start, then every method rejects with StoreUnavailableError", async () => {
    const target = new URL(TEST_DATABASE_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(freshUrl());
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const lines: string[] = [];
    const store = await createStore(viaProxy.href, capturingLogger(lines, "warn"));
    try {
      await store.ping();
      await proxy.cut();
      const chatKey = { workspaceId: "T0X", sessionId: "S", chatJid: "1@g.us" };
      const calls: Array<[string, (s: Store) => Promise<unknown>]> = [
        ["ping", (s) => s.ping()],
        ["getWorkspace", (s) => s.getWorkspace("T0X")],
        ["listWorkspaces", (s) => s.listWorkspaces()],
        [
          "putWorkspace",
          (s) =>
            s.putWorkspace({
              workspaceId: "T0X",
              sealedApiKey: null,
              defaultSessionId: null,
              visibility: "channel",
              updatedBy: "cli",
              updatedAt: new Date(),
            }),
        ],
        ["deleteWorkspace", (s) => s.deleteWorkspace("T0X")],
        ["getInstallation", (s) => s.getInstallation("T0X")],
        [
          "putInstallation",
          (s) =>
            s.putInstallation({
              installationId: "T0X",
              isEnterpriseInstall: false,
              sealedInstallation: "x",
              updatedAt: new Date(),
            }),
        ],
        ["deleteInstallation", (s) => s.deleteInstallation("T0X")],
        ["listInstallations", (s) => s.listInstallations()],
        [
          "appendAudit",
          (s) =>
            s.appendAudit({
              workspaceId: "T0X",
              userId: "U",
              operation: "react",
              sessionId: "S",
              chat: "c",
              messageId: "m",
              emoji: "👍",
              outcome: { ok: true, status: "sent" },
              at: new Date(),
            }),
        ],
        ["listAudit", (s) => s.listAudit({ workspaceId: "T0X", limit: 1 })],
        ["settleAudit", (s) => s.settleAudit(1, { ok: true, status: "sent" })],
        [
          "settleStalePendingAudit",
          (s) => s.settleStalePendingAudit(new Date(), { ok: false, errorCode: "x" }),
        ],
        ["getEventSettings", (s) => s.getEventSettings("T0X")],
        [
          "putEventSettings",
          (s) =>
            s.putEventSettings({
              workspaceId: "T0X",
              mode: "realtime",
              webhookId: null,
              webhookUrl: null,
              sealedWebhookSecret: null,
              updatedBy: "cli",
              updatedAt: new Date(),
            }),
        ],
        ["listEventSettings", (s) => s.listEventSettings()],
        [
          "recordEventArrival",
          (s) => s.recordEventArrival({ workspaceId: "T0X", lastEventId: "evt_1", lastEventAt: new Date() }),
        ],
        ["getEventArrival", (s) => s.getEventArrival("T0X")],
        [
          "putLink",
          (s) =>
            s.putLink({
              ...chatKey,
              channelId: "C",
              sendReactions: true,
              pausedReason: null,
              createdBy: "U",
              createdAt: new Date(),
            }),
        ],
        ["getLink", (s) => s.getLink(chatKey)],
        ["listLinks", (s) => s.listLinks("T0X")],
        ["deleteLinks", (s) => s.deleteLinks("T0X", "C")],
        ["setChannelPaused", (s) => s.setChannelPaused("T0X", "C", null)],
        [
          "acceptEvent",
          (s) =>
            s.acceptEvent({
              ...chatKey,
              eventId: "evt_1",
              eventType: "x",
              waMessageId: null,
              envelope: "{}",
              receivedAt: new Date(),
            }),
        ],
        ["pendingEvents", (s) => s.pendingEvents(chatKey, 1)],
        ["chatsWithPendingEvents", (s) => s.chatsWithPendingEvents()],
        ["finishEvent", (s) => s.finishEvent(1, "done")],
        ["recordEventFailure", (s) => s.recordEventFailure(1, "boom")],
        ["pruneInbox", (s) => s.pruneInbox(new Date())],
        ["inboxCounts", (s) => s.inboxCounts("T0X")],
        [
          "recordMirrored",
          (s) =>
            s.recordMirrored(
              {
                ...chatKey,
                waMessageId: "W",
                channelId: "C",
                slackTs: "1.1",
                threadTs: null,
                sender: "",
                content: "{}",
              },
              1,
            ),
        ],
        ["findMirroredByWhatsApp", (s) => s.findMirroredByWhatsApp(chatKey, "W")],
        ["findMirroredBySlack", (s) => s.findMirroredBySlack("T0X", "C", "1.1")],
        ["updateMirroredContent", (s) => s.updateMirroredContent(1, "{}", 1)],
        ["setWhatsAppReaction", (s) => s.setWhatsAppReaction(1, "", "👍", new Date())],
        ["listWhatsAppReactions", (s) => s.listWhatsAppReactions(1)],
        ["setPollVote", (s) => s.setPollVote(1, "", null, new Date())],
        ["listPollVotes", (s) => s.listPollVotes(1)],
        ["addSlackReaction", (s) => s.addSlackReaction(1, { userId: "U", name: "tada", at: new Date() })],
        ["removeSlackReaction", (s) => s.removeSlackReaction(1, "U", "tada")],
        ["listSlackReactions", (s) => s.listSlackReactions(1)],
        ["markSlackEventSeen", (s) => s.markSlackEventSeen("Ev1", new Date())],
      ];
      for (const [name, call] of calls) {
        const error = await call(store).then(
          () => new Error(`${name} resolved`),
          (e: unknown) => e,
        );
        expect(error, name).toBeInstanceOf(StoreUnavailableError);
        expect((error as Error).message, name).toContain(`127.0.0.1:${proxy.port}`);
      }
    } finally {
      await store.close();
    }
  });
});
