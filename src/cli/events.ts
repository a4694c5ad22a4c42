// `wa-slack events …`: how a workspace receives the gateway's events (webhook, realtime WebSocket, off).
import { parseCliGatewayConfig } from "../config.js";
import { checkApiKey } from "../domain/workspace-settings.js";
import { EventsSetupError } from "../errors.js";
import type { GatewayClient } from "../gateway/types.js";
import { createEventSettings, type PreviousWebhook, webhookUrlFor } from "../usecases/event-settings.js";
import {
  asUsage,
  EXIT,
  loadConfig,
  type Opened,
  parse,
  print,
  requiredOption,
  teamIdFrom,
  UsageError,
  withGateway,
} from "./command.js";
import { eventsJson, eventsText } from "./format.js";
import { type CliIo, readSecret } from "./io.js";
import {
  EVENTS_OFF_USAGE,
  EVENTS_REALTIME_USAGE,
  EVENTS_SHOW_USAGE,
  EVENTS_USAGE,
  EVENTS_WEBHOOK_USAGE,
} from "./usage.js";

export async function events(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
      throw new UsageError("Missing events subcommand.", EVENTS_USAGE);
    case "-h":
    case "--help":
    case "help":
      print(io.stdout, EVENTS_USAGE);
      return EXIT.ok;
    case "webhook":
      return eventsWebhook(rest, io);
    case "realtime":
      return eventsRealtime(rest, io);
    case "show":
      return eventsShow(rest, io);
    case "off":
      return eventsOff(rest, io);
    default:
      throw new UsageError(`Unknown events subcommand "${sub}".`, EVENTS_USAGE);
  }
}

function eventSettingsOf(opened: Opened & { gateway: GatewayClient }) {
  return createEventSettings({
    store: opened.store,
    workspaces: opened.directory,
    gateway: opened.gateway,
    sealer: opened.sealer,
  });
}

async function eventsWebhook(argv: string[], io: CliIo): Promise<number> {
  const parsed = parse(argv, { url: { type: "string" } }, EVENTS_WEBHOOK_USAGE, ["<team_id>"]);
  if (parsed.help) {
    print(io.stdout, EVENTS_WEBHOOK_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(parsed.positionals[0], EVENTS_WEBHOOK_USAGE);
  const baseUrl = requiredOption(parsed, "url", "<public base URL>", EVENTS_WEBHOOK_USAGE);
  try {
    // Checked before anything is read or opened: a typo should not cost the operator a key prompt.
    webhookUrlFor(baseUrl, teamId);
  } catch (error) {
    throw error instanceof EventsSetupError ? new UsageError(error.message, EVENTS_WEBHOOK_USAGE) : error;
  }
  const loaded = loadConfig(io, parseCliGatewayConfig);
  const typed = await readSecret(
    io,
    `Gateway API key with the manage permission for ${teamId} (input hidden; press Enter alone to use the workspace's stored key): `,
  );
  const manageKey = typed === "" ? undefined : asUsage(EVENTS_WEBHOOK_USAGE, () => checkApiKey(typed));

  return withGateway(loaded, async (opened) => {
    const change = await eventSettingsOf(opened).useWebhook({
      workspaceId: teamId,
      baseUrl,
      manageKey,
      by: "cli",
    });
    print(
      io.stdout,
      `Workspace ${teamId} now receives events by webhook ${change.webhook.id}: the gateway sends every event to ` +
        `${change.webhook.url}, signed with a new secret that is stored sealed. ` +
        (manageKey === undefined
          ? "Registered with the workspace's stored key."
          : "The key from standard input was used for this only, and not stored."),
    );
    reportPrevious(io, change.previous);
    return EXIT.ok;
  });
}

async function eventsRealtime(argv: string[], io: CliIo): Promise<number> {
  const parsed = parse(argv, {}, EVENTS_REALTIME_USAGE, ["<team_id>"]);
  if (parsed.help) {
    print(io.stdout, EVENTS_REALTIME_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(parsed.positionals[0], EVENTS_REALTIME_USAGE);
  return withGateway(loadConfig(io, parseCliGatewayConfig), async (opened) => {
    const change = await eventSettingsOf(opened).useRealtime({ workspaceId: teamId, by: "cli" });
    print(
      io.stdout,
      `Workspace ${teamId} now receives events over the gateway's realtime WebSocket: the running app connects ` +
        "within seconds, with the workspace's stored key (it needs the events permission).",
    );
    reportPrevious(io, change.previous);
    return EXIT.ok;
  });
}

async function eventsOff(argv: string[], io: CliIo): Promise<number> {
  const parsed = parse(argv, {}, EVENTS_OFF_USAGE, ["<team_id>"]);
  if (parsed.help) {
    print(io.stdout, EVENTS_OFF_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(parsed.positionals[0], EVENTS_OFF_USAGE);
  return withGateway(loadConfig(io, parseCliGatewayConfig), async (opened) => {
    const change = await eventSettingsOf(opened).turnOff({ workspaceId: teamId, by: "cli" });
    print(
      io.stdout,
      `Workspace ${teamId} receives no events now: nothing new is mirrored until "events webhook" or "events realtime" is run.`,
    );
    reportPrevious(io, change.previous);
    return EXIT.ok;
  });
}

async function eventsShow(argv: string[], io: CliIo): Promise<number> {
  const parsed = parse(argv, { json: { type: "boolean" } }, EVENTS_SHOW_USAGE, ["<team_id>"]);
  if (parsed.help) {
    print(io.stdout, EVENTS_SHOW_USAGE);
    return EXIT.ok;
  }
  const teamId = teamIdFrom(parsed.positionals[0], EVENTS_SHOW_USAGE);
  return withGateway(loadConfig(io, parseCliGatewayConfig), async (opened) => {
    const overview = await eventSettingsOf(opened).show(teamId);
    print(
      io.stdout,
      parsed.values.json ? JSON.stringify(eventsJson(overview), null, 2) : eventsText(overview),
    );
    return EXIT.ok;
  });
}

/** What became of the webhook a change replaced: a line on stdout, or a warning on stderr to act on. */
function reportPrevious(io: CliIo, previous: PreviousWebhook): void {
  switch (previous.kind) {
    case "none":
      return;
    case "deleted":
      print(io.stdout, `The previous webhook ${previous.webhookId} was deleted at the gateway.`);
      return;
    case "left":
      print(
        io.stderr,
        `Warning: the previous webhook ${previous.webhookId}${previous.url === undefined ? "" : ` (${previous.url})`} ` +
          `is still registered at the gateway: ${previous.reason}. Delete it there with a key that has the manage ` +
          `permission (DELETE /api/v1/webhooks/${previous.webhookId}); until then the app refuses its deliveries ` +
          "and the gateway keeps retrying them.",
      );
      return;
  }
}
