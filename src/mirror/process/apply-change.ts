// Edits and revokes change a message already mirrored: its Slack message is updated in place (same ts,
// blocks, so Slack shows no "(edited)" of its own) and the map keeps the new content.
import type { GatewayEvent } from "../events/classify.js";
import { editedContent, type MirrorContent } from "../render/content.js";
import { readContent } from "./content-of.js";
import { isOlderThanShown } from "./newer-change.js";
import type { EventContext, EventOutcome } from "./process-chat.js";
import { renderStored } from "./render-stored.js";

type Edit = Extract<GatewayEvent, { kind: "edit" }>;
type Revoke = Extract<GatewayEvent, { kind: "revoke" }>;

/** The content after the change, or why the change is not applied. */
type Change = (content: MirrorContent) => MirrorContent | { skip: string };

async function rewrite(
  ctx: EventContext,
  targetId: string,
  change: Change,
  what: string,
): Promise<EventOutcome> {
  const { deps, key, event } = ctx;
  const target = await deps.store.findMirroredByWhatsApp(key, targetId);
  if (target === undefined) return { state: "skipped", note: `${what} of a message that was never mirrored` };
  const before = readContent(target.content);
  if (before === undefined)
    return { state: "parked", note: `the mirrored message's stored content is unreadable` };
  const after = change(before);
  if ("skip" in after) return { state: "skipped", note: after.skip };
  // With its reactions and votes, so that an edit does not wipe the line that shows them.
  const rendered = await renderStored(deps.store, target, after);
  // The message stays where it was posted, even if the chat has moved to another channel since.
  await deps.poster.update(
    { workspaceId: key.workspaceId, channelId: target.channelId },
    target.slackTs,
    rendered,
  );
  await deps.store.updateMirroredContent(target.id, JSON.stringify(after), event.id);
  return { state: "finished" };
}

export function applyEdit(ctx: EventContext, edit: Edit): Promise<EventOutcome> {
  return rewrite(
    ctx,
    edit.targetId,
    (content) => {
      if (content.revoked) return content;
      // A later edit is shown already: this one came late (a retried delivery, or a redelivery).
      if (isOlderThanShown(content, "edit", edit.at)) return { skip: "older than the edit already shown" };
      return editedContent(content, edit.message, edit.at);
    },
    "an edit",
  );
}

export function applyRevoke(ctx: EventContext, revoke: Revoke): Promise<EventOutcome> {
  return rewrite(ctx, revoke.targetId, (content) => ({ ...content, revoked: true }), "a deletion");
}
