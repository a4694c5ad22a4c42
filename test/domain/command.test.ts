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
        "Unknown subcommand `reactt`. Did you mean `react`? Subcommands: react, unreact, vote, status, config, help.",
      );
      expect(inputError(() => parseCommand("stauts")).message).toContain("Did you mean `status`?");
      expect(inputError(() => parseCommand("unrect x")).message).toContain("Did you mean `unreact`?");
      expect(inputError(() => parseCommand("vot")).message).toContain("Did you mean `vote`?");
    });

    it("when a word is nothing like a subcommand, then the error lists them without a guess", () => {
      const message = inputError(() => parseCommand("subscribe")).message;
      expect(message).not.toContain("Did you mean");
      expect(message).toContain("Subcommands: react, unreact, vote, status, config, help.");
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
    });

    it("when a flag is given twice, then the error says so", () => {
      expect(usageError(`react ${FLAGS} --mid other 👍`, "react").message).toBe("--mid is given twice.");
    });

    it("when a flag is unknown, then the error suggests the closest and lists the valid ones", () => {
      expect(usageError(`react ${FLAGS} --sesion s1 👍`, "react").message).toBe(
        "Unknown flag `--sesion`. Did you mean --session? Flags of /wa react: --chat, --mid, --sender, --session.",
      );
      expect(usageError(`react ${FLAGS} --verbose 👍`, "react").message).not.toContain("Did you mean");
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

  describe("USAGE and HELP_LINES", () => {
    it("when help is shown, then every subcommand and both target forms are explained", () => {
      const help = HELP_LINES.join("\n");
      for (const sub of SUBCOMMANDS) expect(help).toContain(`/wa ${sub}`);
      expect(help).toContain("--clear");
      expect(help).toContain("--chat <jid> --mid <message id>");
      expect(help).toContain("Slack message link");
    });

    it("when usage lines are listed, then each starts with its subcommand", () => {
      for (const sub of SUBCOMMANDS) expect(USAGE[sub].startsWith(`/wa ${sub}`)).toBe(true);
    });
  });

  describe("properties", () => {
    it("when given any text, then it returns a command or refuses with a UserInputError", () => {
      fc.assert(
        fc.property(anyText, (text) => returnsOrRefuses(() => parseCommand(text))),
        { numRuns: 500 },
      );
    });

    it("when a known subcommand is misused, then the error carries that subcommand's usage line", () => {
      const sub = fc.constantFrom("react", "unreact", "vote", "status", "config");
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
      const jid = fc.stringMatching(/^\d{5,15}@(g\.us|s\.whatsapp\.net)$/);
      // A value starting with "--" reads as the next flag (write --mid=--x for that); real ids never do.
      const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/);
      const flag = (name: string, value: string, inline: boolean) =>
        inline ? `--${name}=${value}` : `--${name} "${value}"`;
      fc.assert(
        fc.property(
          jid,
          id,
          fc.option(fc.oneof(jid, fc.constant("")), { nil: undefined }),
          fc.option(id, { nil: undefined }),
          fc.constantFrom(...QUICK_REACTIONS),
          fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
          fc.nat(),
          (chat, mid, sender, session, emoji, inline, seed) => {
            const words = [
              flag("chat", chat, inline[0] ?? false),
              flag("mid", mid, inline[1] ?? false),
              ...(sender === undefined ? [] : [flag("sender", sender, inline[2] ?? false)]),
              ...(session === undefined ? [] : [flag("session", session, inline[3] ?? false)]),
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
