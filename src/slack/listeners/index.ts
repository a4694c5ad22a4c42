import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { Action, COMMAND, Shortcut, View } from "../ids.js";
import { createOpenConfigListener } from "./actions/open-config.js";
import { createQuickReactionListener } from "./actions/quick-reaction.js";
import { createWaCommandListener } from "./commands/wa.js";
import type { ListenerDeps } from "./deps.js";
import { createAppHomeOpenedListener } from "./events/app-home-opened.js";
import { createUninstalledListener } from "./events/uninstalled.js";
import { createReactShortcutListener } from "./shortcuts/react.js";
import { createUnreactShortcutListener } from "./shortcuts/unreact.js";
import { createVoteShortcutListener } from "./shortcuts/vote.js";
import { createConfigSubmitListener } from "./views/config-submit.js";
import { createReactSubmitListener } from "./views/react-submit.js";
import { createVoteSubmitListener } from "./views/vote-submit.js";

/**
 * Every Slack surface the app answers; the manifest test checks manifest.json against these, and
 * `servesPayload` answers 400 at once to anything else rather than let Slack wait 3 s for a 404.
 */
export const REGISTERED = {
  commands: [COMMAND],
  messageShortcuts: [Shortcut.react, Shortcut.unreact, Shortcut.vote],
  viewSubmissions: [View.react, View.vote, View.config],
  blockActions: [Action.openConfig],
  /** Quick-reaction buttons carry their index after the prefix. */
  blockActionPrefixes: [`${Action.quickReaction}:`],
  events: ["app_home_opened", "app_uninstalled", "tokens_revoked"],
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

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, createWaCommandListener(deps));

  app.shortcut({ type: "message_action", callback_id: Shortcut.react }, createReactShortcutListener(deps));
  app.shortcut(
    { type: "message_action", callback_id: Shortcut.unreact },
    createUnreactShortcutListener(deps),
  );
  app.shortcut({ type: "message_action", callback_id: Shortcut.vote }, createVoteShortcutListener(deps));

  app.view({ type: "view_submission", callback_id: View.react }, createReactSubmitListener(deps));
  app.view({ type: "view_submission", callback_id: View.vote }, createVoteSubmitListener(deps));
  app.view({ type: "view_submission", callback_id: View.config }, createConfigSubmitListener(deps));

  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${REGISTERED.blockActionPrefixes[0]}`),
    createQuickReactionListener(deps),
  );
  app.action({ type: "block_actions", action_id: Action.openConfig }, createOpenConfigListener(deps));

  app.event("app_home_opened", createAppHomeOpenedListener(deps));
  app.event("app_uninstalled", createUninstalledListener(deps));
  app.event("tokens_revoked", createUninstalledListener(deps));
}
