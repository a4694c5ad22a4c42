import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import { ActionId, COMMAND, ShortcutId, ViewId } from "../ids.js";
import { createOpenConfigListener } from "./actions/open-config.js";
import { createOpenPollVoteListener } from "./actions/open-poll-vote.js";
import { createQuickReactionListener } from "./actions/quick-reaction.js";
import { createWaCommandListener } from "./commands/wa.js";
import type { ListenerDeps } from "./deps.js";
import { createAppHomeOpenedListener } from "./events/app-home-opened.js";
import { createReactionChangedListener } from "./events/reaction-changed.js";
import { createUninstalledListener } from "./events/uninstalled.js";
import { createReactShortcutListener } from "./shortcuts/react.js";
import { createUnreactShortcutListener } from "./shortcuts/unreact.js";
import { createVoteShortcutListener } from "./shortcuts/vote.js";
import { createConfigSubmitListener } from "./submissions/config-submit.js";
import { createLinkSubmitListener } from "./submissions/link-submit.js";
import { createReactSubmitListener } from "./submissions/react-submit.js";
import { createVoteSubmitListener } from "./submissions/vote-submit.js";

/**
 * Every Slack surface the app answers; the manifest test checks manifest.json against these, and
 * `servesPayload` answers 400 at once to anything else rather than let Slack wait 3 s for a 404.
 */
export const REGISTERED = {
  commands: [COMMAND],
  messageShortcuts: [ShortcutId.react, ShortcutId.unreact, ShortcutId.vote],
  viewSubmissions: [ViewId.react, ViewId.vote, ViewId.config, ViewId.link],
  blockActions: [ActionId.openConfig, ActionId.openPollVote],
  /** Quick-reaction buttons carry their index after the prefix. */
  blockActionPrefixes: [`${ActionId.quickReaction}:`],
  events: ["app_home_opened", "app_uninstalled", "tokens_revoked", "reaction_added", "reaction_removed"],
} as const;

const PAYLOAD_TYPES_BOLT_ANSWERS = new Set(["url_verification", "event_callback", "app_rate_limited"]);

function includes(list: readonly string[], value: unknown): boolean {
  return typeof value === "string" && list.includes(value);
}

/** Whether a listener (or Bolt itself) will acknowledge this parsed, signed Slack payload. */
export function servesPayload(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const b = body as {
    ssl_check?: unknown;
    command?: unknown;
    type?: unknown;
    callback_id?: unknown;
    view?: { callback_id?: unknown } | null;
    actions?: unknown;
  };
  if (b.ssl_check === "1") return true;
  if (b.command !== undefined) return includes(REGISTERED.commands, b.command);
  if (typeof b.type === "string" && PAYLOAD_TYPES_BOLT_ANSWERS.has(b.type)) return true;
  switch (b.type) {
    case "message_action":
      return includes(REGISTERED.messageShortcuts, b.callback_id);
    case "view_submission":
      return includes(REGISTERED.viewSubmissions, b.view?.callback_id);
    case "block_actions":
      return (
        Array.isArray(b.actions) &&
        b.actions.length > 0 &&
        b.actions.every((a: { action_id?: unknown } | null) => {
          const id = a?.action_id;
          return (
            includes(REGISTERED.blockActions, id) ||
            (typeof id === "string" && REGISTERED.blockActionPrefixes.some((p) => id.startsWith(p)))
          );
        })
      );
    default:
      return false;
  }
}

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;
type Handler<A> = (args: A) => Promise<void>;

/**
 * One Bolt listener per surface, each routing by id. Bolt runs every request through the middleware
 * chain of every registered listener, so twelve listeners cost every request twelve chains (about
 * 6 µs and 3 KB each, bench/findings.md); five cost it five. A request no route takes is left
 * unacknowledged, as an unmatched listener would leave it: `servesPayload` has refused it already.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, createWaCommandListener(deps));

  const shortcuts = new Map<string, Handler<ShortcutArgs>>([
    [ShortcutId.react, createReactShortcutListener(deps)],
    [ShortcutId.unreact, createUnreactShortcutListener(deps)],
    [ShortcutId.vote, createVoteShortcutListener(deps)],
  ]);
  app.shortcut<MessageShortcut>({ type: "message_action" }, async (args) => {
    await shortcuts.get(args.shortcut.callback_id)?.(args);
  });

  const views = new Map<string, Handler<ViewArgs>>([
    [ViewId.react, createReactSubmitListener(deps)],
    [ViewId.vote, createVoteSubmitListener(deps)],
    [ViewId.config, createConfigSubmitListener(deps)],
    [ViewId.link, createLinkSubmitListener(deps)],
  ]);
  app.view<ViewSubmitAction>({ type: "view_submission" }, async (args) => {
    await views.get(args.view.callback_id)?.(args);
  });

  const quickReaction = createQuickReactionListener(deps);
  const openConfig = createOpenConfigListener(deps);
  const openPollVote = createOpenPollVoteListener(deps);
  const [quickReactionPrefix] = REGISTERED.blockActionPrefixes;
  app.action<BlockAction<ButtonAction>>({ type: "block_actions" }, async (args: ButtonArgs) => {
    const id = args.action.action_id;
    if (id === ActionId.openConfig) await openConfig(args);
    else if (id === ActionId.openPollVote) await openPollVote(args);
    else if (id.startsWith(quickReactionPrefix)) await quickReaction(args);
  });

  const homeOpened = createAppHomeOpenedListener(deps);
  const uninstalled = createUninstalledListener(deps);
  const reactionChanged = createReactionChangedListener(deps);
  app.event(new RegExp(`^(${REGISTERED.events.join("|")})$`), async (args: EventArgs) => {
    const event = args.event;
    if (event.type === "app_home_opened") await homeOpened(args as Parameters<typeof homeOpened>[0]);
    else if (event.type === "app_uninstalled" || event.type === "tokens_revoked")
      await uninstalled(args as Parameters<typeof uninstalled>[0]);
    else if (event.type === "reaction_added" || event.type === "reaction_removed")
      await reactionChanged(args as Parameters<typeof reactionChanged>[0]);
  });
}
