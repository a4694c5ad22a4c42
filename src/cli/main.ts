// The operator CLI (`npx wa-slack …`). runCli takes its streams and environment as arguments and
// returns the exit code, so tests run it in-process against a real store.
import { parseStoreConfig } from "../config.js";
import { checkApiKey, checkSessionId, checkVisibility } from "../domain/workspace-settings.js";
import {
  ChannelAccessError,
  ConfigError,
  EventsSetupError,
  SealError,
  SlackError,
  StoreUnavailableError,
  UserInputError,
} from "../errors.js";
import { scrubSecrets } from "../logger.js";
import { generateEncryptionKey } from "../secrets/keys.js";
import {
  asUsage,
  EXIT,
  loadConfig,
  NotFoundError,
  parse,
  print,
  teamIdFrom,
  UsageError,
  withStore,
} from "./command.js";
import { events } from "./events.js";
import { auditJson, auditText, workspaceJson, workspaceListText, workspaceText } from "./format.js";
import { type CliIo, InterruptedError, readSecret } from "./io.js";
import { links } from "./links.js";
import { parseSince } from "./since.js";
import {
  AUDIT_USAGE,
  KEYGEN_USAGE,
  LIST_USAGE,
  MAIN_USAGE,
  REMOVE_USAGE,
  RESEAL_USAGE,
  SET_USAGE,
  SHOW_USAGE,
  WORKSPACE_USAGE,
} from "./usage.js";

export type { CliIo } from "./io.js";

const AUDIT_DEFAULT_LIMIT = 50;
const AUDIT_MAX_LIMIT = 1000;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return report(error, io);
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      throw new UsageError("Missing command.", MAIN_USAGE);
    case "-h":
    case "--help":
    case "help":
      print(io.stdout, MAIN_USAGE);
      return EXIT.ok;
    case "keygen":
      return keygen(rest, io);
    case "reseal":
      return reseal(rest, io);
    case "audit":
      return audit(rest, io);
    case "workspace":
      return workspace(rest, io);
    case "events":
      return events(rest, io);
    case "link":
      return links(rest, io);
    default:
      throw new UsageError(`Unknown command "${command}".`, MAIN_USAGE);
  }
}

async function workspace(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
      throw new UsageError("Missing workspace subcommand.", WORKSPACE_USAGE);
    case "-h":
    case "--help":
    case "help":
      print(io.stdout, WORKSPACE_USAGE);
      return EXIT.ok;
    case "set":
      return workspaceSet(rest, io);
    case "show":
      return workspaceShow(rest, io);
    case "list":
      return workspaceList(rest, io);
    case "remove":
      return workspaceRemove(rest, io);
    default:
      throw new UsageError(`Unknown workspace subcommand "${sub}".`, WORKSPACE_USAGE);
  }
}

async function keygen(argv: string[], io: CliIo): Promise<number> {
  const { help } = parse(argv, {}, KEYGEN_USAGE, []);
  if (help) {
    print(io.stdout, KEYGEN_USAGE);
    return EXIT.ok;
  }
  // Only the key on stdout, so `KEY=$(npx wa-slack keygen)` works; the advice goes to stderr.
  print(io.stdout, generateEncryptionKey());
  print(io.stderr, "Put it in .env as APP_ENCRYPTION_KEY=<the key above>, and keep a copy somewhere safe.");
  return EXIT.ok;
}

