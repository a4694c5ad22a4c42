// `wa-slack link …` in-process, against a real SQLite store and the fake Slack Web API on loopback.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SlackStandIn, startSlackStandIn } from "../../src/sandbox/slack/web-api.js";
import { createSealer } from "../../src/secrets/sealer.js";
import { createStore } from "../../src/store/create-store.js";
import { createInstallationStore } from "../../src/store/installation-store.js";
import { sampleBotToken, sampleInstallation, silentLogger } from "../support/store-fixtures.js";
import { type CliContext, createCliHarness } from "./cli-harness.js";

const cli = createCliHarness("wa-slack-cli-links-");
const { run } = cli;

const TEAM = "T0AAA";
const GROUP = "120363012345678901@g.us";
const DIRECT = "6281234567890@s.whatsapp.net";

let slack: SlackStandIn;
let botToken: string;

beforeAll(async () => {
  slack = await startSlackStandIn({ teamId: TEAM });
  botToken = cli.secret(sampleBotToken());
});

afterEach(() => {
  slack.reset();
});

afterAll(async () => {
  await slack.close();
  cli.cleanup();
});

/** Channels are re-added per test: reset() keeps them, but a test may hide one. */
function channels() {
  slack.addChannel("C0MIRROR");
  slack.addChannel("C0OTHER");
  slack.addChannel("G0PRIVATE", { isPrivate: true });
  slack.addChannel("C0NOTIN", { visible: false });
}

