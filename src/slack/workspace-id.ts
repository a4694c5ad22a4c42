import type { Context } from "@slack/bolt";

/**
 * The workspace whose configuration (and API key) serves a request: the enterprise for an org-wide
 * install, else the team. It is the same id Bolt used to pick the installation's token, so a key is
 * never used for a request that another workspace's installation authorized.
 */
export function workspaceIdOf(context: Context): string {
  const id = context.isEnterpriseInstall ? context.enterpriseId : context.teamId;
  if (!id) throw new Error("Slack request without a team or enterprise id");
  return id;
}
