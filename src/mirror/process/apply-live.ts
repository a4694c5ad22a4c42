// Reactions and poll votes on mirrored messages. Each event changes the state the store keeps (one
// reaction per person, one selection per voter) at once; the Slack message that shows it is updated
// once per run of the chat, however many events of a burst touched it (process-chat.ts "deferred").
import { slackReactionName } from "../../domain/emoji.js";
import type { MirroredMessage, WhatsAppReaction } from "../../store/mirror-port.js";
import type { GatewayEvent } from "../events/classify.js";
import type { MirrorContent } from "../render/content.js";
import { readContent } from "./content-of.js";
import { isOlderThanShown, withChangeAt } from "./newer-change.js";
import type { EventContext, EventOutcome } from "./process-chat.js";

type Reaction = Extract<GatewayEvent, { kind: "reaction" }>;
type Vote = Extract<GatewayEvent, { kind: "poll_vote" }>;
type Recap = Extract<GatewayEvent, { kind: "poll_recap" }>;

/** The content to change: what this run already changed (not yet in the store), else the stored one. */
function currentContent(ctx: EventContext, target: MirroredMessage): MirrorContent | undefined {
  return ctx.pending.get(target.id)?.content ?? readContent(target.content);
}

function withName(content: MirrorContent, person: string, name: string): MirrorContent {
  // The account ("") is "you" to the Slack users who act as it: a fromMe reaction or vote from the phone
  // carries the account's own push name ("Office Phone"), which must not replace that.
  if (person === "" || name === "" || content.people[person] === name) return content;
  return { ...content, people: { ...content.people, [person]: name } };
}

/**
 * The reactions the bot holds on the Slack message: each emoji some WhatsApp person holds, once (Slack
 * counts one per user). When Slack users' reactions are what the account sends (`--reactions`), the
 * account's own is already there as theirs, and is not added a second time.
 */
function slackNames(
  reactions: readonly Pick<WhatsAppReaction, "reactor" | "emoji">[],
  sendReactions: boolean,
): Set<string> {
  const names = new Set<string>();
  for (const { reactor, emoji } of reactions) {
    if (reactor === "" && sendReactions) continue;
    const name = slackReactionName(emoji);
    if (name !== undefined) names.add(name);
  }
  return names;
}

export async function applyReaction(ctx: EventContext, reaction: Reaction): Promise<EventOutcome> {
  const { deps, key, link } = ctx;
  const target = await deps.store.findMirroredByWhatsApp(key, reaction.targetId);
  if (target === undefined)
    return { state: "skipped", note: "a reaction on a message that was never mirrored" };
  const content = currentContent(ctx, target);
  if (content === undefined)
    return { state: "parked", note: "the mirrored message's stored content is unreadable" };
  const changeKey = `reaction:${reaction.reactor}` as const;
  if (isOlderThanShown(content, changeKey, reaction.at)) {
    return { state: "skipped", note: "older than the reaction of this person already shown (it came late)" };
  }

  const before = await deps.store.listWhatsAppReactions(target.id);
  const after = before.filter((r) => r.reactor !== reaction.reactor);
  if (reaction.emoji !== null)
    after.push({ reactor: reaction.reactor, emoji: reaction.emoji, at: new Date(reaction.at) });
  // Slack first, the store after: run again after a failure in between, the same difference is made
  // again, and Slack's already_reacted / no_reaction make that harmless.
  const had = slackNames(before, link.sendReactions);
  const has = slackNames(after, link.sendReactions);
  const to = { workspaceId: key.workspaceId, channelId: target.channelId };
  for (const name of had) if (!has.has(name)) await deps.poster.removeReaction(to, target.slackTs, name);
  for (const name of has) {
    // An emoji Slack does not have is still shown in the message's reactions line.
    if (!had.has(name)) await deps.poster.addReaction(to, target.slackTs, name);
  }
  await deps.store.setWhatsAppReaction(target.id, reaction.reactor, reaction.emoji, new Date(reaction.at));
  const named = withName(content, reaction.reactor, reaction.pushName);
  return { state: "deferred", target, content: withChangeAt(named, changeKey, reaction.at) };
}

export async function applyVote(ctx: EventContext, vote: Vote): Promise<EventOutcome> {
  const { deps, key } = ctx;
  const target = await deps.store.findMirroredByWhatsApp(key, vote.targetId);
  if (target === undefined) return { state: "skipped", note: "a vote in a poll that was never mirrored" };
  const content = currentContent(ctx, target);
  if (content === undefined)
    return { state: "parked", note: "the mirrored message's stored content is unreadable" };
  if (content.kind !== "poll") return { state: "skipped", note: "a vote on a message that is not a poll" };
  const changeKey = `vote:${vote.voter}` as const;
  if (isOlderThanShown(content, changeKey, vote.at)) {
    return { state: "skipped", note: "older than the vote of this person already counted (it came late)" };
  }
  // No options: a withdrawn vote, or one the gateway could not decrypt; either way it counts nowhere.
  await deps.store.setPollVote(target.id, vote.voter, vote.selectedOptions, new Date(vote.at));
  const named = withName(content, vote.voter, vote.pushName);
  return { state: "deferred", target, content: withChangeAt(named, changeKey, vote.at) };
}

export async function applyRecap(ctx: EventContext, recap: Recap): Promise<EventOutcome> {
  const { deps, key } = ctx;
  const target = await deps.store.findMirroredByWhatsApp(key, recap.pollMessageId);
  if (target === undefined) return { state: "skipped", note: "the recap of a poll that was never mirrored" };
  let content = currentContent(ctx, target);
  if (content === undefined)
    return { state: "parked", note: "the mirrored message's stored content is unreadable" };
  if (content.kind !== "poll") return { state: "skipped", note: "a recap for a message that is not a poll" };
  // The final word: each voter's selection as WhatsApp counted it, and its totals.
  const voters = recap.recap.voters ?? [];
  if (voters.length > 0) {
    // The recap lists every voter the gateway counted, keyed by LID, where `poll.vote` named the same
    // person by phone JID: a stored selection it does not list is withdrawn, or that person would be
    // named twice next to WhatsApp's final counts. The account's own vote ("" here) goes too: one cast
    // on the phone is listed under the account's LID, and one the app sent is in none of the totals.
    const listed = new Set(voters.map((v) => v.voterId));
    for (const stored of await deps.store.listPollVotes(target.id)) {
      if (!listed.has(stored.voter))
        await deps.store.setPollVote(target.id, stored.voter, null, new Date(recap.at));
    }
  }
  for (const voter of voters) {
    if (!voter.voterId) continue;
    await deps.store.setPollVote(target.id, voter.voterId, voter.selectedOptions ?? null, new Date(recap.at));
    content = withName(content, voter.voterId, voter.displayName ?? "");
  }
  if (content.kind !== "poll") return { state: "skipped", note: "a recap for a message that is not a poll" };
  const finalCounts = Object.fromEntries(
    (recap.recap.options ?? []).map((o) => [o.option, Math.max(0, o.count)]),
  );
  const poll = { ...content.poll, closed: true, ...(recap.recap.options ? { finalCounts } : {}) };
  return { state: "deferred", target, content: { ...content, poll } };
}
