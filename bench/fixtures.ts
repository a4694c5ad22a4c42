// The workspaces the bench configures and the signed Slack requests it sends: `/wa react` commands
// with explicit `--chat … --mid <unique>` targets and react-modal view submissions, each carrying
// its own id so the result can be matched to the request that caused it.
import { createHash } from "node:crypto";
import { createLogger } from "../src/logger.js";
import { sign } from "../src/sandbox/slack/signed-requests.js";
import { createSealer } from "../src/secrets/sealer.js";
import { encodeModalContext } from "../src/slack/blocks/modal-context.js";
import { ActionId, BlockId, ViewId } from "../src/slack/ids.js";
import { createStore } from "../src/store/create-store.js";
import { createWorkspaceDirectory } from "../src/usecases/workspace-directory.js";
import { viewSubmission } from "../test/support/slack-payloads.js";

export const SIGNING_SECRET = "bench-signing-secret-5f0c1e9a7b3d";
export const BOT_TOKEN = "xoxb-bench-0000000000-token";
export const ENCRYPTION_KEY = Buffer.alloc(32, 7);
export const CHAT = "120363012345678901@g.us";
export const CHANNEL = "C0BENCH0001";
export const USER = "UBENCH0001";

export interface BenchTeam {
  teamId: string;
  apiKey: string;
  org: string;
  session: string;
}

export function benchTeams(count: number): BenchTeam[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, "0");
    const tail = createHash("sha256").update(`bench-${n}`).digest("hex").slice(0, 16);
    return {
      teamId: `TBENCH${n}`,
      apiKey: `wa_bench_${n}_${tail}`,
      org: `org_${n}`,
      session: `sess_bench_${n}`,
    };
  });
}

/** Configures every team in the database the app will open, as an admin would (key sealed). */
export async function seedWorkspaces(databaseUrl: string, teams: readonly BenchTeam[]): Promise<void> {
  const logger = createLogger({ level: "warn", pretty: false });
  const store = await createStore(databaseUrl, logger);
  try {
    const workspaces = createWorkspaceDirectory({ store, sealer: createSealer({ current: ENCRYPTION_KEY }) });
    for (const team of teams) {
      await workspaces.save(
        team.teamId,
        { apiKey: team.apiKey, defaultSessionId: team.session, visibility: "ephemeral" },
        "cli",
      );
    }
  } finally {
    await store.close();
  }
}

export interface Shot {
  id: string;
  /** A Slack command or view submission, or a gateway webhook delivery (bench/mirror-fixtures.ts). */
  kind: "command" | "view" | "event";
  body: string;
  headers: Record<string, string>;
  /** Where it is posted; Slack's `/slack/events` unless given. */
  path?: string;
}

export interface ShotFactoryOptions {
  /** Makes ids unique across phases, e.g. "fast-app". */
  prefix: string;
  teams: readonly BenchTeam[];
  viewShare: number;
  /** `http://…/response`; a shot's response_url is `<responseBase>/<id>`. */
  responseBase: string;
}

/** Whether shot i is a view submission: spread evenly, `share` of them. */
function isView(i: number, share: number): boolean {
  return Math.floor((i + 1) * share) > Math.floor(i * share);
}

/** The WhatsApp message id a shot acts on, which the gateway receives in its path. */
export function messageIdOf(shotId: string): string {
  return `BENCH_${shotId}`;
}

export function viewIdOf(shotId: string): string {
  return `V_${shotId}`;
}

/** Builds shot i on demand, signed with the current time (Slack rejects signatures older than 5 minutes). */
export function createShotFactory(options: ShotFactoryOptions): (i: number) => Shot {
  return (i) => {
    const id = `${options.prefix}-${i}`;
    const team = options.teams[i % options.teams.length] as BenchTeam;
    const responseUrl = `${options.responseBase}/${id}`;
    const mid = messageIdOf(id);
    let body: string;
    let kind: Shot["kind"];
    if (isView(i, options.viewShare)) {
      kind = "view";
      const privateMetadata = encodeModalContext({
        workspaceId: team.teamId,
        userId: USER,
        channelId: CHANNEL,
        responseUrl,
        target: { sessionId: "", chat: CHAT, messageId: mid, sender: "" },
      });
      const payload = viewSubmission({
        view: { id: viewIdOf(id), callback_id: ViewId.react, private_metadata: privateMetadata },
        userId: USER,
        teamId: team.teamId,
        values: { [BlockId.emoji]: { [ActionId.emojiInput]: { type: "plain_text_input", value: "👍" } } },
      });
      body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    } else {
      kind = "command";
      body = new URLSearchParams({
        token: "deprecated-verification-token",
        team_id: team.teamId,
        team_domain: "bench",
        channel_id: CHANNEL,
        channel_name: "whatsapp",
        user_id: USER,
        user_name: "bench",
        command: "/wa",
        text: `react --chat ${CHAT} --mid ${mid} :+1:`,
        api_app_id: "A0BENCH0001",
        is_enterprise_install: "false",
        response_url: responseUrl,
        trigger_id: `1337.${i}.bench`,
      }).toString();
    }
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      id,
      kind,
      body,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": sign(SIGNING_SECRET, timestamp, body),
      },
    };
  };
}
