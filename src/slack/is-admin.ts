import type { webApi } from "@slack/bolt";

/**
 * Whether the user may change this workspace's configuration (per users.info): an admin or owner OF THIS
 * workspace. In a channel shared with another organization (Slack Connect) the acting user may be an admin
 * of their own workspace; that must not let them set the key of the workspace the request came to. For an
 * org-wide install the workspace is the enterprise, and only its org admins and owners qualify.
 */
export async function isWorkspaceAdmin(
  client: webApi.WebClient,
  userId: string,
  workspaceId: string,
): Promise<boolean> {
  const info = await client.users.info({ user: userId });
  const user = info.user;
  if (!user) return false;
  const org = user.enterprise_user;
  if (org?.enterprise_id === workspaceId) {
    return Boolean(org.is_admin || org.is_owner || org.is_primary_owner);
  }
  const member = user.team_id === workspaceId || org?.teams?.includes(workspaceId) === true;
  return member && Boolean(user.is_admin || user.is_owner || user.is_primary_owner);
}
