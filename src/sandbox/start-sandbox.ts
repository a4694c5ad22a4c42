// The whole loop on one machine: the gateway simulator, the Slack stand-in with the sandbox's page, and
// the real app between them, started as `npm start` starts it (its own config parsing, services and
// startApp, SQLite in a scratch folder). The app is set up the way an admin and an operator set it up
// (the workspace's key, webhook events registered with a one-time manage key, two chats linked as
// `/wa link` links them, announced with the chat's name), then WhatsApp's recent history arrives as events.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { webApi } from "@slack/bolt";
import { type RunningApp, startApp } from "../app.js";
import { parseAppConfig } from "../config.js";
import { createLogger, type Logger } from "../logger.js";
import { createServices } from "../services.js";
import { createSlackLinkAnnouncer } from "../slack/link-announcer.js";
import { createEventSettings } from "../usecases/event-settings.js";
import { createLinks } from "../usecases/links.js";
import { createActivity } from "./activity.js";
import { emojiTable } from "./emoji-table.js";
import { type GatewaySimulator, startGatewaySimulator } from "./gateway/simulator.js";
import { createGatewayModes } from "./gateway-modes.js";
import type { MessageShortcutView, SandboxState } from "./page-contract.js";
import { createPageServer, type PageServer } from "./page-server.js";
import { type SlackStandIn, startSlackStandIn } from "./slack/web-api.js";
import { createSlackSide } from "./slack-side.js";
import { createWhatsAppSide } from "./whatsapp-side.js";
import {
  ACCOUNT,
  APP_NAME,
  CHATS,
  GENERAL,
  HISTORY,
  MANAGE_KEY,
  ME,
  ORG,
  SEND_KEY,
  SESSION,
  type SeedChat,
  TEAM,
} from "./world.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

export interface SandboxOptions {
  /** The page's port; 0 (the default) picks a free one. */
  port?: number;
  /** Where the app's log lines go (default: standard error, warnings and worse). */
  logger?: Logger;
}