/** A folder whose workspace T0AAA is configured (default session S1 unless told), with SLACK_BOT_TOKEN. */
async function configured(
  options: { defaultSession?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<CliContext> {
  channels();
  const ctx = cli.workspaceFolder({
    SLACK_BOT_TOKEN: botToken,
    SLACK_API_URL: slack.apiUrl,
    ...options.env,
  });
  const session = options.defaultSession === false ? [] : ["--session", "S1"];
  const set = await run(["workspace", "set", TEAM, ...session], ctx, { stdin: cli.newApiKey() });
  expect(set.code).toBe(0);
  return ctx;
}

async function listJson(ctx: CliContext) {
  const result = await run(["link", "list", TEAM, "--json"], ctx);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Array<Record<string, unknown>>;
}

describe("link add", () => {
  it("when a chat is linked, then the channel is told with the bot token, and list shows the link", async () => {
    const ctx = await configured();

    const result = await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP], ctx);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Linked WhatsApp chat ${GROUP} (session S1) to channel C0MIRROR.`);
    expect(result.stdout).toContain("add --reactions");
    expect(result.stderr).toBe("");
    const [post, ...more] = slack.callsTo("chat.postMessage");
    expect(more).toHaveLength(0);
    expect(post?.token).toBe(botToken);
    expect(post?.args.channel).toBe("C0MIRROR");
    expect(String(post?.args.text)).toContain(GROUP);

    expect(await listJson(ctx)).toEqual([
      {
        workspaceId: TEAM,
        channelId: "C0MIRROR",
        sessionId: "S1",
        chatJid: GROUP,
        sendReactions: false,
        pausedReason: null,
        createdBy: "cli",
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    ]);
    const text = await run(["link", "list", TEAM], ctx);
    const lines = text.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^CHANNEL\s+CHAT\s+SESSION\s+REACTIONS\s+STATUS\s+LINKED BY\s+LINKED AT$/);
    expect(lines[1]).toMatch(new RegExp(`^C0MIRROR\\s+${GROUP}\\s+S1\\s+-\\s+active\\s+cli\\s+\\d{4}-`));
  });

  it("when --session and --reactions are given, then the link uses that session and sends reactions", async () => {
    const ctx = await configured();

    const result = await run(
      ["link", "add", TEAM, "--channel", "G0PRIVATE", "--chat", DIRECT, "--session", "S2", "--reactions"],
      ctx,
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Slack reactions on them are sent to WhatsApp too.");
    expect(await listJson(ctx)).toMatchObject([
      { channelId: "G0PRIVATE", chatJid: DIRECT, sessionId: "S2", sendReactions: true },
    ]);
  });

  it("when the chat is linked to another channel, then it moves and says from where", async () => {
    const ctx = await configured();
    await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP], ctx);
    await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", DIRECT], ctx);

    const moved = await run(["link", "add", TEAM, "--channel", "C0OTHER", "--chat", GROUP], ctx);

    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(
      `Linked WhatsApp chat ${GROUP} (session S1) to channel C0OTHER, moved from C0MIRROR.`,
    );
    expect((await listJson(ctx)).map((l) => [l.channelId, l.chatJid])).toEqual([
      ["C0MIRROR", DIRECT],
      ["C0OTHER", GROUP],
    ]);
  });

  it("when the app is not in the channel, then it says to /invite @WhatsApp, exits 4 and links nothing", async () => {
    const ctx = await configured();

    const result = await run(["link", "add", TEAM, "--channel", "C0NOTIN", "--chat", GROUP], ctx);

    expect(result.code).toBe(4);
    expect(result.stderr).toContain("The app is not in channel C0NOTIN");
    expect(result.stderr).toContain("/invite @WhatsApp");
    expect(result.stdout).toBe("");
    expect(await listJson(ctx)).toEqual([]);
  });

  it("when the channel does not exist, then it says to check the id, exit 4", async () => {
    const ctx = await configured();

    const result = await run(["link", "add", TEAM, "--channel", "C0GONE", "--chat", GROUP], ctx);

    expect(result.code).toBe(4);
    expect(result.stderr).toContain("The app sees no channel C0GONE");
    expect(await listJson(ctx)).toEqual([]);
  });

  it("when Slack refuses the bot token, then it says to check SLACK_BOT_TOKEN, exit 4", async () => {
    const ctx = await configured();
    slack.setFault("chat.postMessage", { kind: "error", error: "invalid_auth" });

    const result = await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP], ctx);

    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/\(invalid_auth\): the bot token was refused\. Check SLACK_BOT_TOKEN/);
    expect(await listJson(ctx)).toEqual([]);
  });

  it("when there is no SLACK_BOT_TOKEN, then the workspace's stored OAuth installation posts the note", async () => {
    const ctx = await configured({ env: { SLACK_BOT_TOKEN: undefined } });
    const installedToken = cli.secret(sampleBotToken());
    const store = await createStore(ctx.env.DATABASE_URL as string, silentLogger(), { cwd: ctx.cwd });
    const sealer = createSealer({ current: Buffer.from(ctx.env.APP_ENCRYPTION_KEY as string, "base64url") });
    await createInstallationStore({ store, sealer }).storeInstallation(
      sampleInstallation(TEAM, installedToken),
    );
    await store.close();

    const result = await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP], ctx);

    expect(result.code).toBe(0);
    expect(slack.callsTo("chat.postMessage").map((c) => c.token)).toEqual([installedToken]);
  });

  it("when there is neither a bot token nor an installation, then it says what to set, exit 2, and links nothing", async () => {
    const ctx = await configured({ env: { SLACK_BOT_TOKEN: undefined } });

    const result = await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP], ctx);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no Slack bot token for ${TEAM}`);
    expect(result.stderr).toContain("SLACK_BOT_TOKEN");
    expect(slack.calls).toHaveLength(0);
    expect(await listJson(ctx)).toEqual([]);
  });

  it("when no session is given and the workspace has no default, then it says to add --session, exit 2", async () => {
    const ctx = await configured({ defaultSession: false });

    const result = await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP], ctx);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`workspace ${TEAM} has no default session. Add --session <session id>`);
    expect(slack.calls).toHaveLength(0);
  });

  it("when the workspace is not configured, then exit 1 and Slack is not called", async () => {
    const ctx = await configured();

    const result = await run(["link", "add", "T0NONE", "--channel", "C0MIRROR", "--chat", GROUP], ctx);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Workspace T0NONE is not configured");
    expect(slack.calls).toHaveLength(0);
  });

  it.each([
    ["status@broadcast", /WhatsApp Status: status updates cannot be mirrored/],
    ["1234567890@broadcast", /broadcast list/],
    ["120363999999999999@newsletter", /newsletter/],
    ["6281234567890@c.us", /write `6281234567890@s\.whatsapp\.net`/],
    ["general", /is not a WhatsApp chat id/],
  ])(
    "when --chat is %s, then it is refused with the usage, exit 2, and Slack is not called",
    async (chat, message) => {
      const ctx = await configured();

      const result = await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", chat], ctx);

      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain("Usage: wa-slack link add");
      expect(slack.calls).toHaveLength(0);
    },
  );

  it.each([
    [["link", "add", TEAM, "--chat", GROUP], /Missing --channel <channel id>/],
    [["link", "add", TEAM, "--channel", "C0MIRROR"], /Missing --chat <jid>/],
    [["link", "add", "--channel", "C0MIRROR", "--chat", GROUP], /Missing <team_id>/],
    [["link", "add", TEAM, "--channel", "#general", "--chat", GROUP], /"#general" is not a Slack channel id/],
    [["link", "add", TEAM, "--channel", "D0DIRECT", "--chat", GROUP], /"D0DIRECT" is not a Slack channel id/],
    [["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP, "--session", " "], /--session is empty/],
    [["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP, "--reactions=yes"], /--reactions/],
    [["link", "remove", TEAM], /Missing --channel <channel id>/],
    [["link", "remove", TEAM, "--channel", "C0MIRROR", "--chat", "status@broadcast"], /WhatsApp Status/],
  ])("when run with %j, then it explains with the usage, exit 2", async (argv, message) => {
    const ctx = await configured();

    const result = await run(argv, ctx);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("Usage: ");
    expect(slack.calls).toHaveLength(0);
  });
});

describe("link list and remove", () => {
  it("when the workspace has no links, then list says so, and --json gives an empty array", async () => {
    const ctx = await configured();

    expect(await run(["link", "list", TEAM], ctx)).toMatchObject({
      code: 0,
      stdout: `Workspace ${TEAM} has no links.\n`,
    });
    expect(await listJson(ctx)).toEqual([]);
  });

  it("when one chat of a channel is removed, then only it goes; without --chat, the channel's other links go too", async () => {
    const ctx = await configured();
    await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP], ctx);
    await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", DIRECT], ctx);
    await run(["link", "add", TEAM, "--channel", "C0OTHER", "--chat", "999@g.us"], ctx);

    const one = await run(["link", "remove", TEAM, "--channel", "C0MIRROR", "--chat", GROUP], ctx);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe(
      `Removed the link of WhatsApp chat ${GROUP} (session S1) to channel C0MIRROR: it is no longer mirrored.\n`,
    );
    expect((await listJson(ctx)).map((l) => l.chatJid)).toEqual([DIRECT, "999@g.us"]);

    const all = await run(["link", "remove", TEAM, "--channel", "C0MIRROR"], ctx);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain(`WhatsApp chat ${DIRECT}`);
    expect((await listJson(ctx)).map((l) => l.channelId)).toEqual(["C0OTHER"]);
  });

  it("when there is no such link, then remove says so and exits 1", async () => {
    const ctx = await configured();
    await run(["link", "add", TEAM, "--channel", "C0MIRROR", "--chat", GROUP], ctx);

    const wrongChat = await run(["link", "remove", TEAM, "--channel", "C0MIRROR", "--chat", DIRECT], ctx);
    expect(wrongChat.code).toBe(1);
    expect(wrongChat.stderr).toContain(`Channel C0MIRROR does not mirror ${DIRECT}`);
    expect(wrongChat.stderr).toContain(`npx wa-slack link list ${TEAM}`);

    const emptyChannel = await run(["link", "remove", TEAM, "--channel", "C0OTHER"], ctx);
    expect(emptyChannel.code).toBe(1);
    expect(emptyChannel.stderr).toContain("Channel C0OTHER mirrors no WhatsApp chat");
    expect(await listJson(ctx)).toHaveLength(1);
  });
});
