// The mirror as a workspace admin sets it up, for tests that run the real app: events by webhook (registered
// at the fake gateway with a `manage` key, as `npx wa-slack events webhook` does) or by the realtime
// socket, a WhatsApp chat linked to a Slack channel, and WhatsApp happening at the fake gateway.

import type { BuiltEvent } from "../../src/sandbox/gateway/event-payloads.js";
import type { FakeEvent } from "../../src/sandbox/gateway/events.js";
import { createEventSettings } from "../../src/usecases/event-settings.js";
import { createLinks, type LinkAnnouncer } from "../../src/usecases/links.js";
import { ADMIN, type Harness, SESSION, TEAM } from "./app-harness.js";

export const ORG = "org_one";
export const MANAGE_KEY = "wa_manage_key_org_one_5a4b";
export const EVENTS_KEY = "wa_events_key_org_one_3c2d";
export const MIRROR_CHANNEL = "CMIRROR0001";

function eventSettingsOf(h: Harness) {
  return createEventSettings({
    store: h.services.store,
    workspaces: h.services.workspaces,
    gateway: h.services.gateway,
    sealer: h.services.sealer,
  });
}

/** Webhook deliveries from the fake gateway to the app, retried quickly. */
export async function useWebhook(h: Harness): Promise<void> {
  h.gateway.addKey(MANAGE_KEY, { org: ORG, permissions: ["manage"] });
  h.gateway.setDeliveryPolicy({ baseDelayMs: 20, maxAttempts: 15, timeoutMs: 5_000 });
  await eventSettingsOf(h).useWebhook({
    workspaceId: TEAM,
    baseUrl: h.appUrl,
    manageKey: MANAGE_KEY,
    by: ADMIN,
  });
}

/** The realtime socket, with the workspace's stored key given the `events` permission too. */
export async function useRealtime(h: Harness): Promise<void> {
  h.gateway.addKey(EVENTS_KEY, { org: ORG, permissions: ["send", "events", "read"] });
  await h.configure(TEAM, { apiKey: EVENTS_KEY });
  await eventSettingsOf(h).useRealtime({ workspaceId: TEAM, by: ADMIN });
}

/** Links a chat to a channel the way `/wa link` does, the app's announcement included. */
export async function linkChat(
  h: Harness,
  chatJid: string,
  options: { channel?: string; sendReactions?: boolean; announcer?: LinkAnnouncer } = {},
): Promise<void> {
  const channelId = options.channel ?? MIRROR_CHANNEL;
  const links = createLinks({ store: h.services.store, workspaces: h.services.workspaces });
  const announcer: LinkAnnouncer = options.announcer ?? { announce: async () => undefined };
  await links.link(
    { workspaceId: TEAM, channelId, chatJid, sendReactions: options.sendReactions ?? false, by: ADMIN },
    announcer,
  );
}

/** WhatsApp happens in the harness's session. */
export function whatsapp(h: Harness, built: BuiltEvent, session = SESSION): FakeEvent {
  return h.gateway.emit(ORG, built.event, session, built.payload);
}
