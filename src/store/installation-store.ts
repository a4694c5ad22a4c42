// Bolt's InstallationStore over our Store: the whole Installation is sealed, since it carries tokens.
import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { Sealer } from "../secrets/sealer.js";
import type { Store } from "./port.js";

export interface InstallationStoreOptions {
  store: Store;
  sealer: Sealer;
  /** Called after an installation is deleted (app uninstalled, tokens revoked), with its id. */
  onDelete?: ((installationId: string) => Promise<void>) | undefined;
  clock?: () => number;
}

/** Org-wide installs are keyed by enterprise id, the others by team id: the same id requests are looked up by. */
export function installationIdOf(installation: Installation): string {
  const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
  if (id === undefined || id === "") {
    throw new Error(
      installation.isEnterpriseInstall
        ? "Cannot store an org-wide Slack installation without an enterprise id"
        : "Cannot store a Slack installation without a team id",
    );
  }
  return id;
}

export function installationIdFor(query: InstallationQuery<boolean>): string {
  const id = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (id === undefined || id === "") {
    throw new Error(
      query.isEnterpriseInstall
        ? "Slack asked for an org-wide installation without an enterprise id"
        : "Slack asked for an installation without a team id",
    );
  }
  return id;
}

export function createInstallationStore(options: InstallationStoreOptions): InstallationStore {
  const { store, sealer } = options;
  const clock = options.clock ?? Date.now;

  async function forgetUserToken(installationId: string, userId: string): Promise<void> {
    const record = await store.getInstallation(installationId);
    if (record === undefined) return;
    const installation = JSON.parse(await sealer.open(record.sealedInstallation)) as Installation;
    if (installation.user.id !== userId || installation.user.token === undefined) return;
    const { token: _token, refreshToken: _refresh, expiresAt: _expires, ...user } = installation.user;
    const kept = { ...installation, user: { ...user, token: undefined } };
    await store.putInstallation({
      ...record,
      sealedInstallation: await sealer.seal(JSON.stringify(kept)),
      updatedAt: new Date(clock()),
    });
  }

  return {
    async storeInstallation(installation) {
      const installationId = installationIdOf(installation as Installation);
      await store.putInstallation({
        installationId,
        isEnterpriseInstall: installation.isEnterpriseInstall === true,
        sealedInstallation: await sealer.seal(JSON.stringify(installation)),
        updatedAt: new Date(clock()),
      });
    },

    async fetchInstallation(query) {
      const installationId = installationIdFor(query);
      const record = await store.getInstallation(installationId);
      // Bolt expects a throw for "not installed"; it turns it into an authorization failure.
      if (record === undefined) {
        throw new Error(
          `The app is not installed in ${query.isEnterpriseInstall ? "enterprise" : "workspace"} ${installationId}: install it again from the app's install page`,
        );
      }
      return JSON.parse(await sealer.open(record.sealedInstallation)) as Installation;
    },

    async deleteInstallation(query) {
      const installationId = installationIdFor(query);
      if (query.userId !== undefined) {
        // One user's token was revoked (tokens_revoked): the bot, and the app, stay installed.
        await forgetUserToken(installationId, query.userId);
        return;
      }
      await store.deleteInstallation(installationId);
      await options.onDelete?.(installationId);
    },
  };
}
