// A WhatsApp poll: its question, each option with its votes, and a Vote button. Tallies come from the
// votes the mirror has seen (`poll.recap` exists only for polls with an end time).
import { describeSelectionRule } from "../../domain/poll.js";
import type { KnownBlock } from "../../slack/blocks/block-kit.js";
import { LIMITS, slackDate } from "../../slack/blocks/format.js";
import { ActionId, BlockId } from "../../slack/ids.js";
import { clip, context, type RenderedBody, section } from "./blocks.js";
import type { MirrorContent } from "./content.js";
import { safeText } from "./mrkdwn.js";
import { personName } from "./people.js";

/** One voter's selection as stored; `name` is resolved by the caller, "" when unknown. */
export interface ShownVote {
  voter: string;
  name: string;
  options: readonly string[];
}

type PollContent = MirrorContent & { kind: "poll" };

/** Past this many names an option says "and N more": a big group's poll stays readable. */
const MAX_NAMES = 20;
const MAX_BUTTON_VALUE = 2000;

interface Tally {
  names: Map<string, string[]>;
  /** Votes with an option that is not the poll's (the gateway's hash of an option it could not decrypt). */
  unreadable: number;
  voters: number;
}

/** Each voter's latest selection counts once; an empty one was withdrawn and counts nowhere. */
function tally(options: readonly string[], votes: readonly ShownVote[]): Tally {
  const latest = new Map<string, ShownVote>();
  for (const vote of votes) {
    latest.delete(vote.voter);
    latest.set(vote.voter, vote);
  }
  const names = new Map(options.map((option) => [option, [] as string[]]));
  let unreadable = 0;
  let voters = 0;
  for (const vote of latest.values()) {
    if (vote.options.length === 0) continue;
    voters++;
    const name = personName(vote.name, vote.voter);
    for (const option of new Set(vote.options)) names.get(option)?.push(name);
    if (vote.options.some((option) => !names.has(option))) unreadable++;
  }
  return { names, unreadable, voters };
}

function votesWord(count: number): string {
  return count === 1 ? "1 vote" : `${count} votes`;
}

function optionLine(
  option: string,
  voters: readonly string[],
  hideVotes: boolean,
  finalCount?: number,
): string {
  // When the poll ended, WhatsApp's own count wins: it counts votes this link never saw.
  const count = `*${votesWord(finalCount ?? voters.length)}*`;
  const shown = hideVotes ? [] : voters.slice(0, MAX_NAMES).map((name) => safeText(clip(name, 60)));
  const more = voters.length > MAX_NAMES && !hideVotes ? ` and ${voters.length - MAX_NAMES} more` : "";
  const who = shown.length > 0 ? `: ${shown.join(", ")}${more}` : "";
  return clip(`• ${safeText(clip(option, 300))} — ${count}${who}`, LIMITS.sectionText);
}

/** Lines packed into as few sections as fit. */
function packLines(lines: readonly string[]): KnownBlock[] {
  const texts: string[] = [];
  for (const line of lines) {
    const last = texts.length - 1;
    const joined = last >= 0 ? `${texts[last]}\n${line}` : line;
    if (last >= 0 && joined.length <= LIMITS.sectionText) texts[last] = joined;
    else texts.push(line);
  }
  return texts.map(section);
}

function voteButton(waMessageId: string): KnownBlock {
  // The listener finds the poll by the message's channel and ts; the id is a convenience.
  const value = waMessageId.length <= MAX_BUTTON_VALUE ? { value: waMessageId } : {};
  return {
    type: "actions",
    block_id: BlockId.pollActions,
    elements: [
      {
        type: "button",
        action_id: ActionId.openPollVote,
        text: { type: "plain_text", text: "Vote" },
        ...value,
      },
    ],
  };
}

export function renderPoll(
  content: PollContent,
  votes: readonly ShownVote[],
  waMessageId: string,
): RenderedBody {
  const { poll } = content;
  const question = poll.name.trim() === "" ? "(no question)" : safeText(clip(poll.name, 1000));
  const ends =
    poll.endTime === undefined
      ? ""
      : ` · ${poll.closed ? "ended" : "ends"} ${slackDate(new Date(poll.endTime))}`;
  const title = poll.closed ? "📊 *Poll (closed):*" : "📊 *Poll:*";
  const header = section(`${title} ${question}\n_${describeSelectionRule(poll)}_${ends}`);

  const { names, unreadable, voters } = tally(poll.options, votes);
  const lines = poll.options.map((option) =>
    optionLine(option, names.get(option) ?? [], poll.hideVotes, poll.finalCounts?.[option]),
  );
  if (unreadable > 0) {
    const what = unreadable === 1 ? "a vote" : `${unreadable} votes`;
    lines.push(`• ${what} the gateway couldn't read (cast on a poll older than this WhatsApp link)`);
  }
  const people = voters === 0 ? "No votes yet" : voters === 1 ? "1 person voted" : `${voters} people voted`;
  const hidden = poll.hideVotes ? " · voters' names are hidden in this poll" : "";

  return {
    blocks: [header, ...packLines(lines), context(`${people}${hidden}`)],
    // A closed poll takes no more votes: no button to offer one.
    actions: poll.closed ? [] : [voteButton(waMessageId)],
    summary: `📊 Poll: ${poll.name}`,
  };
}
