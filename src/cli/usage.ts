// Help texts, one per command, so every level answers --help.

export const MAIN_USAGE = `Usage: wa-slack <command> [options]

Commands:
  workspace set <team_id>      save a workspace's gateway API key (read from standard input) and settings
  workspace show <team_id>     show a workspace's settings, the key masked
  workspace list               list the configured workspaces
  workspace remove <team_id>   remove a workspace's configuration
  reseal                       re-seal every stored secret under APP_ENCRYPTION_KEY (after a key rotation)
  audit <team_id>              show a workspace's recent WhatsApp actions
  keygen                       print a fresh APP_ENCRYPTION_KEY

Run "wa-slack <command> --help" for a command's options.

Configuration comes from the environment and from .env in the working folder, as for the app:
  DATABASE_URL                 sqlite:<path> (default sqlite:data/wa-slack.db) or postgres://…
  APP_ENCRYPTION_KEY           seals the stored API keys (create one with "wa-slack keygen")
  APP_ENCRYPTION_KEY_PREVIOUS  the key before a rotation, until "wa-slack reseal" has run

Exit codes: 0 done, 1 not found, 2 usage or configuration error, 3 database unreachable.
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
