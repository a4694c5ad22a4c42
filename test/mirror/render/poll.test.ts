import { describe, expect, it } from "vitest";
import { ActionId, BlockId } from "../../../src/slack/ids.js";
import { contentOf, pollContent, render, shown } from "./fixtures.js";

const HASH = "670bd9ced0c6bc3fab9bcce97185cdb5a6c6008f0bb7a33c5e432b7faa0e27ed";
const OPTIONS = ["Padang", "Sushi", "Warteg"];

describe("rendering a poll", () => {
  it("when a single-choice poll has no votes yet, then each option shows 0 votes, with a Vote button", () => {
    const message = render(contentOf("event-message-poll.json"), { waMessageId: "3EB0POLL0000000001" });
    expect(message.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "📊 *Poll:* Lunch where?\n_Choose one option_" } },
      {
        type: "section",
        text: { type: "mrkdwn", text: "• Padang — *0 votes*\n• Sushi — *0 votes*\n• Warteg — *0 votes*" },
      },
      { type: "context", elements: [{ type: "mrkdwn", text: "No votes yet" }] },
      {
        type: "actions",
        block_id: BlockId.pollActions,
        elements: [
          {
            type: "button",
            action_id: ActionId.openPollVote,
            text: { type: "plain_text", text: "Vote" },
            value: "3EB0POLL0000000001",
          },
        ],
      },
    ]);
    expect(message.text).toBe("Alice: 📊 Poll: Lunch where?");
  });

  it("when a timed poll allows any number, then it says so and when it ends", () => {
    const text = shown(render(contentOf("event-message-poll-multi-timed.json")));
    expect(text).toContain("_Choose any number of options_ · ends <!date^1752659200^");
  });

  it("when a poll allows up to two, then it says so", () => {
    expect(shown(render(pollContent(OPTIONS, { selectableCount: 2 })))).toContain("_Choose up to 2 options_");
  });

  it("when people voted, then each option counts them and names them", () => {
    const votes = [
      { voter: "a@lid", name: "Ana", options: ["Sushi"] },
      { voter: "b@lid", name: "Budi", options: ["Sushi", "Padang"] },
      { voter: "", name: "", options: ["Warteg"] },
    ];
    const text = shown(render(pollContent(OPTIONS, { selectableCount: 0 }), { votes }));
    expect(text).toContain(
      "• Padang — *1 vote*: Budi\n• Sushi — *2 votes*: Ana, Budi\n• Warteg — *1 vote*: you",
    );
    expect(text).toContain("3 people voted");
  });

  it("when a voter changed their vote, then only the latest selection counts, once", () => {
    const votes = [
      { voter: "a@lid", name: "Ana", options: ["Sushi"] },
      { voter: "a@lid", name: "Ana", options: ["Padang", "Padang"] },
    ];
    const text = shown(render(pollContent(OPTIONS), { votes }));
    expect(text).toContain("• Padang — *1 vote*: Ana\n• Sushi — *0 votes*");
    expect(text).toContain("1 person voted");
  });

  it("when a vote was withdrawn, then it counts nowhere", () => {
    const votes = [
      { voter: "a@lid", name: "Ana", options: ["Sushi"] },
      { voter: "a@lid", name: "Ana", options: [] },
    ];
    const text = shown(render(pollContent(OPTIONS), { votes }));
    expect(text).toContain("• Sushi — *0 votes*");
    expect(text).toContain("No votes yet");
  });

  it("when the gateway could not decrypt a vote, then it is shown as unreadable, never as an option", () => {
    const votes = [
      { voter: "d@lid", name: "Dewi", options: [HASH] },
      { voter: "a@lid", name: "Ana", options: ["Sushi"] },
    ];
    const text = shown(render(pollContent(OPTIONS), { votes }));
    expect(text).not.toContain(HASH);
    expect(text).not.toContain("Dewi");
    expect(text).toContain("• a vote the gateway couldn't read");
    expect(text).toContain("• Sushi — *1 vote*: Ana");
  });

  it("when an option really is a 64-char hex text, then a vote for it counts for it", () => {
    const text = shown(
      render(pollContent([HASH, "No"]), { votes: [{ voter: "a", name: "Ana", options: [HASH] }] }),
    );
    expect(text).toContain(`• ${HASH} — *1 vote*: Ana`);
    expect(text).not.toContain("couldn't read");
  });

  it("when the poll hides its voters, then counts show and names do not", () => {
    const votes = [{ voter: "a@lid", name: "Ana", options: ["Sushi"] }];
    const text = shown(render(pollContent(OPTIONS, { hideVotes: true }), { votes }));
    expect(text).toContain("• Sushi — *1 vote*\n");
    expect(text).not.toContain("Ana");
    expect(text).toContain("voters' names are hidden");
  });

  it("when a voter's name is unknown, then their number stands in", () => {
    const votes = [{ voter: "6281234567891@s.whatsapp.net", name: " ", options: ["Sushi"] }];
    expect(shown(render(pollContent(OPTIONS), { votes }))).toContain("*1 vote*: +6281234567891");
  });

  it("when many people voted for one option, then twenty are named and the rest counted", () => {
    const votes = Array.from({ length: 45 }, (_, i) => ({
      voter: `${i}@lid`,
      name: `P${i}`,
      options: ["Sushi"],
    }));
    const text = shown(render(pollContent(OPTIONS), { votes }));
    expect(text).toContain("*45 votes*: P0, P1");
    expect(text).toContain("P19 and 25 more");
    expect(text).not.toContain("P20,");
  });

  it("when the question, options and names are hostile, then all are escaped", () => {
    const votes = [{ voter: "a", name: "<!everyone>", options: ["<@U1>"] }];
    const text = shown(render(pollContent(["<@U1>", "<#C1>"], { name: "<!channel> vote" }), { votes }));
    expect(text).toContain("*Poll:* &lt;!channel&gt; vote");
    expect(text).toContain("• &lt;@U1&gt; — *1 vote*: &lt;!everyone&gt;\n• &lt;#C1&gt; — *0 votes*");
  });

  it("when the poll is in the metadata, then it carries its options and selectable_count", () => {
    const message = render(contentOf("event-message-poll-multi-timed.json"));
    expect(message.metadata.event_payload.poll).toEqual({
      name: "Which days work?",
      options: ["Mon", "Tue", "Wed"],
      selectable_count: 0,
    });
  });

  it("when a poll has fewer than two options, then the metadata leaves the poll out (its reader would refuse it)", () => {
    expect(render(pollContent(["Only"])).metadata.event_payload).not.toHaveProperty("poll");
  });
});
