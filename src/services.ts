// Builds the long-lived services from the configuration: store, sealer, workspace directory,
// installation store and gateway client. main.ts and the test harness share it.
import type { AppServices } from "./app.js";
import type { AppConfig } from "./config.js";
import { createGatewayClient } from "./gateway/client.js";
import type { Logger } from "./logger.js";
import { createSealer } from "./secrets/sealer.js";
import { createStore } from "./store/create-store.js";
import { createInstallationStore } from "./store/installation-store.js";
import { GATEWAY_LIMITS } from "./usecases/fair-limiter.js";
import { createWorkspaceDirectory } from "./usecases/workspace-directory.js";

export async function createServices(
  config: AppConfig,
  logger: Logger,
): Promise<AppServices & { close(): Promise<void> }> {
  const store = await createStore(config.databaseUrl, logger, { backgroundCheckpoints: true });
  const sealer = createSealer({ current: config.encryptionKey, previous: config.previousEncryptionKey });
  const workspaces = createWorkspaceDirectory({ store, sealer });
  const gateway = createGatewayClient({
    baseUrl: config.gatewayUrl,
    logger,
    timeouts: { totalMs: config.gatewayTimeoutMs },
    maxConnections: GATEWAY_LIMITS.maxInFlight,
  });
  const installationStore =
    config.slack.auth.mode === "oauth"
      ? createInstallationStore({ store, sealer, onDelete: async (id) => void (await workspaces.remove(id)) })
      : undefined;
  return {
    logger,
    store,
    sealer,
    gateway,
    workspaces,
    installationStore,
    async close() {
      await gateway.close();
      await store.close();
    },
  };
}