export interface RunningSandbox {
  /** The page, e.g. http://127.0.0.1:4000/ */
  url: string;
  appUrl: string;
  gateway: GatewaySimulator;
  slack: SlackStandIn;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const scratch = mkdtempSync(join(tmpdir(), "wa-slack-sandbox-"));
  const logger = options.logger ?? createLogger({ level: "warn", pretty: process.stderr.isTTY === true });
  const activity = createActivity();
  const opened: { close(): Promise<void> | void }[] = [];
  try {
    const gateway = await startGatewaySimulator({
      keys: {
        [SEND_KEY]: { org: ORG, permissions: ["send", "read"] },
        [MANAGE_KEY]: { org: ORG, permissions: ["manage"] },
      },
      sessions: { [SESSION]: { org: ORG, waJid: ACCOUNT.jid } },
    });
    opened.push(gateway);
    // Retries a second apart at first, so a restored gateway or app catches up while you watch.
    gateway.setDeliveryPolicy({ baseDelayMs: 1_000, maxAttempts: 15, timeoutMs: 10_000 });
    const allChats: SeedChat[] = Object.values(CHATS);
    for (const chat of allChats) gateway.addChat(SESSION, { jid: chat.jid, type: "group", name: chat.name });

    let page: PageServer | undefined;
    const slack = await startSlackStandIn({
      teamId: TEAM.id,
      port: options.port ?? 0,
      routes: (req, res, url) => page?.routes(req, res, url) ?? Promise.resolve(false),
    });
    opened.push(slack);
    slack.addUser({ id: ME.id, teamId: TEAM.id, isAdmin: true, name: ME.name });
    for (const chat of allChats) {
      if (chat.channel) slack.addChannel(chat.channel.id, { name: chat.channel.name });
    }
    slack.addChannel(GENERAL.id, { name: GENERAL.name });

    const signingSecret = randomBytes(24).toString("hex");
    const botToken = `xoxb-sandbox-${randomBytes(12).toString("hex")}`;
    const encryptionKey = randomBytes(32).toString("base64url");
    const config = parseAppConfig({
      GATEWAY_URL: gateway.url,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: botToken,
      SLACK_API_URL: slack.apiUrl,
      APP_ENCRYPTION_KEY: encryptionKey,
      DATABASE_URL: `sqlite:${join(scratch, "wa-slack.db")}`,
      PORT: "0",
      LOG_LEVEL: logger.level,
    });
    const services = await createServices(config, logger);
    let app: RunningApp;
    try {
      app = await startApp(config, services);
    } catch (error) {
      await services.close();
      throw error;
    }
    opened.push({
      async close() {
        await app.stop(2_000);
        await services.close();
      },
    });
    const appUrl = `http://127.0.0.1:${app.port}`;

    const changed = () => page?.changed();
    const whatsapp = createWhatsAppSide({
      gateway,
      org: ORG,
      session: SESSION,
      account: ACCOUNT,
      chats: allChats,
      changed,
      note: activity.note,
    });
    opened.push(whatsapp);
    const slackSide = createSlackSide({
      slack,
      appUrl,
      signingSecret,
      team: TEAM,
      me: ME,
      app: { name: APP_NAME, ...commandOf() },
      shortcuts: messageShortcuts(),
      changed,
      note: activity.note,
    });
    opened.push(slackSide);
    const modes = createGatewayModes({ gateway, session: SESSION });
    opened.push(activity.watch({ gateway, slack, changed }));

    async function state(): Promise<SandboxState> {
      const links = await services.store.listLinks(TEAM.id);
      const channelOfChat = new Map(links.map((link) => [link.chatJid, link.channelId]));
      const chatName = (jid: string) => allChats.find((chat) => chat.jid === jid)?.name ?? jid;
      const chatOfChannel = new Map(links.map((link) => [link.channelId, chatName(link.chatJid)]));
      const channelNames = new Map(slack.channelList().map((channel) => [channel.id, channel.name]));
      const linkedNames = new Map(
        [...channelOfChat].map(([chat, channel]) => [chat, channelNames.get(channel) ?? channel]),
      );
      return {
        slack: slackSide.view(chatOfChannel),
        whatsapp: whatsapp.view(linkedNames),
        gateway: modes.view(),
        activity: activity.lines(),
      };
    }

    page = createPageServer({
      pageDir: join(here, "page"),
      state,
      emoji: emojiTable,
      failed: (route, error) => {
        activity.note(
          "sandbox",
          `${route} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        changed();
      },
      actions: {
        command: (input) => slackSide.command(input),
        shortcut: (input) => slackSide.shortcut(input),
        blockAction: (input) => slackSide.blockAction(input),
        submitView: (input) => slackSide.submitView(input),
        closeView: (input) => slackSide.closeView(input.viewId),
        slackReaction: (input) => slackSide.react(input),
        dismiss: (input) => slackSide.dismiss(input),
        homeOpened: () => slackSide.openHome(),
        whatsappMessage: (input) => void whatsapp.post(input),
        whatsappPoll: (input) => void whatsapp.poll(input),
        whatsappReaction: (input) => whatsapp.react(input),
        whatsappVote: (input) => whatsapp.vote(input),
        whatsappEdit: (input) => whatsapp.edit(input),
        whatsappDelete: (input) => whatsapp.remove(input),
        gatewayMode: ({ mode }) => {
          modes.set(mode);
          activity.note("sandbox", `the gateway is now ${mode.replace("_", " ")}`);
          changed();
        },
      },
    });
    opened.push(page);

    // Set up as an admin and an operator would: the key in the workspace, events by webhook, the links.
    await services.workspaces.save(
      TEAM.id,
      { apiKey: SEND_KEY, defaultSessionId: SESSION, visibility: "ephemeral" },
      ME.id,
    );
    const eventSettings = createEventSettings({
      store: services.store,
      workspaces: services.workspaces,
      gateway: services.gateway,
      sealer: services.sealer,
    });
    await eventSettings.useWebhook({
      workspaceId: TEAM.id,
      baseUrl: appUrl,
      manageKey: MANAGE_KEY,
      by: "cli",
    });
    const links = createLinks({ store: services.store, workspaces: services.workspaces });
    const slackClient = new webApi.WebClient(botToken, { slackApiUrl: slack.apiUrl });
    for (const chat of allChats) {
      if (!chat.channel) continue;
      await links.link(
        {
          workspaceId: TEAM.id,
          channelId: chat.channel.id,
          chatJid: chat.jid,
          sessionId: SESSION,
          sendReactions: chat.channel.reactions,
          by: ME.id,
        },
        createSlackLinkAnnouncer(slackClient, chat.name),
      );
    }
    const posted: string[] = [];
    for (const seed of HISTORY) {
      const replyTo = "text" in seed && seed.replyTo !== undefined ? posted[seed.replyTo] : undefined;
      posted.push(
        "poll" in seed
          ? whatsapp.poll({ chat: seed.chat.jid, from: seed.from.jid, ...seed.poll })
          : whatsapp.post({ chat: seed.chat.jid, from: seed.from.jid, text: seed.text, replyTo }),
      );
    }
    await slackSide.openHome();

    const url = `${slack.apiUrl.replace(/api\/$/, "")}`;
    return {
      url,
      appUrl,
      gateway,
      slack,
      async close() {
        await closeAll(opened);
        rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await closeAll(opened);
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

/** In reverse order of opening: the app before the stand-ins it talks to. */
async function closeAll(opened: { close(): Promise<void> | void }[]): Promise<void> {
  for (const item of opened.reverse()) {
    try {
      await item.close();
    } catch {
      // Closing what is left matters more than why one part would not close.
    }
  }
}

interface Manifest {
  features: {
    slash_commands: { command: string; usage_hint?: string }[];
    shortcuts: { name: string; type: string; callback_id: string }[];
  };
}

function manifest(): Manifest {
  return JSON.parse(readFileSync(join(root, "manifest.json"), "utf8")) as Manifest;
}

/** The message shortcuts as the app declares them, so the page's ⋯ menu lists what Slack's would. */
function messageShortcuts(): MessageShortcutView[] {
  return manifest()
    .features.shortcuts.filter((shortcut) => shortcut.type === "message")
    .map((shortcut) => ({ callbackId: shortcut.callback_id, name: shortcut.name }));
}

function commandOf(): { command: string; commandHint: string } {
  const [command] = manifest().features.slash_commands;
  if (!command) throw new Error("manifest.json declares no slash command");
  return { command: command.command, commandHint: command.usage_hint ?? "" };
}
