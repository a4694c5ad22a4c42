// What the sandbox's page and its server say to each other. The page (src/sandbox/page/) reads the whole
// state from GET /sandbox/state and again on every `state` event of GET /sandbox/stream (server-sent
// events), and acts through the POST routes below, each with a JSON body checked by these schemas. The
// server turns a Slack-side act into the request Slack would send the app (signed, same payload shapes,
// response_url, trigger_id) and a WhatsApp-side act into the gateway event WhatsApp would cause.
import { z } from "zod";

/** A message, modal or home tab as the app sent it: Block Kit JSON, rendered by the page as Slack would. */
export type BlockKit = Record<string, unknown>;

export interface SlackReactionView {
  /** Slack's emoji name, skin tone included (`+1::skin-tone-3`). */
  name: string;
  count: number;
  /** Display names of who holds it ("WhatsApp" for the app's bot). */
  by: string[];
  /** Whether the person at the page holds it (their click removes it). */
  mine: boolean;
}

export interface SlackMessageView {
  ts: string;
  /** Set on a reply: the ts of its thread's parent. */
  threadTs?: string;
  /** Who it shows as: the `username` the app posted under, a person's name, or the app's name. */
  author: string;
  /** Whether the app posted it (shown with an APP badge). */
  fromApp: boolean;
  text: string;
  blocks?: BlockKit[];
  /** Times chat.update changed it; Slack shows no "(edited)" for app updates, the page neither. */
  updates: number;
  reactions: SlackReactionView[];
  /** Only the person at the page sees it (chat.postEphemeral, or an ephemeral response_url answer). */
  ephemeral: boolean;
  /** The `whatsapp_message` metadata the app attached, shown nowhere but available to the ⋯ menu. */
  metadata?: { event_type: string; event_payload?: Record<string, unknown> };
  /** Replies in its thread (top-level messages only). */
  replyCount: number;
}

export interface SlackChannelView {
  id: string;
  /** Without the `#`. */
  name: string;
  /** The WhatsApp chat's name when the app links it here (from the app's own link announcement). */
  topic?: string;
  /** Oldest first; replies included (their `threadTs` says where they belong); ephemerals in place. */
  messages: SlackMessageView[];
}

export interface ModalView {
  /** The view id the app got from views.open / views.push (`V…`). */
  id: string;
  view: BlockKit;
  /** block_id → message, from the app's `response_action: "errors"` answer to the last submission. */
  errors: Record<string, string>;
  /** Set while a submission is on its way to the app. */
  submitting: boolean;
}

export interface MessageShortcutView {
  callbackId: string;
  /** As manifest.json names it, e.g. "React on WhatsApp". */
  name: string;
}

export interface SlackView {
  team: { id: string; name: string };
  /** The Slack user at the page (a workspace admin, so `/wa link` and `/wa config` work). */
  me: { id: string; name: string };
  app: { name: string; command: string; commandHint: string };
  shortcuts: MessageShortcutView[];
  channels: SlackChannelView[];
  /** The app's direct messages to the person at the page (where a reply goes when nothing else can). */
  directMessages: SlackMessageView[];
  /** Open modals, the top one last. */
  modals: ModalView[];
  /** The app's Home tab for the person at the page, once published. */
  home?: BlockKit;
}

export interface WhatsAppPerson {
  jid: string;
  name: string;
}

export interface WhatsAppReactionView {
  emoji: string;
  /** Names of who reacted with it; the company's account is `account.name`. */
  by: string[];
}

export interface WhatsAppPollView {
  question: string;
  options: { name: string; voters: string[] }[];
  /** 1 = one choice, 0 = any number. */
  selectableCount: number;
}

export interface WhatsAppMessageView {
  id: string;
  from: WhatsAppPerson;
  /** The company's own account wrote it (from Slack, or from the phone). */
  fromMe: boolean;
  /** Epoch ms. */
  at: number;
  text: string;
  /** The id of the message it replies to. */
  quotedId?: string;
  edited: boolean;
  deleted: boolean;
  reactions: WhatsAppReactionView[];
  poll?: WhatsAppPollView;
}

export interface WhatsAppChatView {
  jid: string;
  name: string;
  /** The Slack channel it is mirrored into, when linked. */
  linkedChannel?: string;
  /** The people who can write in it from the page. */
  members: WhatsAppPerson[];
  messages: WhatsAppMessageView[];
}

export const GATEWAY_MODES = ["normal", "slow", "rate_limited", "down"] as const;
export type GatewayMode = (typeof GATEWAY_MODES)[number];

export interface GatewayView {
  mode: GatewayMode;
  /** What each mode does, for the page's labels. */
  modes: { mode: GatewayMode; label: string; description: string }[];
}

export interface ActivityLine {
  at: number;
  /** "slack → app", "app → slack", "app → gateway", "gateway → app", "whatsapp". */
  direction: string;
  text: string;
}

