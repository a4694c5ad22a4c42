// Everything the Slack side may ask of the app, built once from the services. Listeners get this,
// never the raw store or gateway client.
import type { GatewayClient } from "../gateway/types.js";
import type { Logger } from "../logger.js";
import type { Sealer } from "../secrets/sealer.js";
import type { ChatKey } from "../store/mirror-port.js";
import type { Store } from "../store/port.js";
import { createChatDirectory, type ListLinkableChats } from "./chat-directory.js";
import { createEventSettings, type EventSettings } from "./event-settings.js";
import type { FairLimiter } from "./fair-limiter.js";
import { createForgetWorkspace, type ForgetWorkspace } from "./forget-workspace.js";
import { createSlackReactionForwarder, type SlackReactions } from "./forward-slack-reaction.js";
import { createHomeSummary, type SummarizeHome } from "./home-summary.js";
import { createLinks, type Links } from "./links.js";
import { createMirrorOverview } from "./mirror-overview.js";
import { type ActionRunner, type ActionRunnerDeps, createActionRunner } from "./run-action.js";
import type { WorkspaceDirectory } from "./workspace-directory.js";
import { type CheckWorkspaceStatus, createWorkspaceStatus } from "./workspace-status.js";

export interface UseCases {
  runAction: ActionRunner;
  slackReactions: SlackReactions;
  links: Links;
  listLinkableChats: ListLinkableChats;
  eventSettings: EventSettings;
  checkStatus: CheckWorkspaceStatus;
  summarizeHome: SummarizeHome;
  forgetWorkspace: ForgetWorkspace;
  /** Reading and saving a workspace's settings (the key sealed, the rules checked). */
  workspaces: Pick<WorkspaceDirectory, "get" | "save">;
}

export function createUseCases(deps: {
  gateway: GatewayClient;
  workspaces: WorkspaceDirectory;
  store: Store;
  sealer: Sealer;
  limiter: FairLimiter;
  logger: Logger;
  /** The mirror's echo of the account's own actions (run-action.ts `onSent`). */
  onSent?: ActionRunnerDeps["onSent"];
  /** Has the mirror run a chat whose paused channel was linked again (usecases/links.ts). */
  resumeChat?: ((key: ChatKey) => Promise<void>) | undefined;
  /** Built by the caller when it needs it before the use cases (the mirror reads webhook secrets). */
  eventSettings?: EventSettings | undefined;
}): UseCases {
  const overviewMirror = createMirrorOverview(deps);
  const withOverview = { ...deps, overviewMirror };
  const eventSettings = deps.eventSettings ?? createEventSettings(deps);
  const runAction = createActionRunner(deps);
  return {
    runAction,
    slackReactions: createSlackReactionForwarder({ store: deps.store, runAction }),
    links: createLinks(deps),
    listLinkableChats: createChatDirectory(deps),
    eventSettings,
    checkStatus: createWorkspaceStatus(withOverview),
    summarizeHome: createHomeSummary(withOverview),
    forgetWorkspace: createForgetWorkspace({ ...deps, eventSettings }),
    workspaces: deps.workspaces,
  };
}
