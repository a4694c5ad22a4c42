import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HELP_LINES, parseCommand, SUBCOMMANDS, USAGE } from "../../src/domain/command.js";
import { QUICK_REACTIONS } from "../../src/domain/emoji.js";
import type { TargetSpec, WaCommand } from "../../src/domain/types.js";
import { UserInputError } from "../../src/errors.js";
import { anyText, commandLikeText } from "./arbitraries.js";
import { inputError, returnsOrRefuses } from "./input-error.js";

const LINK = "https://acme.slack.com/archives/C0123456789/p1712345678123456";
const LINK_TARGET: TargetSpec = { kind: "link", link: { channelId: "C0123456789", ts: "1712345678.123456" } };
const CHAT = "120363012345678901@g.us";
const MID = "3EB0C431C26A1916E07A";
const SENDER = "6281234567890@s.whatsapp.net";
const FLAGS = `--chat ${CHAT} --mid ${MID}`;
const EXPLICIT: TargetSpec = { kind: "explicit", chat: CHAT, messageId: MID };

/** The error parseCommand gives for `text`, checked to carry the usage line of `sub`. */
function usageError(text: string, sub: keyof typeof USAGE): UserInputError {
  const error = inputError(() => parseCommand(text));
  expect(error.usage).toBe(USAGE[sub]);
  return error;
}

