// `wa-slack link …`: which WhatsApp chats are mirrored into which Slack channels, through the same links
// use case as `/wa link`.
import { parseCliSlackConfig, parseStoreConfig } from "../config.js";
import { checkSessionId } from "../domain/workspace-settings.js";
import { TargetError } from "../errors.js";
import { createLinks, type LinkResult } from "../usecases/links.js";
import {
  asUsage,
  channelIdFrom,
  chatIdFrom,
  EXIT,
  loadConfig,
  NotFoundError,
  type Opened,
  parse,
  print,
  requiredOption,
  stringOption,
  teamIdFrom,
  UsageError,
  withStore,
} from "./command.js";
import { linkJson, linksText } from "./format.js";
import type { CliIo } from "./io.js";
import { cliLinkAnnouncer, slackClientFor } from "./slack-client.js";
import { LINK_ADD_USAGE, LINK_LIST_USAGE, LINK_REMOVE_USAGE, LINK_USAGE } from "./usage.js";

export async function links(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
      throw new UsageError("Missing link subcommand.", LINK_USAGE);
    case "-h":
    case "--help":
    case "help":
      print(io.stdout, LINK_USAGE);
      return EXIT.ok;
    case "add":
      return linkAdd(rest, io);
    case "list":
      return linkList(rest, io);
    case "remove":
      return linkRemove(rest, io);
    default:
      throw new UsageError(`Unknown link subcommand "${sub}".`, LINK_USAGE);
  }
}

function linksOf(opened: Opened) {
  return createLinks({ store: opened.store, workspaces: opened.directory });
}

async function linkAdd(argv: string[], io: CliIo): Promise<number> {
  const parsed = parse(
    argv,
    {
      channel: { type: "string" },
      chat: { type: "string" },
      session: { type: "string" },
      reactions: { type: "boolean" },
    },
    LINK_ADD_USAGE,
    ["<team_id>"],
  );
  if (parsed.help) {
    print(io.stdout, LINK_ADD_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(parsed.positionals[0], LINK_ADD_USAGE);
  const channelId = channelIdFrom(
    requiredOption(parsed, "channel", "<channel id>", LINK_ADD_USAGE),
    LINK_ADD_USAGE,
  );
  const chatJid = chatIdFrom(requiredOption(parsed, "chat", "<jid>", LINK_ADD_USAGE), LINK_ADD_USAGE);
  const sessionFlag = stringOption(parsed, "session");
  let sessionId: string | undefined;
  if (sessionFlag !== undefined) {
    // An empty value is most often an unset shell variable: guessing the default session could link the wrong one.
    sessionId = asUsage(LINK_ADD_USAGE, () => checkSessionId(sessionFlag)) ?? undefined;
    if (sessionId === undefined) {
      throw new UsageError(
        "--session is empty: give a session id, or leave --session out for the workspace's default session.",
        LINK_ADD_USAGE,
      );
    }
  }
  // Without the flag a link keeps what it had (see usecases/links.ts).
  const sendReactions = parsed.values.reactions === true ? true : undefined;

  const loaded = loadConfig(io, parseCliSlackConfig);
  return withStore(loaded, async (opened) => {
    if ((await opened.directory.get(teamId)) === undefined) {
      throw new NotFoundError(
        `Workspace ${teamId} is not configured. Set its gateway API key and session first: ` +
          `echo "$KEY" | npx wa-slack workspace set ${teamId} --session <session_id>`,
      );
    }
    const announcer = cliLinkAnnouncer(await slackClientFor(opened, loaded.config, teamId));
    let result: LinkResult;
    try {
      result = await linksOf(opened).link(
        { workspaceId: teamId, channelId, chatJid, sessionId, sendReactions, by: "cli" },
        announcer,
      );
    } catch (error) {
      if (error instanceof TargetError && error.code === "no_session") {
        throw new UsageError(
          `No --session given, and workspace ${teamId} has no default session. Add --session <session id>, ` +
            `or set a default: npx wa-slack workspace set ${teamId} --session <session id>`,
          LINK_ADD_USAGE,
        );
      }
      throw error;
    }
    const { link, movedFrom } = result;
    print(
      io.stdout,
      `Linked WhatsApp chat ${link.chatJid} (session ${link.sessionId}) to channel ${link.channelId}` +
        `${movedFrom === undefined ? "" : `, moved from ${movedFrom}`}. New messages are mirrored there; ` +
        (link.sendReactions
          ? "Slack reactions on them are sent to WhatsApp too."
          : "Slack reactions on them stay in Slack (add --reactions to send them to WhatsApp)."),
    );
    return EXIT.ok;
  });
}

async function linkList(argv: string[], io: CliIo): Promise<number> {
  const parsed = parse(argv, { json: { type: "boolean" } }, LINK_LIST_USAGE, ["<team_id>"]);
  if (parsed.help) {
    print(io.stdout, LINK_LIST_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(parsed.positionals[0], LINK_LIST_USAGE);
  return withStore(loadConfig(io, parseStoreConfig), async (opened) => {
    const found = await linksOf(opened).list(teamId);
    print(
      io.stdout,
      parsed.values.json ? JSON.stringify(found.map(linkJson), null, 2) : linksText(teamId, found),
    );
    return EXIT.ok;
  });
}

async function linkRemove(argv: string[], io: CliIo): Promise<number> {
  const parsed = parse(argv, { channel: { type: "string" }, chat: { type: "string" } }, LINK_REMOVE_USAGE, [
    "<team_id>",
  ]);
  if (parsed.help) {
    print(io.stdout, LINK_REMOVE_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(parsed.positionals[0], LINK_REMOVE_USAGE);
  const channelId = channelIdFrom(
    requiredOption(parsed, "channel", "<channel id>", LINK_REMOVE_USAGE),
    LINK_REMOVE_USAGE,
  );
  const chatFlag = stringOption(parsed, "chat");
  const chatJid = chatFlag === undefined ? undefined : chatIdFrom(chatFlag.trim(), LINK_REMOVE_USAGE);
  return withStore(loadConfig(io, parseStoreConfig), async (opened) => {
    const removed = await linksOf(opened).unlink(teamId, channelId, chatJid);
    if (removed.length === 0) {
      throw new NotFoundError(
        (chatJid === undefined
          ? `Channel ${channelId} mirrors no WhatsApp chat of workspace ${teamId}.`
          : `Channel ${channelId} does not mirror ${chatJid} for workspace ${teamId}.`) +
          ` See the links with: npx wa-slack link list ${teamId}`,
      );
    }
    for (const link of removed) {
      print(
        io.stdout,
        `Removed the link of WhatsApp chat ${link.chatJid} (session ${link.sessionId}) to channel ${link.channelId}: it is no longer mirrored.`,
      );
    }
    return EXIT.ok;
  });
}
