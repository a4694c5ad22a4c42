// Wires the mirror, data flowing one way: transport in (webhook route, realtime sockets) → the durable
// inbox (event-intake.ts) → one processor per chat, run by the queue (mirror/queue/) → pure renderers
// (mirror/render/) → a paced poster per Slack channel (mirror/post/). No logic of its own.
import type { CustomRoute, webApi } from "@slack/bolt";
import type { GatewayClient } from "../gateway/types.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/port.js";
import type { EventSettings } from "../usecases/event-settings.js";
import type { WorkspaceDirectory } from "../usecases/workspace-directory.js";
import { createOwnActionEcho, type EchoOwnAction } from "./echo-own-action.js";
import { createEventIntake, type EventIntake } from "./intake/event-intake.js";
import { createWebhookRoute } from "./intake/webhook-route.js";
import { createChannelPacer, type PacerOptions, SLACK_CHANNEL_PACE } from "./post/channel-pacer.js";
import { createSlackPoster } from "./post/slack-poster.js";
import { createChatProcessor } from "./process/process-chat.js";
import type { ChatQueue } from "./queue/chat-queue.js";
import { createChatQueue } from "./queue/create-chat-queue.js";
import type { RealtimeTiming } from "./realtime/realtime-client.js";
import { type RealtimeManager, startRealtimeManager } from "./realtime/realtime-manager.js";

/** Every chat with pending events is scheduled again this often: a schedule lost to a fault is not a lost event. */
const RESUME_EVERY_MS = 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;

export interface MirrorTuning {
  pace?: PacerOptions | undefined;
  realtimePollMs?: number | undefined;
  realtimeTiming?: Partial<RealtimeTiming> | undefined;
}

export interface Mirror {
  /** Served from the start, on PORT (they store events; processing begins with start()). */
  routes: CustomRoute[];
  intake: EventIntake;
  queue: ChatQueue;
  /** Records the account's own action on a mirrored message (echo-own-action.ts). */
  echo: EchoOwnAction;
  /** Resumes the chats left pending, opens the realtime sockets, starts the housekeeping. */
  start(): Promise<void>;
  /** The realtime sockets (undefined until started). */
  realtime(): RealtimeManager | undefined;
  stop(drainMs: number): Promise<void>;
}

export async function createMirror(deps: {
  databaseUrl: string;
  gatewayUrl: string;
  inboxRetentionDays: number;
  store: Store;
  gateway: GatewayClient;
  workspaces: Pick<WorkspaceDirectory, "get">;
  eventSettings: Pick<EventSettings, "webhookSecret">;
  botTokenFor(workspaceId: string): Promise<string | undefined>;
  clientFor(token: string): webApi.WebClient;
  logger: Logger;
  tuning?: MirrorTuning | undefined;
}): Promise<Mirror> {
  const { store, logger } = deps;
  const log = logger.child({ component: "mirror" });
  const poster = createSlackPoster({
    botTokenFor: deps.botTokenFor,
    clientFor: deps.clientFor,
    pacer: createChannelPacer(deps.tuning?.pace ?? SLACK_CHANNEL_PACE),
    logger,
  });
  const processChat = createChatProcessor({ store, poster, logger });
  const queue = await createChatQueue({ databaseUrl: deps.databaseUrl, processChat, store, logger });
  const intake = createEventIntake({ store, queue, logger });
  const route = createWebhookRoute({ intake, webhookSecret: deps.eventSettings.webhookSecret, logger });

  let realtime: RealtimeManager | undefined;
  const timers: NodeJS.Timeout[] = [];

  async function start(): Promise<void> {
    await queue.start();
    realtime = startRealtimeManager({
      gatewayUrl: deps.gatewayUrl,
      gateway: deps.gateway,
      store,
      workspaces: deps.workspaces,
      intake,
      logger,
      pollMs: deps.tuning?.realtimePollMs,
      timing: deps.tuning?.realtimeTiming,
    });

    const resume = setInterval(() => {
      store
        .chatsWithPendingEvents()
        .then((chats) => Promise.all(chats.map((chat) => queue.schedule(chat))))
        .catch((error: unknown) => log.warn({ err: error }, "could not resume chats with pending events"));
    }, RESUME_EVERY_MS);
    resume.unref();
    const prune = setInterval(() => {
      const before = new Date(Date.now() - deps.inboxRetentionDays * 86_400_000);
      store
        .pruneInbox(before)
        .then((pruned) => {
          if (pruned > 0) log.info({ pruned, before: before.toISOString() }, "pruned old inbox events");
        })
        .catch((error: unknown) => log.warn({ err: error }, "could not prune old inbox events"));
      // Slack retries an event within minutes: a day of ids is plenty to recognise a retry.
      store
        .pruneSeenSlackEvents(new Date(Date.now() - 86_400_000))
        .catch((error: unknown) => log.warn({ err: error }, "could not prune seen Slack event ids"));
    }, PRUNE_EVERY_MS);
    prune.unref();

    timers.push(resume, prune);
  }

  return {
    routes: [route],
    intake,
    queue,
    echo: createOwnActionEcho({ store, queue, logger }),
    start,
    realtime: () => realtime,
    async stop(drainMs) {
      for (const timer of timers) clearInterval(timer);
      // Sockets first, so no new event arrives while the chats in progress finish.
      await realtime?.stop();
      // Then no new post: each chat's run ends with the event in hand, well inside the drain, instead of
      // going on behind the closed store and posting what the restarted app posts again (slack-poster.ts).
      poster.close();
      await queue.stop(drainMs);
    },
  };
}
