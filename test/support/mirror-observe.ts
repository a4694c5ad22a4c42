// What a channel member sees of the mirror, for the end-to-end mirror tests: the mirrored messages of a
// channel by WhatsApp message id, waiting for one to appear, and the events settings changed the way the
// CLI changes them (the events use case on the shared store, the running app picking it up by itself).
import { expect } from "vitest";
import type { FakeMessage } from "../../src/sandbox/slack/web-api.js";
import { createEventSettings, type EventSettings } from "../../src/usecases/event-settings.js";
import type { Harness } from "./app-harness.js";
import { MIRROR_CHANNEL } from "./mirror-helpers.js";
import { eventually } from "./reliability-app.js";

export function mirroredIn(h: Harness, channel = MIRROR_CHANNEL): FakeMessage[] {
  return h.slack.messagesIn(channel);
}

export function waIdOf(message: FakeMessage): string | undefined {
  const id = (message.metadata?.event_payload as { message_id?: unknown } | undefined)?.message_id;
  return typeof id === "string" ? id : undefined;
}

/** Every Slack message of the channel that stands for this WhatsApp message (one, when all is well). */
export function postsOf(h: Harness, waId: string, channel = MIRROR_CHANNEL): FakeMessage[] {
  return mirroredIn(h, channel).filter((m) => waIdOf(m) === waId);
}

/** Waits until the WhatsApp message is in the channel and returns its Slack message. */
export async function mirrored(
  h: Harness,
  waId: string,
  options: { channel?: string; timeoutMs?: number } = {},
): Promise<FakeMessage> {
  const channel = options.channel ?? MIRROR_CHANNEL;
  await eventually(
    () => postsOf(h, waId, channel).length > 0,
    `WhatsApp message ${waId} appears in ${channel}`,
    options.timeoutMs,
  );
  return postsOf(h, waId, channel)[0] as FakeMessage;
}

/** Waits for all of them, then checks that each is in the channel exactly once and in this order. */
export async function expectMirroredOnceInOrder(
  h: Harness,
  waIds: readonly string[],
  options: { channel?: string; timeoutMs?: number } = {},
): Promise<void> {
  const channel = options.channel ?? MIRROR_CHANNEL;
  await eventually(
    () => waIds.every((id) => postsOf(h, id, channel).length > 0),
    `all ${waIds.length} messages appear in ${channel}`,
    options.timeoutMs,
  );
  const wanted = new Set(waIds);
  const shown = mirroredIn(h, channel)
    .map(waIdOf)
    .filter((id): id is string => id !== undefined && wanted.has(id));
  expect(shown).toEqual([...waIds]);
}

/** Everything a member can read of a message: its notification text and its blocks. */
export function readableOf(message: FakeMessage | undefined): string {
  return `${message?.text ?? ""}\n${JSON.stringify(message?.blocks ?? [])}`;
}

/** The events use case the CLI runs (`npx wa-slack events …`), on the app's own store. */
export function eventSettingsOf(h: Harness): EventSettings {
  return createEventSettings({
    store: h.services.store,
    workspaces: h.services.workspaces,
    gateway: h.services.gateway,
    sealer: h.services.sealer,
  });
}
