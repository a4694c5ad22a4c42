// A change to a mirrored message (an edit, one person's reaction, one voter's selection) replaces the one
// shown only when it is not older. The processor takes a chat's events in event-id order among those
// stored, but the gateway's webhook deliveries come in any order (a retry may come long after newer
// events were mirrored) and a redelivery comes again under a new, later id: without this, an older
// reaction, vote or edit arriving late undid the newer one for good.
//
// The times are WhatsApp's (the stanza's timestamp), so one person's changes are compared on one clock.
// The account's own reactions and votes sent from Slack are timed by the app's clock (echo-own-action.ts):
// one made from the phone a moment before, on a clock ahead of the app's, could still win over it.
import type { MirrorContent } from "../render/content.js";

export type ChangeKey = "edit" | `reaction:${string}` | `vote:${string}`;

/** Whether a change made at `at` is older than the change of the same kind already applied. */
export function isOlderThanShown(content: MirrorContent, key: ChangeKey, at: number): boolean {
  const shown = content.changedAt?.[key];
  return shown !== undefined && at < shown;
}

/** The content with `at` noted as the time of the newest change of that kind. */
export function withChangeAt(content: MirrorContent, key: ChangeKey, at: number): MirrorContent {
  return { ...content, changedAt: { ...content.changedAt, [key]: at } };
}
