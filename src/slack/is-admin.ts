import type { webApi } from "@slack/bolt";

/** Workspace admins and owners may change the configuration (per users.info). */
export async function isWorkspaceAdmin(client: webApi.WebClient, userId: string): Promise<boolean> {
  const info = await client.users.info({ user: userId });
  const user = info.user;
  return Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
}
