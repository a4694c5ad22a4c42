// Help texts, one per command, so every level answers --help.

export const MAIN_USAGE = `Usage: wa-slack <command> [options]

Commands:
  workspace set <team_id>      save a workspace's gateway API key (read from standard input) and settings
  workspace show <team_id>     show a workspace's settings, the key masked
  workspace list               list the configured workspaces
  workspace remove <team_id>   remove a workspace's configuration
  events webhook <team_id>     receive a workspace's WhatsApp events by a webhook registered at the gateway
  events realtime <team_id>    receive a workspace's WhatsApp events over the gateway's realtime WebSocket
  events show <team_id>        show how a workspace receives events, its last event and its inbox
  events off <team_id>         stop receiving a workspace's events
  link add <team_id>           mirror a WhatsApp chat into a Slack channel
  link list <team_id>          list a workspace's links
  link remove <team_id>        stop mirroring into a Slack channel
  reseal                       re-seal every stored secret under APP_ENCRYPTION_KEY (after a key rotation)
  audit <team_id>              show a workspace's recent WhatsApp actions
  keygen                       print a fresh APP_ENCRYPTION_KEY

Run "wa-slack <command> --help" for a command's options.

Configuration comes from the environment and from .env in the working folder, as for the app:
  DATABASE_URL                 sqlite:<path> (default sqlite:data/wa-slack.db) or postgres://…
  APP_ENCRYPTION_KEY           seals the stored secrets (create one with "wa-slack keygen")
  APP_ENCRYPTION_KEY_PREVIOUS  the key before a rotation, until "wa-slack reseal" has run
  GATEWAY_URL                  the gateway's base URL (the events commands only)
  SLACK_BOT_TOKEN              single-workspace install: the bot token "link add" posts with
                               (otherwise the workspace's stored OAuth installation is used)
  SLACK_API_URL                Slack Web API base URL (default https://slack.com/api/)

Exit codes: 0 done, 1 not found, 2 usage or configuration error, 3 database unreachable,
4 the gateway or Slack refused the request or did not answer.
`;

export const WORKSPACE_USAGE = `Usage: wa-slack workspace <set|show|list|remove> [options]

  workspace set <team_id> [--session <session_id>] [--visibility channel|ephemeral]
  workspace show <team_id> [--json]
  workspace list [--json]
  workspace remove <team_id>

<team_id> is the Slack team id (T…), or the enterprise id (E…) of an org-wide install.
Run "wa-slack workspace <subcommand> --help" for details.
`;

export const SET_USAGE = `Usage: echo "$KEY" | wa-slack workspace set <team_id> [--session <session_id>] [--visibility channel|ephemeral]

Saves the workspace's WhatsApp gateway API key and settings. The key is read from standard input
only (never from an argument, which would end up in the shell history); on a terminal you are
asked for it and the input is hidden. With no key on standard input, an existing workspace keeps
its key and only the given options change.

Options:
  --session <session_id>     default WhatsApp session for this workspace ("" clears it)
  --visibility <v>           where confirmations go: "ephemeral" (only the user, the default)
                             or "channel" (posted in the channel)
  -h, --help                 show this help
`;

export const SHOW_USAGE = `Usage: wa-slack workspace show <team_id> [--json]

Shows the workspace's masked API key (wa_…last 4), default session, visibility, and who changed
them last and when. Exits 1 when the workspace is not configured.

Options:
  --json       print one JSON object (for scripts)
  -h, --help   show this help
`;

export const LIST_USAGE = `Usage: wa-slack workspace list [--json]

Lists every configured workspace with its masked API key and settings.

Options:
  --json       print a JSON array (for scripts)
  -h, --help   show this help
`;

export const REMOVE_USAGE = `Usage: wa-slack workspace remove <team_id>

Removes the workspace's configuration (its API key and settings). Its audit log stays.
Exits 1 when the workspace is not configured.

Options:
  -h, --help   show this help
`;

export const RESEAL_USAGE = `Usage: wa-slack reseal

Re-seals every stored secret (API keys, Slack installations) under APP_ENCRYPTION_KEY.
To rotate the key: put a fresh key (wa-slack keygen) in APP_ENCRYPTION_KEY and the old one in
APP_ENCRYPTION_KEY_PREVIOUS, run this command, then remove APP_ENCRYPTION_KEY_PREVIOUS.

Options:
  -h, --help   show this help
`;

export const AUDIT_USAGE = `Usage: wa-slack audit <team_id> [--since <when>] [--limit N] [--json]

Shows the workspace's WhatsApp actions (reactions, votes) and their outcome, newest first.

Options:
  --since <when>   only entries from then on: an ISO date (2025-01-31 or 2025-01-31T12:00:00Z)
                   or a duration back from now (30m, 24h, 7d, 2w)
  --limit N        at most N entries (1 to 1000, default 50)
  --json           print a JSON array (for scripts)
  -h, --help       show this help
`;

export const KEYGEN_USAGE = `Usage: wa-slack keygen

Prints a fresh APP_ENCRYPTION_KEY (32 random bytes, base64url). Put it in .env:
  APP_ENCRYPTION_KEY=<the key>
Keep it safe: without it the stored API keys cannot be opened.

Options:
  -h, --help   show this help
`;