async function workspaceSet(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parse(
    argv,
    { session: { type: "string" }, visibility: { type: "string" } },
    SET_USAGE,
    ["<team_id>"],
  );
  if (help) {
    print(io.stdout, SET_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(positionals[0], SET_USAGE);
  const visibility =
    typeof values.visibility === "string"
      ? asUsage(SET_USAGE, () => checkVisibility(values.visibility as string))
      : undefined;
  const sessionFlag = typeof values.session === "string" ? values.session : undefined;
  const defaultSessionId =
    sessionFlag === undefined ? undefined : asUsage(SET_USAGE, () => checkSessionId(sessionFlag));

  const typed = await readSecret(
    io,
    `Gateway API key for ${teamId} (input hidden; press Enter alone to keep the current key): `,
  );
  const apiKey = typed === "" ? undefined : asUsage(SET_USAGE, () => checkApiKey(typed));
  if (apiKey === undefined && sessionFlag === undefined && visibility === undefined) {
    throw new UsageError(
      `No API key on standard input, and nothing else to change. Pipe the key in: echo "$KEY" | npx wa-slack workspace set ${teamId}`,
      SET_USAGE,
    );
  }

  return withStore(loadConfig(io, parseStoreConfig), async ({ directory }) => {
    if (apiKey === undefined && (await directory.get(teamId)) === undefined) {
      throw new NotFoundError(
        `Workspace ${teamId} is not configured yet, so it needs its API key first: echo "$KEY" | npx wa-slack workspace set ${teamId}`,
      );
    }
    const saved = await directory.save(teamId, { apiKey, defaultSessionId, visibility }, "cli");
    print(
      io.stdout,
      `Saved workspace ${teamId}: API key ${saved.maskedKey ?? "none"}, session ${saved.defaultSessionId ?? "none"}, visibility ${saved.visibility}.`,
    );
    return EXIT.ok;
  });
}

async function workspaceShow(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parse(argv, { json: { type: "boolean" } }, SHOW_USAGE, ["<team_id>"]);
  if (help) {
    print(io.stdout, SHOW_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(positionals[0], SHOW_USAGE);
  return withStore(loadConfig(io, parseStoreConfig), async ({ directory }) => {
    const config = await directory.get(teamId);
    if (config === undefined) throw new NotFoundError(`Workspace ${teamId} is not configured.`);
    print(io.stdout, values.json ? JSON.stringify(workspaceJson(config), null, 2) : workspaceText(config));
    return EXIT.ok;
  });
}

async function workspaceList(argv: string[], io: CliIo): Promise<number> {
  const { values, help } = parse(argv, { json: { type: "boolean" } }, LIST_USAGE, []);
  if (help) {
    print(io.stdout, LIST_USAGE);
    return EXIT.ok;
  }
  return withStore(loadConfig(io, parseStoreConfig), async ({ directory }) => {
    const configs = await directory.list();
    print(
      io.stdout,
      values.json ? JSON.stringify(configs.map(workspaceJson), null, 2) : workspaceListText(configs),
    );
    return EXIT.ok;
  });
}

async function workspaceRemove(argv: string[], io: CliIo): Promise<number> {
  const { positionals, help } = parse(argv, {}, REMOVE_USAGE, ["<team_id>"]);
  if (help) {
    print(io.stdout, REMOVE_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(positionals[0], REMOVE_USAGE);
  return withStore(loadConfig(io, parseStoreConfig), async ({ directory }) => {
    if (!(await directory.remove(teamId))) throw new NotFoundError(`Workspace ${teamId} is not configured.`);
    print(io.stdout, `Removed workspace ${teamId}.`);
    return EXIT.ok;
  });
}

async function reseal(argv: string[], io: CliIo): Promise<number> {
  const { help } = parse(argv, {}, RESEAL_USAGE, []);
  if (help) {
    print(io.stdout, RESEAL_USAGE);
    return EXIT.ok;
  }
  return withStore(loadConfig(io, parseStoreConfig), async ({ directory }) => {
    const counts = await directory.resealAll();
    print(
      io.stdout,
      `Re-sealed ${counts.workspaces} workspace API key(s) and ${counts.installations} Slack installation(s) under the current APP_ENCRYPTION_KEY.` +
        (counts.workspaces + counts.installations === 0 ? " Everything already was." : ""),
    );
    return EXIT.ok;
  });
}

async function audit(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parse(
    argv,
    { since: { type: "string" }, limit: { type: "string" }, json: { type: "boolean" } },
    AUDIT_USAGE,
    ["<team_id>"],
  );
  if (help) {
    print(io.stdout, AUDIT_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(positionals[0], AUDIT_USAGE);
  let since: Date | undefined;
  if (typeof values.since === "string") {
    try {
      since = parseSince(values.since, Date.now());
    } catch (error) {
      throw error instanceof UserInputError ? new UsageError(error.message, AUDIT_USAGE) : error;
    }
  }
  let limit = AUDIT_DEFAULT_LIMIT;
  if (typeof values.limit === "string") {
    limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || limit < 1 || limit > AUDIT_MAX_LIMIT) {
      throw new UsageError(`--limit must be a whole number from 1 to ${AUDIT_MAX_LIMIT}.`, AUDIT_USAGE);
    }
  }
  return withStore(loadConfig(io, parseStoreConfig), async ({ store }) => {
    const records = await store.listAudit({ workspaceId: teamId, since, limit });
    print(io.stdout, values.json ? JSON.stringify(records.map(auditJson), null, 2) : auditText(records));
    return EXIT.ok;
  });
}

/** One clear message on stderr and the exit code that says what kind of failure it was. */
function report(error: unknown, io: CliIo): number {
  const say = (text: string) => print(io.stderr, scrubSecrets(text));
  if (error instanceof UsageError) {
    say(`${error.message}\n\n${error.usage}`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    const needsKey = error.problems.some((p) => p.startsWith("APP_ENCRYPTION_KEY "));
    say(
      error.message +
        (needsKey
          ? "\nCreate a key with `npx wa-slack keygen` and put it in .env as APP_ENCRYPTION_KEY=<the key> (use the same key as the app)."
          : "\nFix the environment (or .env in this folder) and run the command again."),
    );
    return EXIT.usage;
  }
  if (error instanceof UserInputError) {
    say(error.usage === undefined ? error.message : `${error.message}\n\n${error.usage}`);
    return EXIT.usage;
  }
  if (error instanceof SealError) {
    say(error.message);
    return EXIT.usage;
  }
  if (error instanceof StoreUnavailableError) {
    say(error.message);
    return EXIT.storeUnavailable;
  }
  if (error instanceof NotFoundError) {
    say(error.message);
    return EXIT.notFound;
  }
  if (error instanceof InterruptedError) {
    say(error.message);
    return EXIT.interrupted;
  }
  if (error instanceof EventsSetupError) {
    say(error.message);
    return EVENTS_EXIT[error.code];
  }
  if (error instanceof ChannelAccessError) {
    say(channelAccessWords(error));
    return EXIT.refused;
  }
  if (error instanceof SlackError) {
    say(error.message);
    return EXIT.refused;
  }
  say(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

const EVENTS_EXIT: Record<EventsSetupError["code"], number> = {
  workspace_not_configured: EXIT.notFound,
  no_api_key: EXIT.usage,
  bad_webhook_url: EXIT.usage,
  key_rejected: EXIT.refused,
  key_lacks_manage: EXIT.refused,
  gateway_unreachable: EXIT.refused,
  gateway_refused: EXIT.refused,
};

/** The bot's display name in manifest.json: what `/invite @…` autocompletes to. */
const INVITE = "/invite @WhatsApp";

function channelAccessWords(error: ChannelAccessError): string {
  const channel = error.channelId;
  switch (error.code) {
    case "app_not_in_channel":
      return `The app is not in channel ${channel}, so it cannot post there. Invite it: in the channel, type ${INVITE}, then run this command again. Nothing was linked.`;
    case "channel_not_found":
      return `The app sees no channel ${channel}. Check the id; a private channel must invite the app first (${INVITE} in the channel). Then run this command again. Nothing was linked.`;
    case "channel_archived":
      return `Channel ${channel} is archived: unarchive it or choose another channel. Nothing was linked.`;
  }
}