export interface SandboxState {
  slack: SlackView;
  whatsapp: { account: WhatsAppPerson; chats: WhatsAppChatView[] };
  gateway: GatewayView;
  /** The newest last; at most a few hundred lines. */
  activity: ActivityLine[];
}

const id = z.string().min(1).max(200);
const ts = z.string().regex(/^\d+\.\d+$/, "a Slack message ts");

/** POST /sandbox/slack/command: the person types `/wa …` in a channel's message box. */
export const CommandInput = z.strictObject({ channel: id, text: z.string().max(4_000) });

/** POST /sandbox/slack/shortcut: a message shortcut from the ⋯ menu of a message. */
export const ShortcutInput = z.strictObject({ channel: id, ts, callbackId: id });

/**
 * The values of a modal's inputs, shaped as Slack's `view.state.values`:
 * block_id → action_id → { type, value | selected_option | selected_options }.
 */
const OptionValue = z
  .strictObject({
    text: z.strictObject({ type: z.string(), text: z.string() }).passthrough(),
    value: z.string(),
  })
  .passthrough();
const ElementState = z
  .object({
    type: z.string(),
    value: z.string().nullable().optional(),
    selected_option: OptionValue.nullable().optional(),
    selected_options: z.array(OptionValue).optional(),
  })
  .passthrough();
export const StateValues = z.record(z.string(), z.record(z.string(), ElementState));

/**
 * POST /sandbox/slack/block-action: a button, or a select with `dispatch_action`, in a message
 * (channel and ts) or in a modal (viewId).
 */
export const BlockActionInput = z.strictObject({
  channel: id.optional(),
  ts: ts.optional(),
  viewId: id.optional(),
  blockId: id,
  actionId: id,
  /** The element's type: "button", "static_select", … */
  type: id,
  value: z.string().max(2_000).optional(),
  selectedOption: OptionValue.optional(),
  /** The modal's input values at the time of the click. */
  values: StateValues.optional(),
});

/** POST /sandbox/slack/view-submission: the modal's submit button. */
export const ViewSubmissionInput = z.strictObject({ viewId: id, values: StateValues });

/** POST /sandbox/slack/view-closed: the modal's close button or ×. */
export const ViewClosedInput = z.strictObject({ viewId: id });

/** POST /sandbox/slack/reaction: the person adds (on) or removes (off) an emoji on a message. */
export const SlackReactionInput = z.strictObject({ channel: id, ts, name: id, on: z.boolean() });

/** POST /sandbox/slack/home-opened: the person opens the app's Home tab (Slack sends app_home_opened). */
export const HomeOpenedInput = z.strictObject({});

/** POST /sandbox/slack/dismiss: the person dismisses an ephemeral message. */
export const DismissInput = z.strictObject({ channel: id, ts });

const jid = z.string().min(3).max(200);
const waText = z.string().min(1).max(65_536);

/** POST /sandbox/whatsapp/message: someone (or the account itself, `from` = the account) writes in a chat. */
export const WhatsAppMessageInput = z.strictObject({
  chat: jid,
  from: jid,
  text: waText,
  /** The id of the message it replies to. */
  replyTo: id.optional(),
});

/** POST /sandbox/whatsapp/poll: someone starts a poll. */
export const WhatsAppPollInput = z.strictObject({
  chat: jid,
  from: jid,
  question: z.string().min(1).max(255),
  options: z.array(z.string().min(1).max(100)).min(2).max(12),
  /** 1 = one choice, 0 = any number. */
  selectableCount: z.union([z.literal(0), z.literal(1)]),
});

/** POST /sandbox/whatsapp/reaction: someone reacts; an empty emoji takes their reaction away. */
export const WhatsAppReactionInput = z.strictObject({ chat: jid, id, from: jid, emoji: z.string().max(32) });

/** POST /sandbox/whatsapp/vote: someone votes in a poll; no options withdraws their vote. */
export const WhatsAppVoteInput = z.strictObject({ chat: jid, id, from: jid, options: z.array(z.string()) });

/** POST /sandbox/whatsapp/edit: the author edits a message. */
export const WhatsAppEditInput = z.strictObject({ chat: jid, id, text: waText });

/** POST /sandbox/whatsapp/delete: the author deletes a message for everyone. */
export const WhatsAppDeleteInput = z.strictObject({ chat: jid, id });

/** POST /sandbox/gateway/mode: how the gateway answers the app from now on. */
export const GatewayModeInput = z.strictObject({ mode: z.enum(GATEWAY_MODES) });

/**
 * Every POST answers 200 `{ ok: true }` (a view submission: `{ ok: true, responseAction?: … }`, what the
 * app answered), or 4xx `{ ok: false, error }` with a sentence the page shows as it is.
 */
export type ActionAnswer = { ok: true; responseAction?: string } | { ok: false; error: string };

/** GET /sandbox/emoji: Slack emoji name → the character, for rendering `:name:` and reactions. */
export type EmojiTable = Record<string, string>;
