import type { SlackMessage } from "../views/messages.js";
import { statusMessage } from "../views/messages.js";
import type { ListenerDeps } from "./deps.js";

/** `/wa status`: the workspace's configuration (masked) and whether the gateway answers with its key. */
export async function statusReport(deps: ListenerDeps, workspaceId: string): Promise<SlackMessage> {
  const config = await deps.workspaces.get(workspaceId);
  if (!config?.apiKey) {
    return statusMessage({ workspaceId, config: config ?? undefined, gateway: { kind: "skipped" } });
  }
  if (!config.defaultSessionId) {
    return statusMessage({ workspaceId, config, gateway: { kind: "skipped" } });
  }
  try {
    const probe = await deps.gateway.probeSession(config.apiKey, config.defaultSessionId);
    const detail =
      probe.kind === "ok"
        ? `The gateway answers and knows session \`${config.defaultSessionId}\`${probe.status ? ` (${probe.status})` : ""}.`
        : "The gateway answers and accepts the key (it has no `read` permission, so the session's state is not shown).";
    return statusMessage({ workspaceId, config, gateway: { kind: "ok", detail } });
  } catch (error) {
    return statusMessage({ workspaceId, config, gateway: { kind: "failed", error } });
  }
}
