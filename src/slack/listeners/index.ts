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

/** Every Slack surface the app answers; the manifest test checks manifest.json against these. */
export const REGISTERED = {
  commands: [COMMAND],
  messageShortcuts: [Shortcut.react, Shortcut.unreact, Shortcut.vote],
  events: ["app_home_opened", "app_uninstalled", "tokens_revoked"],
} as const;

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
    new RegExp(`^${Action.quickReaction}:`),
    createQuickReactionListener(deps),
  );
  app.action({ type: "block_actions", action_id: Action.openConfig }, createOpenConfigListener(deps));

  app.event("app_home_opened", createAppHomeOpenedListener(deps));
  app.event("app_uninstalled", createUninstalledListener(deps));
  app.event("tokens_revoked", createUninstalledListener(deps));
}