export const EVENTS_USAGE = `Usage: wa-slack events <webhook|realtime|show|off> <team_id> [options]

  echo "$MANAGE_KEY" | wa-slack events webhook <team_id> --url <public base URL>
  wa-slack events realtime <team_id>
  wa-slack events show <team_id> [--json]
  wa-slack events off <team_id>

How the workspace receives the gateway's WhatsApp events: by a webhook the gateway posts to, or over
the gateway's realtime WebSocket that the app keeps open. The running app follows a change within
seconds, without a restart. These commands need GATEWAY_URL.
Run "wa-slack events <subcommand> --help" for details.
`;

export const EVENTS_WEBHOOK_USAGE = `Usage: echo "$MANAGE_KEY" | wa-slack events webhook <team_id> --url <public base URL>

Registers a webhook at the gateway for every event of the workspace's organization. The gateway
posts them to <public base URL>/gateway/events/<team_id>, signed with a new random secret that is
stored sealed and never shown. Running it again replaces the webhook: the previous one is deleted at
the gateway when the key allows it (otherwise a warning says what to delete by hand).

Registering needs a key with the manage permission. It is read from standard input only (never from
an argument); on a terminal you are asked for it, the input hidden. It is used for this registration
only and not stored. With nothing on standard input, the workspace's stored key is used.

Options:
  --url <public base URL>   where the gateway reaches the app: https://… (http only for localhost
                            and 127.0.0.1), without a query; a path prefix is kept
  -h, --help                show this help

Exits 1 when the workspace is not configured, 4 when the gateway refuses (a key without manage:
403) or cannot be reached.
`;

export const EVENTS_REALTIME_USAGE = `Usage: wa-slack events realtime <team_id>

Makes the app receive the workspace's events over the gateway's realtime WebSocket, opened with the
workspace's stored key (it needs the events permission). The running app connects within seconds.
A webhook registered before is deleted at the gateway when the stored key allows it (it needs the
manage permission; otherwise a warning says what to delete by hand).

Options:
  -h, --help   show this help
`;

export const EVENTS_SHOW_USAGE = `Usage: wa-slack events show <team_id> [--json]

Shows how the workspace receives events (webhook, realtime or off), the webhook's id and URL (the
secret only as "set"), the last event that arrived, and the inbox: events pending and parked (set
aside after failing). Exits 1 when the workspace is not configured.

Options:
  --json       print one JSON object (for scripts)
  -h, --help   show this help
`;

export const EVENTS_OFF_USAGE = `Usage: wa-slack events off <team_id>

Stops receiving the workspace's events: nothing new is mirrored. A registered webhook is deleted at
the gateway when the stored key allows it (otherwise a warning says what to delete by hand).

Options:
  -h, --help   show this help
`;

export const LINK_USAGE = `Usage: wa-slack link <add|list|remove> <team_id> [options]

  wa-slack link add <team_id> --channel <channel id> --chat <jid> [--session <session id>] [--reactions]
  wa-slack link list <team_id> [--json]
  wa-slack link remove <team_id> --channel <channel id> [--chat <jid>]

A link mirrors one WhatsApp chat into one Slack channel; a channel may hold several chats. Links take
effect in the running app at once. Run "wa-slack link <subcommand> --help" for details.
`;

export const LINK_ADD_USAGE = `Usage: wa-slack link add <team_id> --channel <channel id> --chat <jid> [--session <session id>] [--reactions]

Mirrors a WhatsApp chat into a Slack channel, and posts a note there that says so. A chat is mirrored
into one channel per workspace: linking it again elsewhere moves it. The app must be in the channel
(invite it with /invite @WhatsApp). The note is posted with SLACK_BOT_TOKEN when it is set, else with
the workspace's stored OAuth installation.

Options:
  --channel <channel id>   the Slack channel, C… (or G… for an older private channel)
  --chat <jid>             the WhatsApp chat: 120363012345678901@g.us (a group),
                           6281234567890@s.whatsapp.net or 136150496886855@lid (a direct chat)
  --session <session id>   the WhatsApp session (default: the workspace's default session)
  --reactions              also send Slack reactions on mirrored messages to WhatsApp
  -h, --help               show this help

Exits 1 when the workspace is not configured, 4 when Slack refuses (the app is not in the channel).
`;

export const LINK_LIST_USAGE = `Usage: wa-slack link list <team_id> [--json]

Lists the workspace's links by channel: chat, session, whether Slack reactions are sent to WhatsApp,
and whether posting is paused (Slack refused it, e.g. the app was removed from the channel).

Options:
  --json       print a JSON array (for scripts)
  -h, --help   show this help
`;

export const LINK_REMOVE_USAGE = `Usage: wa-slack link remove <team_id> --channel <channel id> [--chat <jid>]

Stops mirroring into the channel: every chat linked to it, or only --chat. Exits 1 when there was
no such link.

Options:
  --channel <channel id>   the Slack channel, C… or G…
  --chat <jid>             only this WhatsApp chat
  -h, --help               show this help
`;
