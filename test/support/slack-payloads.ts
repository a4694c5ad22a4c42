// Interactivity payloads shaped as Slack sends them (the fields Bolt and the app read, and the usual rest).
import { CHANNEL, TEAM } from "./app-harness.js";

export function messageShortcut(input: {
  callbackId: string;
  userId: string;
  responseUrl: string;
  ts: string;
  threadTs?: string;
  metadata?: unknown;
  teamId?: string;
  channelId?: string;
  triggerId?: string;
}) {
  const message: Record<string, unknown> = {
    type: "message",
    ts: input.ts,
    text: "WhatsApp message",
    user: "UWABRIDGE",
  };
  if (input.threadTs) message.thread_ts = input.threadTs;
  if (input.metadata !== undefined) message.metadata = input.metadata;
  return {
    type: "message_action",
    token: "deprecated",
    action_ts: "1712345678.999999",
    team: { id: input.teamId ?? TEAM, domain: "acme" },
    user: { id: input.userId, name: "someone", team_id: input.teamId ?? TEAM },
    channel: { id: input.channelId ?? CHANNEL, name: "whatsapp" },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId ?? "1337.42.shortcut",
    response_url: input.responseUrl,
    message_ts: input.ts,
    message,
  };
}

export interface OpenedView {
  id: string;
  callback_id?: string;
  private_metadata?: string;
  blocks?: {
    block_id?: string;
    type: string;
    element?: Record<string, unknown>;
    elements?: Record<string, unknown>[];
  }[];
}

export function viewSubmission(input: {
  view: OpenedView;
  userId: string;
  values: Record<string, Record<string, unknown>>;
  teamId?: string;
}) {
  return {
    type: "view_submission",
    team: { id: input.teamId ?? TEAM, domain: "acme" },
    user: { id: input.userId, username: "someone", name: "someone", team_id: input.teamId ?? TEAM },
    api_app_id: "A0000000001",
    token: "deprecated",
    trigger_id: "1337.42.submit",
    is_enterprise_install: false,
    enterprise: null,
    response_urls: [],
    view: {
      id: input.view.id,
      team_id: input.teamId ?? TEAM,
      type: "modal",
      callback_id: input.view.callback_id,
      private_metadata: input.view.private_metadata ?? "",
      hash: "h1",
      blocks: input.view.blocks ?? [],
      state: { values: input.values },
    },
  };
}

export function blockAction(input: {
  view?: OpenedView;
  userId: string;
  actionId: string;
  blockId: string;
  value?: string;
  teamId?: string;
}) {
  return {
    type: "block_actions",
    team: { id: input.teamId ?? TEAM, domain: "acme" },
    user: { id: input.userId, username: "someone", name: "someone", team_id: input.teamId ?? TEAM },
    api_app_id: "A0000000001",
    token: "deprecated",
    trigger_id: "1337.42.action",
    is_enterprise_install: false,
    enterprise: null,
    container: input.view ? { type: "view", view_id: input.view.id } : { type: "view", view_id: "VHOME" },
    view: input.view
      ? {
          id: input.view.id,
          type: "modal",
          callback_id: input.view.callback_id,
          private_metadata: input.view.private_metadata ?? "",
          hash: "h1",
          blocks: input.view.blocks ?? [],
          state: { values: {} },
        }
      : {
          id: "VHOME",
          type: "home",
          callback_id: "",
          private_metadata: "",
          hash: "h",
          blocks: [],
          state: { values: {} },
        },
    actions: [
      {
        type: "button",
        action_id: input.actionId,
        block_id: input.blockId,
        value: input.value,
        action_ts: "1712345678.1",
      },
    ],
  };
}

/**
 * A click on a button in a message the app posted (a mirrored poll's Vote), as Slack sends it: the
 * message's container, channel and message (without its metadata, which Slack does not promise here),
 * a trigger_id and a response_url.
 */
export function messageButton(input: {
  userId: string;
  channelId: string;
  ts: string;
  actionId: string;
  blockId: string;
  value?: string;
  responseUrl: string;
  threadTs?: string;
  blocks?: unknown[];
  teamId?: string;
  triggerId?: string;
}) {
  const message: Record<string, unknown> = {
    type: "message",
    subtype: "bot_message",
    bot_id: "BBOT000001",
    app_id: "A0000000001",
    text: "WhatsApp message",
    ts: input.ts,
    blocks: input.blocks ?? [],
  };
  if (input.threadTs) message.thread_ts = input.threadTs;
  return {
    type: "block_actions",
    team: { id: input.teamId ?? TEAM, domain: "acme" },
    user: { id: input.userId, username: "someone", name: "someone", team_id: input.teamId ?? TEAM },
    api_app_id: "A0000000001",
    token: "deprecated",
    trigger_id: input.triggerId ?? "1337.42.button",
    is_enterprise_install: false,
    enterprise: null,
    container: {
      type: "message",
      message_ts: input.ts,
      channel_id: input.channelId,
      is_ephemeral: false,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    },
    channel: { id: input.channelId, name: "whatsapp" },
    message,
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        type: "button",
        action_id: input.actionId,
        block_id: input.blockId,
        text: { type: "plain_text", text: "Vote" },
        ...(input.value === undefined ? {} : { value: input.value }),
        action_ts: "1712345678.2",
      },
    ],
  };
}