describe("parseCommand", () => {
  describe("help, status and config", () => {
    it("when the text is empty or blank, then it is help", () => {
      expect(parseCommand("")).toEqual({ kind: "help" });
      expect(parseCommand("  \n ")).toEqual({ kind: "help" });
    });

    it("when the text is help in any case, with or without a topic, then it is help", () => {
      expect(parseCommand("help")).toEqual({ kind: "help" });
      expect(parseCommand("HELP")).toEqual({ kind: "help" });
      expect(parseCommand("help react")).toEqual({ kind: "help" });
    });

    it("when the text is status or config, then it is that command", () => {
      expect(parseCommand("status")).toEqual({ kind: "status" });
      expect(parseCommand(" Config ")).toEqual({ kind: "config" });
    });

    it("when status or config get words, then the error shows their usage", () => {
      expect(usageError("status now", "status").message).toBe(
        "/wa status takes no arguments, but got `now`.",
      );
      expect(usageError("config --chat x@y", "config").message).toContain("takes no arguments");
    });
  });

  describe("unknown subcommands", () => {
    it("when a subcommand has a typo, then the error suggests the closest one and lists them all", () => {
      const error = inputError(() => parseCommand("reactt link 👍"));
      expect(error.message).toBe(
        "Unknown subcommand `reactt`. Did you mean `react`? Subcommands: react, unreact, vote, link, unlink, links, status, config, help.",
      );
      expect(inputError(() => parseCommand("stauts")).message).toContain("Did you mean `status`?");
      expect(inputError(() => parseCommand("unrect x")).message).toContain("Did you mean `unreact`?");
      expect(inputError(() => parseCommand("vot")).message).toContain("Did you mean `vote`?");
      expect(inputError(() => parseCommand("lnks")).message).toContain("Did you mean `links`?");
      expect(inputError(() => parseCommand("unlnik x@g.us")).message).toContain("Did you mean `unlink`?");
    });

    it("when a word is nothing like a subcommand, then the error lists them without a guess", () => {
      const message = inputError(() => parseCommand("subscribe")).message;
      expect(message).not.toContain("Did you mean");
      expect(message).toContain(
        "Subcommands: react, unreact, vote, link, unlink, links, status, config, help.",
      );
    });

    it("when the text starts with a link or a flag, then the error asks what to do first", () => {
      expect(inputError(() => parseCommand(`${LINK} 👍`)).message).toContain("Start with what to do");
      expect(inputError(() => parseCommand(`<${LINK}|msg> 👍`)).message).toContain("Start with what to do");
      expect(inputError(() => parseCommand("--chat x@g.us")).message).toContain("Start with what to do");
    });
  });

  describe("react", () => {
    it("when given a raw message link and an emoji, then it is a react on the link", () => {
      expect(parseCommand(`react ${LINK} 👍`)).toEqual({ kind: "react", target: LINK_TARGET, emoji: "👍" });
    });

    it("when the link is Slack-escaped with a label with spaces, then it is still the target", () => {
      expect(parseCommand(`react <${LINK}|lunch poll from Budi> :thumbsup:`)).toEqual({
        kind: "react",
        target: LINK_TARGET,
        emoji: "👍",
      });
    });

    it("when the link is a thread reply with &amp; in it, then the target carries the thread ts", () => {
      const link = `<https://acme.slack.com/archives/C0123456789/p1712345999000200?thread_ts=1712345678.123456&amp;cid=C0123456789>`;
      expect(parseCommand(`react ${link} ❤`)).toEqual({
        kind: "react",
        target: {
          kind: "link",
          link: { channelId: "C0123456789", ts: "1712345999.000200", threadTs: "1712345678.123456" },
        },
        emoji: "❤️",
      });
    });

    it("when the emoji is a shortcode with a skin tone, then it becomes the Unicode emoji", () => {
      expect(parseCommand(`react ${LINK} :+1::skin-tone-3:`)).toMatchObject({ emoji: "👍🏼" });
    });

    it("when the emoji comes before the link, then it is still understood", () => {
      expect(parseCommand(`react 🙏 ${LINK}`)).toEqual({ kind: "react", target: LINK_TARGET, emoji: "🙏" });
    });

    it("when the target is given by flags, then it is an explicit target", () => {
      expect(parseCommand(`react ${FLAGS} 😂`)).toEqual({ kind: "react", target: EXPLICIT, emoji: "😂" });
    });

    it("when flags stand before, between and after the emoji, in --flag=value form too, then all are read", () => {
      expect(parseCommand(`react --mid=${MID} 😮 --session s-1 --chat=${CHAT} --sender ${SENDER}`)).toEqual({
        kind: "react",
        target: { ...EXPLICIT, sender: SENDER, sessionId: "s-1" },
        emoji: "😮",
      });
    });

    it("when --sender is given as empty quotes, then the target is your own message", () => {
      expect(parseCommand(`react ${FLAGS} --sender "" 👍`)).toMatchObject({
        target: { ...EXPLICIT, sender: "" },
      });
      expect(parseCommand(`react ${FLAGS} --sender= 👍`)).toMatchObject({ target: { sender: "" } });
    });

    it("when macOS turned -- into an em or en dash, then the flags are still read", () => {
      expect(parseCommand(`react —chat ${CHAT} –mid=${MID} 👍`)).toEqual({
        kind: "react",
        target: EXPLICIT,
        emoji: "👍",
      });
    });

    it("when a flag name is capitalised or spelled with a dash in --flag=value form, then it is read", () => {
      expect(parseCommand(`react --CHAT ${CHAT} —Mid=${MID} 👍`)).toEqual({
        kind: "react",
        target: EXPLICIT,
        emoji: "👍",
      });
    });

    it("when a value really starts with dashes, then the --flag=value form carries it", () => {
      expect(parseCommand(`react --chat=${CHAT} --mid=--x 👍`)).toMatchObject({
        target: { ...EXPLICIT, messageId: "--x" },
      });
    });

    it("when the emoji is missing, then the error asks for one", () => {
      expect(usageError(`react ${LINK}`, "react").message).toBe(
        "Which emoji? Add one after the target, e.g. 👍 or :thumbsup:.",
      );
    });

    it("when two emoji are given, then the error asks for one", () => {
      expect(usageError(`react ${LINK} 👍 ❤️`, "react").message).toContain("Send one emoji, not 2");
      expect(usageError(`react ${LINK} 👍👍`, "react").message).toContain("send one emoji");
    });

    it("when words follow the emoji, then the error quotes them", () => {
      expect(usageError(`react ${LINK} thumbs up`, "react").message).toBe(
        "Expected one emoji after the target, but got `thumbs up`.",
      );
    });

    it("when the emoji is a custom workspace emoji or text, then the error explains it", () => {
      expect(usageError(`react ${LINK} :partyparrot:`, "react").message).toContain(
        "custom workspace emoji can't be sent to WhatsApp",
      );
      expect(usageError(`react ${LINK} ok`, "react").message).toContain("`ok` is not an emoji");
      expect(usageError(`react ${LINK} :+1::skin-tone-9:`, "react").field).toBe("emoji");
    });

    it("when there is no target, then the error explains both forms of target", () => {
      const error = usageError("react 👍", "react");
      expect(error.message).toContain("Which WhatsApp message? /wa react needs a target first.");
      expect(error.message).toContain("--chat <jid> --mid <message id>");
    });

    it("when the link is not a Slack link, then the error says so", () => {
      expect(usageError("react <https://www.google.com|google> 👍", "react").message).toContain(
        "`<https://www.google.com|google>` is not a Slack message link.",
      );
    });

    it("when the Slack link is malformed, then the error explains the expected form", () => {
      expect(
        usageError("react https://acme.slack.com/archives/C0123456789/p123 👍", "react").message,
      ).toContain("https://<workspace>.slack.com/archives/<channel id>/p<16 digits>");
    });

    it("when two links are given, then the error asks for one", () => {
      expect(usageError(`react ${LINK} ${LINK} 👍`, "react").message).toBe("Give one message link, not 2.");
    });

    it("when both a link and flags are given, then the error asks for one or the other", () => {
      expect(usageError(`react ${LINK} --session s1 👍`, "react").message).toContain(
        "Give either a Slack message link or --chat/--mid flags, not both (you gave a link and --session).",
      );
    });

    it("when --chat or --mid is missing, then the error names the missing one", () => {
      expect(usageError(`react --chat ${CHAT} 👍`, "react").message).toContain(
        "--mid <message id> is missing",
      );
      expect(usageError(`react --mid ${MID} 👍`, "react").message).toContain("--chat <chat jid> is missing");
      expect(usageError(`react --sender ${SENDER} 👍`, "react").message).toContain(
        "--chat <chat jid> is missing",
      );
    });

    it("when a flag has no value, then the error shows the flag with its value", () => {
      expect(usageError(`react 👍 ${FLAGS} --session`, "react").message).toBe(
        "--session needs a value: --session <session id>.",
      );
      expect(usageError(`react --chat --mid ${MID} 👍`, "react").message).toBe(
        "--chat needs a value: --chat <chat jid>.",
      );
      expect(usageError(`react --mid ${MID} --chat —sender x@s.whatsapp.net 👍`, "react").message).toBe(
        "--chat needs a value: --chat <chat jid>.",
      );
      expect(usageError(`react --mid ${MID} 👍 --chat --`, "react").message).toBe(
        "--chat needs a value: --chat <chat jid>.",
      );
    });

    it("when a flag is given twice, then the error says so", () => {
      expect(usageError(`react ${FLAGS} --mid other 👍`, "react").message).toBe("--mid is given twice.");
    });

    it("when a flag is unknown, then the error suggests the closest and lists the valid ones", () => {
      expect(usageError(`react ${FLAGS} --sesion s1 👍`, "react").message).toBe(
        "Unknown flag `--sesion`. Did you mean --session? Flags of /wa react: --chat, --mid, --sender, --session.",
      );
      expect(usageError(`react ${FLAGS} --verbose 👍`, "react").message).not.toContain("Did you mean");
      expect(usageError(`react ${FLAGS} --Sesion=s1 👍`, "react").message).toContain(
        "Unknown flag `--Sesion`. Did you mean --session?",
      );
      expect(usageError(`react ---chat ${CHAT} --mid ${MID} 👍`, "react").message).toContain(
        "Unknown flag `---chat`. Did you mean --chat?",
      );
    });

    it("when --chat is not a JID, then the error shows what a JID looks like", () => {
      expect(usageError(`react --chat 6281234567890 --mid ${MID} 👍`, "react").message).toContain(
        "--chat `6281234567890` is not a WhatsApp chat JID",
      );
    });

    it("when --mid, --sender or --session is unusable, then the error names it", () => {
      expect(usageError(`react --chat ${CHAT} --mid "" 👍`, "react").message).toContain("--mid is empty");
      expect(usageError(`react ${FLAGS} --sender budi 👍`, "react").message).toContain(
        "--sender `budi` is not a WhatsApp JID",
      );
      expect(usageError(`react ${FLAGS} --session=" " 👍`, "react").message).toContain("--session is empty");
    });

    it("when --clear is used with react, then the error says it belongs to vote", () => {
      expect(usageError(`react ${FLAGS} --clear 👍`, "react").message).toBe(
        "--clear only works with /wa vote: it clears your vote in a poll.",
      );
    });

    it("when --reactions is used with react, then the error says it belongs to link", () => {
      expect(usageError(`react ${FLAGS} --reactions 👍`, "react").message).toBe(
        "--reactions only works with /wa link: it also sends Slack reactions on mirrored messages to WhatsApp.",
      );
    });

    it("when a quote is left open, then the error carries the react usage", () => {
      expect(usageError(`react ${LINK} “👍`, "react").message).toContain("never closed");
    });
  });

  describe("unreact", () => {
    it("when given a target, then it is an unreact", () => {
      expect(parseCommand(`unreact ${LINK}`)).toEqual({ kind: "unreact", target: LINK_TARGET });
      expect(parseCommand(`unreact ${FLAGS}`)).toEqual({ kind: "unreact", target: EXPLICIT });
    });

    it("when an emoji is added, then the error says none is needed", () => {
      expect(usageError(`unreact ${LINK} 👍`, "unreact").message).toBe(
        "/wa unreact needs no emoji: it removes your reaction, whichever it is.",
      );
    });

    it("when other words follow, then the error quotes them", () => {
      expect(usageError(`unreact ${LINK} please now`, "unreact").message).toContain("`please now`");
    });

    it("when the target is missing, then the error says a target is needed", () => {
      expect(usageError("unreact", "unreact").message).toContain("/wa unreact needs a target first");
    });

    it("when --clear is used, then the error says it belongs to vote", () => {
      expect(usageError(`unreact ${LINK} --clear`, "unreact").message).toContain(
        "--clear only works with /wa vote",
      );
    });
  });

  describe("vote", () => {
    it("when options are given with smart quotes from macOS/iOS, then each quoted option is one option", () => {
      expect(parseCommand(`vote ${LINK} “Fish and chips” Pizza „Nasi goreng“`)).toEqual({
        kind: "vote",
        target: LINK_TARGET,
        options: ["Fish and chips", "Pizza", "Nasi goreng"],
      });
    });

    it("when options repeat or have stray spaces, then they are trimmed and de-duplicated in order", () => {
      expect(parseCommand(`vote ${FLAGS} " Pizza " Sushi Pizza`)).toEqual({
        kind: "vote",
        target: EXPLICIT,
        options: ["Pizza", "Sushi"],
      });
    });

    it("when an option contains Slack's escapes, then the option has the real characters", () => {
      expect(parseCommand(`vote ${LINK} "Fish &amp; chips" "&lt;3"`)).toMatchObject({
        options: ["Fish & chips", "<3"],
      });
    });

    it("when no option is given, then it opens the poll-vote modal", () => {
      expect(parseCommand(`vote ${LINK}`)).toEqual({ kind: "vote_modal", target: LINK_TARGET });
    });

    it("when --clear is given, before or after the target, then it clears the vote", () => {
      expect(parseCommand(`vote ${LINK} --clear`)).toEqual({ kind: "vote_clear", target: LINK_TARGET });
      expect(parseCommand(`vote --clear ${FLAGS}`)).toEqual({ kind: "vote_clear", target: EXPLICIT });
    });

    it("when --clear comes with options, then the error says to choose one or the other", () => {
      const error = usageError(`vote ${LINK} --clear Pizza`, "vote");
      expect(error.message).toContain("--clear clears your vote, so it takes no options: leave out `Pizza`");
      expect(error.field).toBe("options");
    });

    it("when --clear is given a value or given twice, then the error says so", () => {
      expect(usageError(`vote ${LINK} --clear=yes`, "vote").message).toBe(
        "--clear takes no value: write just --clear.",
      );
      expect(usageError(`vote ${LINK} --clear --clear`, "vote").message).toBe("--clear is given twice.");
    });

    it("when an option is empty, then the error points to --clear", () => {
      expect(usageError(`vote ${LINK} ""`, "vote").message).toBe(
        "An option can't be empty. To clear your vote, use --clear.",
      );
    });

    it("when an option is longer than 100 characters, then it is refused", () => {
      expect(usageError(`vote ${LINK} "${"a".repeat(101)}"`, "vote").message).toContain("100 characters");
    });

    it("when an option starts with dashes, then -- ends the flags so it can be voted for", () => {
      expect(parseCommand(`vote ${LINK} -- --clear "-- none --"`)).toMatchObject({
        kind: "vote",
        options: ["--clear", "-- none --"],
      });
    });

    it("when an option starts with a dash that is not a flag, then it is an option", () => {
      expect(parseCommand(`vote ${LINK} -5 —maybe`)).toMatchObject({ options: ["-5", "—maybe"] });
      expect(parseCommand(`vote ${LINK} -abc -x=1 - –`)).toMatchObject({
        options: ["-abc", "-x=1", "-", "–"],
      });
    });

    it("when the vote has an unknown flag, then the error lists --clear among the flags", () => {
      expect(usageError(`vote ${LINK} --claer`, "vote").message).toBe(
        "Unknown flag `--claer`. Did you mean --clear? Flags of /wa vote: --chat, --mid, --sender, --session, --clear.",
      );
    });

    it("when a quote is left open, then the error carries the vote usage", () => {
      expect(usageError(`vote ${LINK} “Fish and chips`, "vote").message).toContain("The quote “");
    });
  });

  describe("link, unlink and links", () => {
    const DIRECT = "6281234567890@s.whatsapp.net";
    const LID = "136150496886855@lid";

    it("when link is given a group, direct or lid chat id, then it links that chat without reactions", () => {
      // Without --reactions the link keeps what it had; a new one is off (usecases/links.ts).
      expect(parseCommand(`link ${CHAT}`)).toEqual({ kind: "link", chat: CHAT });
      expect(parseCommand(`link ${DIRECT}`)).toEqual({ kind: "link", chat: DIRECT });
      expect(parseCommand(` Link ${LID} `)).toEqual({ kind: "link", chat: LID });
    });

    it("when link has --session and --reactions before, after or in --flag=value form, then both are read", () => {
      const expected: WaCommand = { kind: "link", chat: CHAT, sessionId: "s-1", sendReactions: true };
      expect(parseCommand(`link ${CHAT} --session s-1 --reactions`)).toEqual(expected);
      expect(parseCommand(`link --reactions --session=s-1 ${CHAT}`)).toEqual(expected);
      expect(parseCommand(`link --session s-1 ${CHAT} --reactions`)).toEqual(expected);
    });

    it("when macOS turned -- into a dash or a flag is capitalised, then the link flags are still read", () => {
      expect(parseCommand(`link ${CHAT} —reactions –session=s-1`)).toEqual({
        kind: "link",
        chat: CHAT,
        sessionId: "s-1",
        sendReactions: true,
      });
      expect(parseCommand(`link ${CHAT} —Reactions`)).toMatchObject({ sendReactions: true });
    });

    it("when the session id is in smart quotes, then it is one trimmed value", () => {
      expect(parseCommand(`link ${CHAT} --session “ my session ”`)).toMatchObject({
        sessionId: "my session",
      });
    });

    it("when -- comes before the chat, then the chat is still read", () => {
      expect(parseCommand(`link --reactions -- ${CHAT}`)).toEqual({
        kind: "link",
        chat: CHAT,
        sendReactions: true,
      });
    });

    it("when link has no chat, then it opens the modal, with reactions and session as given", () => {
      expect(parseCommand("link")).toEqual({ kind: "link_modal", sendReactions: false });
      expect(parseCommand("link --reactions")).toEqual({ kind: "link_modal", sendReactions: true });
      expect(parseCommand("link —session s-1")).toEqual({
        kind: "link_modal",
        sessionId: "s-1",
        sendReactions: false,
      });
    });

    it("when the chat is WhatsApp Status, a broadcast list or a newsletter, then the error says it cannot be mirrored", () => {
      expect(usageError("link status@broadcast", "link").message).toBe(
        "`status@broadcast` is WhatsApp Status: status updates cannot be mirrored, only groups and direct chats can be mirrored.",
      );
      expect(usageError("link 1712345678@broadcast", "link").message).toBe(
        "`1712345678@broadcast` is a broadcast list: broadcast lists cannot be mirrored, only groups and direct chats can be mirrored.",
      );
      expect(usageError("link 120363123456789012@newsletter --reactions", "link").message).toBe(
        "`120363123456789012@newsletter` is a WhatsApp channel (newsletter): channels cannot be mirrored, only groups and direct chats can be mirrored.",
      );
    });

    it("when the chat is not a chat id, then the error shows what one looks like", () => {
      const looksLike =
        "it looks like 120363012345678901@g.us (a group), 6281234567890@s.whatsapp.net or 136150496886855@lid (a direct chat).";
      expect(usageError("link 6281234567890", "link").message).toBe(
        `\`6281234567890\` is not a WhatsApp chat id: ${looksLike}`,
      );
      expect(usageError("link @g.us", "link").message).toBe(
        `\`@g.us\` is not a WhatsApp chat id: ${looksLike}`,
      );
      expect(usageError(`link ${LINK}`, "link").message).toContain("is not a WhatsApp chat id");
      expect(usageError(`link ${CHAT.toUpperCase()}`, "link").message).toContain("is not a WhatsApp chat id");
    });

    it("when the chat is in WhatsApp Web's @c.us form, then the error gives the form to write", () => {
      expect(usageError("link 6281234567890@c.us", "link").message).toBe(
        "`6281234567890@c.us` is WhatsApp Web's form of a chat id: write `6281234567890@s.whatsapp.net`.",
      );
    });

    it("when link is given two chats, then the error asks for one at a time", () => {
      expect(usageError(`link ${CHAT} ${DIRECT}`, "link").message).toBe(
        `/wa link takes one chat, but got 2: \`${CHAT} ${DIRECT}\`. Run it once for each chat.`,
      );
    });

    it("when --session is missing its value, empty or given twice, then the error says so", () => {
      expect(usageError(`link ${CHAT} --session`, "link").message).toBe(
        "--session needs a value: --session <session id>.",
      );
      expect(usageError(`link --session --reactions ${CHAT}`, "link").message).toBe(
        "--session needs a value: --session <session id>.",
      );
      expect(usageError(`link ${CHAT} --session ""`, "link").message).toBe(
        "--session is empty: give a session id, or leave the flag out.",
      );
      expect(usageError(`link --session=" "`, "link").message).toBe(
        "--session is empty: give a session id, or leave the flag out.",
      );
      expect(usageError(`link ${CHAT} --session a —session b`, "link").message).toBe(
        "--session is given twice.",
      );
    });

    it("when --reactions is given a value or given twice, then the error says so", () => {
      expect(usageError(`link ${CHAT} --reactions=yes`, "link").message).toBe(
        "--reactions takes no value: write just --reactions.",
      );
      expect(usageError(`link ${CHAT} --reactions —reactions`, "link").message).toBe(
        "--reactions is given twice.",
      );
    });

    it("when link has an unknown flag, then the error suggests the closest and lists its flags", () => {
      expect(usageError(`link ${CHAT} --reaction`, "link").message).toBe(
        "Unknown flag `--reaction`. Did you mean --reactions? Flags of /wa link: --session, --reactions.",
      );
      expect(usageError(`link ${CHAT} --sesion=s-1`, "link").message).toContain("Did you mean --session?");
      expect(usageError(`link ${CHAT} --mid ${MID}`, "link").message).toBe(
        "Unknown flag `--mid`. Flags of /wa link: --session, --reactions.",
      );
    });

    it("when the chat is given with --chat as in the CLI, then the error says to write it bare", () => {
      expect(usageError(`link --chat ${CHAT}`, "link").message).toBe(
        "Write the chat id without --chat: /wa link 120363012345678901@g.us.",
      );
      expect(usageError(`unlink --chat=${CHAT}`, "unlink").message).toBe(
        "Write the chat id without --chat: /wa unlink 120363012345678901@g.us.",
      );
    });

    it("when --clear is used with link or unlink, then the error says it belongs to vote", () => {
      const clearOnly = "--clear only works with /wa vote: it clears your vote in a poll.";
      expect(usageError(`link ${CHAT} --clear`, "link").message).toBe(clearOnly);
      expect(usageError("unlink --clear", "unlink").message).toBe(clearOnly);
    });

    it("when a quote is left open, then the error carries the link usage", () => {
      expect(usageError(`link ${CHAT} --session “s-1`, "link").message).toContain("never closed");
    });

    it("when unlink is given nothing or one chat, then it unlinks the channel or that chat", () => {
      expect(parseCommand("unlink")).toEqual({ kind: "unlink" });
      expect(parseCommand(`unlink ${LID}`)).toEqual({ kind: "unlink", chat: LID });
      expect(parseCommand(`UNLINK -- ${CHAT}`)).toEqual({ kind: "unlink", chat: CHAT });
    });

    it("when unlink is given flags, a non-chat or two chats, then the error says what it takes", () => {
      expect(usageError(`unlink ${CHAT} --session s-1`, "unlink").message).toBe(
        "/wa unlink takes no flags, but got `--session`.",
      );
      expect(usageError("unlink status@broadcast", "unlink").message).toContain(
        "status updates cannot be mirrored",
      );
      expect(usageError("unlink general", "unlink").message).toContain("`general` is not a WhatsApp chat id");
      expect(usageError(`unlink ${CHAT} ${LID}`, "unlink").message).toBe(
        `/wa unlink takes one chat, but got 2: \`${CHAT} ${LID}\`. Run it once for each chat.`,
      );
    });

    it("when links is given alone, then it lists the links; given words, then it refuses them", () => {
      expect(parseCommand("links")).toEqual({ kind: "links" });
      expect(parseCommand(" Links ")).toEqual({ kind: "links" });
      expect(usageError(`links ${CHAT}`, "links").message).toBe(
        `/wa links takes no arguments, but got \`${CHAT}\`.`,
      );
      expect(usageError("links --json", "links").message).toBe(
        "/wa links takes no arguments, but got `--json`.",
      );
    });
  });

  describe("USAGE and HELP_LINES", () => {
    it("when help is shown, then every subcommand and both target forms are explained", () => {
      const help = HELP_LINES.join("\n");
      for (const sub of SUBCOMMANDS) expect(help).toContain(`/wa ${sub}`);
      expect(help).toContain("--clear");
      expect(help).toContain("--chat <jid> --mid <message id>");
      expect(help).toContain("Slack message link");
      expect(help).toContain("/wa link <chat> [--session <session id>] [--reactions]");
      expect(help).toContain("/wa unlink [<chat>]");
    });

    it("when help describes links, then changing them is for admins and owners and listing is for anyone", () => {
      const lineOf = (start: string) => HELP_LINES.find((line) => line.startsWith(start)) ?? "";
      expect(lineOf("/wa link <chat>")).toContain("(workspace admins and owners)");
      expect(lineOf("/wa link —")).toContain("(workspace admins and owners)");
      expect(lineOf("/wa unlink")).toContain("(workspace admins and owners)");
      expect(lineOf("/wa links")).toContain("(anyone)");
    });

    it("when usage lines are listed, then each starts with its subcommand", () => {
      for (const sub of SUBCOMMANDS) expect(USAGE[sub].startsWith(`/wa ${sub}`)).toBe(true);
    });
  });

  describe("properties", () => {
    const jid = fc.stringMatching(/^\d{5,15}@(g\.us|s\.whatsapp\.net|lid)$/);
    // A value starting with "--" reads as the next flag (write --mid=--x for that); real ids never do.
    const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/);
    /** How a user may write a flag: its dash (macOS makes `--` a dash), its case, and `=` or a space. */
    const flagForm = fc.record({
      dash: fc.constantFrom("--", "—", "–"),
      upper: fc.boolean(),
      inline: fc.boolean(),
    });
    type FlagForm = { dash: string; upper: boolean; inline: boolean };
    const flag = (name: string, value: string | undefined, form: FlagForm | undefined) => {
      const spelled = `${form?.dash ?? "--"}${form?.upper ? name.toUpperCase() : name}`;
      if (value === undefined) return spelled;
      return form?.inline ? `${spelled}=${value}` : `${spelled} "${value}"`;
    };

    it("when given any text, then it returns a command or refuses with a UserInputError", () => {
      fc.assert(
        fc.property(anyText, (text) => returnsOrRefuses(() => parseCommand(text))),
        { numRuns: 500 },
      );
    });

    it("when a known subcommand is misused, then the error carries that subcommand's usage line", () => {
      const sub = fc.constantFrom("react", "unreact", "vote", "link", "unlink", "links", "status", "config");
      fc.assert(
        fc.property(sub, commandLikeText, (s, rest) => {
          try {
            parseCommand(`${s} ${rest}`);
          } catch (error) {
            expect(error).toBeInstanceOf(UserInputError);
            expect((error as UserInputError).usage).toBe(USAGE[s]);
          }
        }),
        { numRuns: 500 },
      );
    });

    it("when a react is written with flags in any order and form, then it parses back to the same command", () => {
      fc.assert(
        fc.property(
          jid,
          id,
          fc.option(fc.oneof(jid, fc.constant("")), { nil: undefined }),
          fc.option(id, { nil: undefined }),
          fc.constantFrom(...QUICK_REACTIONS),
          fc.array(flagForm, { minLength: 4, maxLength: 4 }),
          fc.nat(),
          (chat, mid, sender, session, emoji, forms, seed) => {
            const words = [
              flag("chat", chat, forms[0]),
              flag("mid", mid, forms[1]),
              ...(sender === undefined ? [] : [flag("sender", sender, forms[2])]),
              ...(session === undefined ? [] : [flag("session", session, forms[3])]),
            ];
            words.splice(seed % (words.length + 1), 0, emoji);
            const target: TargetSpec = { kind: "explicit", chat, messageId: mid };
            if (sender !== undefined) target.sender = sender;
            if (session !== undefined) target.sessionId = session;
            const expected: WaCommand = { kind: "react", target, emoji };
            expect(parseCommand(`react ${words.join(" ")}`)).toEqual(expected);
          },
        ),
      );
    });

    it("when a link is written with flags in any order and form, then it parses back to the same command", () => {
      fc.assert(
        fc.property(
          fc.option(jid, { nil: undefined }),
          fc.option(id, { nil: undefined }),
          fc.boolean(),
          fc.array(flagForm, { minLength: 2, maxLength: 2 }),
          fc.nat(),
          (chat, session, reactions, forms, seed) => {
            const words = [
              ...(session === undefined ? [] : [flag("session", session, forms[0])]),
              ...(reactions ? [flag("reactions", undefined, forms[1])] : []),
            ];
            if (chat !== undefined) words.splice(seed % (words.length + 1), 0, chat);
            const sessionId = session === undefined ? {} : { sessionId: session };
            const expected: WaCommand =
              chat === undefined
                ? { kind: "link_modal", ...sessionId, sendReactions: reactions }
                : { kind: "link", chat, ...sessionId, ...(reactions ? { sendReactions: true } : {}) };
            expect(parseCommand(`link ${words.join(" ")}`)).toEqual(expected);
          },
        ),
      );
    });

    it("when link or unlink is given a chat id, then only groups and direct chats are accepted", () => {
      const user = fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z.:_-]{0,20}$/);
      const server = fc.constantFrom(
        "g.us",
        "s.whatsapp.net",
        "lid",
        "broadcast",
        "newsletter",
        "c.us",
        "whatsapp.net",
        "g.us.example",
        "",
      );
      fc.assert(
        fc.property(fc.constantFrom("link", "unlink"), user, server, (sub, name, domain) => {
          const chat = `${name}@${domain}`;
          if (["g.us", "s.whatsapp.net", "lid"].includes(domain)) {
            expect(parseCommand(`${sub} ${chat}`)).toMatchObject({ kind: sub, chat });
            return;
          }
          const error = usageError(`${sub} ${chat}`, sub);
          if (domain === "broadcast" || domain === "newsletter") {
            expect(error.message).toContain(
              "cannot be mirrored, only groups and direct chats can be mirrored.",
            );
          } else if (domain === "c.us") {
            expect(error.message).toContain(`write \`${name}@s.whatsapp.net\`.`);
          } else {
            expect(error.message).toContain(
              "is not a WhatsApp chat id: it looks like 120363012345678901@g.us",
            );
          }
        }),
      );
    });

    it("when vote options are Slack-escaped and quoted, then the command has exactly those options", () => {
      const option = fc
        .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
        .map((o) => o.trim())
        .filter((o) => o !== "" && !o.includes('"'));
      const slackEscape = (o: string) =>
        o.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
      fc.assert(
        fc.property(fc.uniqueArray(option, { minLength: 1, maxLength: 12 }), (options) => {
          const text = `vote ${LINK} -- ${options.map((o) => `"${slackEscape(o)}"`).join(" ")}`;
          expect(parseCommand(text)).toEqual({ kind: "vote", target: LINK_TARGET, options });
        }),
      );
    });
  });
});
