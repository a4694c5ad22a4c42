// The bot token the app holds for a workspace, for work that no Slack request started (the mirror
// posting a WhatsApp message): the configured SLACK_BOT_TOKEN, or the workspace's OAuth installation.
import type { InstallationStore } from "@slack/bolt";
import type { SlackAuth } from "../config.js";

export type BotTokenFor = (workspaceId: string) => Promise<string | undefined>;

export function createBotTokens(
  auth: SlackAuth,
  installationStore: InstallationStore | undefined,
): BotTokenFor {
  if (auth.mode === "single") return async () => auth.botToken;
  return async (workspaceId) => {
    if (!installationStore) return undefined;
    // An org-wide install is keyed by the enterprise id (E…), a workspace install by the team id.
    const isEnterpriseInstall = workspaceId.startsWith("E");
    try {
      const installation = await installationStore.fetchInstallation({
        isEnterpriseInstall,
        enterpriseId: isEnterpriseInstall ? workspaceId : undefined,
        teamId: isEnterpriseInstall ? undefined : workspaceId,
      });
      return installation.bot?.token;
    } catch {
      return undefined;
    }
  };
}
