// The mirror end to end on PostgreSQL, where the chats' work runs through graphile-worker: the basic flow
// by webhook, a restart in the middle of a backlog, and the database going away while a webhook arrives.
// The app reaches PostgreSQL through a loopback switch the test can turn off and on.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EXAMPLE_GROUP_JID,
  editedEvent,
  newMessageId,
  replyMessage,
  textMessage,
} from "../../src/sandbox/gateway/event-payloads.js";
import { type Harness, startHarness, TEAM } from "../support/app-harness.js";
import { linkChat, MANAGE_KEY, MIRROR_CHANNEL, useWebhook, whatsapp } from "../support/mirror-helpers.js";
import { expectMirroredOnceInOrder, mirrored, postsOf, readableOf } from "../support/mirror-observe.js";
import { eventually } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";
import { startTcpSwitch, type TcpSwitch } from "../support/reliability-tcp-switch.js";
import {
  dropSchemas,
  freshSchemaName,
  skipWithoutPostgres,
  TEST_DATABASE_URL,
  urlWithSchema,
} from "../support/store-postgres.js";

const skipPostgres = await skipWithoutPostgres("mirror/mirror-postgres.test.ts");

const GROUP = EXAMPLE_GROUP_JID;

describe.skipIf(skipPostgres)("mirroring on PostgreSQL, through graphile-worker", () => {
  const schema = freshSchemaName();
  let pgSwitch: TcpSwitch;
  let h: Harness;

  beforeAll(async () => {
    const server = new URL(TEST_DATABASE_URL);
    pgSwitch = await startTcpSwitch();
    pgSwitch.target(server.hostname, Number(server.port || 5432));
    const through = new URL(urlWithSchema(schema));
    through.hostname = "127.0.0.1";
    through.port = String(pgSwitch.port);
    h = await startHarness({
      databaseUrl: through.href,
      tuning: { mirror: { pace: { intervalMs: 5, burst: 20 } } },
    });
    await h.configure(TEAM);
    h.slack.addChannel(MIRROR_CHANNEL);
    await useWebhook(h);
    await linkChat(h, GROUP);
  });
  afterAll(async () => {
    expectNoSecretsLeaked(h, harnessSecrets({ extra: [MANAGE_KEY] }));
    await h.close();
    await pgSwitch.close();
    await dropSchemas([schema, `${schema}_worker`]);
  });
  beforeEach(() => {
    h.slack.clearFaults();
  });

  function say(body: string): string {
    const waId = newMessageId();
    whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body }));
    return waId;
  }

  it("when messages, a reply and an edit come by webhook, then each is posted once and in order, the reply in its thread, the edit in place", async () => {
    const ids = [say("pg one"), say("pg two"), say("pg three")];
    await expectMirroredOnceInOrder(h, ids);
    const parent = await mirrored(h, ids[0] as string);

    const replyId = newMessageId();
    whatsapp(
      h,
      replyMessage({
        waMessageId: replyId,
        chatJid: GROUP,
        body: "pg reply",
        quotedMessageId: ids[0] as string,
        quotedBody: "pg one",
      }),
    );
    expect((await mirrored(h, replyId)).threadTs).toBe(parent.ts);

    whatsapp(h, editedEvent({ chatJid: GROUP, targetId: ids[1] as string, body: "pg two, edited" }));
    await eventually(
      () => readableOf(postsOf(h, ids[1] as string)[0]).includes("pg two, edited"),
      "the edit shows",
    );
    await h.gateway.deliveriesSettled();
    await eventually(
      async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
      "the inbox is drained",
    );
    for (const id of [...ids, replyId]) expect(postsOf(h, id)).toHaveLength(1);
    expect(postsOf(h, ids[1] as string)[0]?.updates).toBe(1);
  });

  it("when the app restarts in the middle of a backlog, then every message is posted exactly once, in order", async () => {
    // Slack slowed down, so the backlog is still being worked through when the app stops.
    h.slack.setFault("chat.postMessage", { kind: "latency", ms: 150 });
    const ids = Array.from({ length: 20 }, (_, i) => say(`backlog ${i}`));
    await eventually(() => postsOf(h, ids[2] as string).length > 0, "the first few are posted");
    expect(postsOf(h, ids[19] as string)).toHaveLength(0);

    await h.restart();
    await expectMirroredOnceInOrder(h, ids, { timeoutMs: 30_000 });
    await eventually(
      async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
      "the inbox is drained",
    );
    for (const id of ids) expect(postsOf(h, id)).toHaveLength(1);
    expect((await h.services.store.inboxCounts(TEAM)).parked).toBe(0);
  }, 45_000);

  it("when PostgreSQL is unreachable as a webhook arrives, then the app answers 503, and the gateway's retry once it is back is stored and posted once", async () => {
    await pgSwitch.off();
    let waId: string;
    let eventId: string;
    try {
      waId = newMessageId();
      eventId = whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body: "while the db is away" }))
        .envelope.id;
      await eventually(
        () => h.gateway.deliveries.some((d) => d.eventId === eventId && d.status === 503),
        "the app refused the delivery with 503",
      );
    } finally {
      await pgSwitch.on();
    }
    await mirrored(h, waId);
    await h.gateway.deliveriesSettled();
    const attempts = h.gateway.deliveries.filter((d) => d.eventId === eventId);
    expect(attempts.at(-1)?.status).toBe(200);
    expect(attempts.every((d) => d.status === 503 || d.status === 200)).toBe(true);
    await eventually(
      async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
      "the inbox is drained",
    );
    expect(postsOf(h, waId)).toHaveLength(1);
  }, 30_000);
});
