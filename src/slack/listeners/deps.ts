import type { webApi } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import type { MessageLookup } from "../../usecases/message-lookup.js";
import type { UseCases } from "../../usecases/use-cases.js";
import type { Deliverer } from "../deliver.js";

/** What every listener may use. Listeners get it passed in; nothing is a module singleton. */
export interface ListenerDeps {
  logger: Logger;
  useCases: UseCases;
  deliver: Deliverer;
  /** Finds the WhatsApp message behind a Slack message, reading Slack with this request's client. */
  lookupFor(client: webApi.WebClient, workspaceId: string): MessageLookup;
}
