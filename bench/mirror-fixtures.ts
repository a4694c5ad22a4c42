// The mirror's side of the bench set-up: a workspace that receives the gateway's events by webhook (its
// secret sealed, as `npx wa-slack events webhook` stores it), WhatsApp group chats each linked to its own
// Slack channel, and signed webhook deliveries of `message` events as the gateway sends them.
import { createHmac } from "node:crypto";
import { createLogger } from "../src/logger.js";
import { createUlidFactory } from "../src/mirror/ulid.js";
import { textMessage } from "../src/sandbox/gateway/event-payloads.js";
import { createSealer } from "../src/secrets/sealer.js";
import { createStore } from "../src/store/create-store.js";
import { createWorkspaceDirectory } from "../src/usecases/workspace-directory.js";
import { type BenchTeam, ENCRYPTION_KEY, type Shot } from "./fixtures.js";

export const WEBHOOK_SECRET = "bench-webhook-secret-2b7e151628aed2a6abf7158809cf4f3c";
const SENDER = "6281234567890@s.whatsapp.net";

export interface MirrorChat {
  chatJid: string;
  channelId: string;
}

/** `count` WhatsApp groups, each linked to its own channel. */
export function mirrorChats(count: number): MirrorChat[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, "0");
    return { chatJid: `12036300000000${n}@g.us`, channelId: `CMIRROR${n}` };
  });
}

/**
 * Configures the workspace in a fresh database as an admin would: its gateway key, events by webhook
 * (the secret sealed) and every chat linked. Runs the migrations on the way (a fresh PostgreSQL schema).
 */
export async function seedMirror(
  databaseUrl: string,
  team: BenchTeam,
  chats: readonly MirrorChat[],
): Promise<void> {
  const logger = createLogger({ level: "warn", pretty: false });
  const store = await createStore(databaseUrl, logger);
  try {
    const sealer = createSealer({ current: ENCRYPTION_KEY });
    await createWorkspaceDirectory({ store, sealer }).save(
      team.teamId,
      { apiKey: team.apiKey, defaultSessionId: team.session, visibility: "ephemeral" },
      "cli",
    );
    const now = new Date();
    await store.putEventSettings({
      workspaceId: team.teamId,
      mode: "webhook",
      webhookId: "wh_bench_0001",
      webhookUrl: `https://bench.example/gateway/events/${team.teamId}`,
      sealedWebhookSecret: await sealer.seal(WEBHOOK_SECRET),
      updatedBy: "cli",
      updatedAt: now,
    });
    for (const chat of chats) {
      await store.putLink({
        workspaceId: team.teamId,
        channelId: chat.channelId,
        sessionId: team.session,
        chatJid: chat.chatJid,
        sendReactions: false,
        pausedReason: null,
        createdBy: "cli",
        createdAt: now,
      });
    }
  } finally {
    await store.close();
  }
}

/** What a delivery carries besides its shot: the chat it is for (index into the chats). */
export interface Delivery extends Shot {
  chat: number;
}

export interface DeliveryFactoryOptions {
  /** Makes WhatsApp message ids unique across phases, e.g. "ack-app-r0". */
  prefix: string;
  team: BenchTeam;
  chats: readonly MirrorChat[];
  /** Which chat delivery i is for; round robin over every chat unless given. */
  chatOf?: (i: number) => number;
}

/** The WhatsApp message id of delivery i: what the post's metadata carries back (message_id). */
export function benchMessageId(prefix: string, i: number): string {
  return `3EB0BENCH_${prefix}_${i}`;
}

const ulid = createUlidFactory();

/**
 * Builds delivery i on demand: a `message` event envelope with a fresh event id (ULIDs made in order sort
 * in order, as the gateway's do), signed with HMAC-SHA512 over the exact body in `X-Webhook-Hmac`.
 */
export function createDeliveryFactory(options: DeliveryFactoryOptions): (i: number) => Delivery {
  const { team, chats } = options;
  const chatOf = options.chatOf ?? ((i: number) => i % chats.length);
  const path = `/gateway/events/${team.teamId}`;
  return (i) => {
    const chat = chatOf(i);
    const target = chats[chat] as MirrorChat;
    const id = benchMessageId(options.prefix, i);
    const built = textMessage({
      waMessageId: id,
      chatJid: target.chatJid,
      senderJid: SENDER,
      senderLid: undefined,
      pushName: "Budi",
      body: `Bench message ${i} of ${options.prefix}: lunch at 12:30? *bold* and _italic_ as WhatsApp writes them`,
    });
    const eventId = `evt_${ulid()}`;
    const body = JSON.stringify({
      schema: "v1",
      id: eventId,
      event: built.event,
      session: team.session,
      organization: team.org,
      timestamp: Date.now(),
      payload: built.payload,
    });
    return {
      id,
      kind: "event",
      chat,
      path,
      body,
      headers: {
        "content-type": "application/json",
        "x-webhook-request-id": eventId,
        "x-webhook-timestamp": String(Date.now()),
        "x-webhook-hmac": createHmac("sha512", WEBHOOK_SECRET).update(body).digest("hex"),
        "x-webhook-hmac-algorithm": "sha512",
      },
    };
  };
}
