// Picks the chat queue from DATABASE_URL, as create-store.ts picks the store: SQLite means one app
// process, so an in-process queue; PostgreSQL means instances may share the work, so graphile-worker.
import { ConfigError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { MirrorStore } from "../../store/mirror-port.js";
import type { ChatQueue, ProcessChat } from "./chat-queue.js";
import { createInProcessQueue } from "./in-process-queue.js";

export interface CreateChatQueueOptions {
  databaseUrl: string;
  processChat: ProcessChat;
  store: Pick<MirrorStore, "chatsWithPendingEvents">;
  logger: Logger;
  /** How many chats one app process runs at once (default 8). */
  concurrency?: number | undefined;
}

export async function createChatQueue(options: CreateChatQueueOptions): Promise<ChatQueue> {
  const url = options.databaseUrl.trim();
  const { processChat, store, logger, concurrency } = options;
  if (url.startsWith("sqlite:")) return createInProcessQueue({ processChat, store, logger, concurrency });
  if (/^postgres(ql)?:\/\//.test(url)) {
    // Loaded only here: graphile-worker and pg are not part of a SQLite deployment's start-up.
    const { createGraphileQueue } = await import("./graphile-queue.js");
    return createGraphileQueue({ databaseUrl: url, processChat, store, logger, concurrency });
  }
  // config.ts validates DATABASE_URL first; this only guards direct callers.
  throw new ConfigError(["DATABASE_URL must be sqlite:<path> or postgres://… / postgresql://…"]);
}
