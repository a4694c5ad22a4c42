// How each workspace receives the gateway's events: a webhook registered at the gateway (its HMAC secret
// kept sealed), the realtime WebSocket, or nothing. The operator CLI changes it; `/wa status`, the Home
// tab and the webhook route read it. The running app reads the store afresh, so a change takes effect
// without a restart.
import { randomBytes } from "node:crypto";
import { EventsSetupError, type EventsSetupErrorCode } from "../errors.js";
import { GatewayApiError, GatewayError, GatewayUnavailableError } from "../gateway/errors.js";
import type { GatewayClient } from "../gateway/types.js";
import type { Sealer } from "../secrets/sealer.js";
import type { EventSettingsRecord, EventsMode } from "../store/mirror-port.js";
import type { Store } from "../store/port.js";
import type { WorkspaceConfig, WorkspaceDirectory } from "./workspace-directory.js";

/** The route the app serves webhook deliveries on, below the public base URL. */
export const WEBHOOK_ROUTE = "/gateway/events";

/** Plain http is only for a gateway and an app on the same machine (tests, local setups). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1"]);

const SECRET_BYTES = 32;

export interface EventsOverview {
  workspaceId: string;
  mode: EventsMode;
  /**
   * The webhook registered for the workspace. In another mode than "webhook" it is one the gateway would
   * not let the app delete: it still exists there, and its deliveries are refused.
   */
  webhook: { id: string; url: string | undefined; secretSet: boolean } | undefined;
  /** The newest event stored for the workspace. */
  lastEvent: { id: string; at: Date } | undefined;
  inbox: { pending: number; parked: number };
  /** Undefined while the mode was never chosen (it is then "off"). */
  updatedBy: string | undefined;
  updatedAt: Date | undefined;
}

/** What became of the webhook a change replaced. */
export type PreviousWebhook =
  | { kind: "none" }
  | { kind: "deleted"; webhookId: string }
  /** Still registered at the gateway: `reason` says why it could not be deleted. */
  | { kind: "left"; webhookId: string; url: string | undefined; reason: string };

export interface EventsChange {
  workspaceId: string;
  mode: EventsMode;
  /** The webhook now registered (webhook mode). */
  webhook: { id: string; url: string } | undefined;
  previous: PreviousWebhook;
}

export interface WebhookRequest {
  workspaceId: string;
  /** The app's public base URL; the route `/gateway/events/<team_id>` is appended. */
  baseUrl: string;
  /** A key with the `manage` permission, used for this registration only and never stored. */
  manageKey?: string | undefined;
  /** Slack user id, or "cli". */
  by: string;
}

export interface EventSettings {
  /** Registers a webhook for every event (replacing the workspace's previous one) and switches to it. */
  useWebhook(request: WebhookRequest): Promise<EventsChange & { webhook: { id: string; url: string } }>;
  /** Switches to the realtime WebSocket, which the running app opens with the workspace's stored key. */
  useRealtime(request: { workspaceId: string; by: string }): Promise<EventsChange>;
  turnOff(request: { workspaceId: string; by: string }): Promise<EventsChange>;
  /** Never the secret: only whether one is set. */
  show(workspaceId: string): Promise<EventsOverview>;
  /**
   * The webhook's signing secret in plain text, for the webhook route's signature check only: never log,
   * show or send it. Undefined unless the workspace receives events by webhook.
   */
  webhookSecret(workspaceId: string): Promise<string | undefined>;
}

export function createEventSettings(deps: {
  store: Pick<Store, "getEventSettings" | "putEventSettings" | "getEventArrival" | "inboxCounts">;
  workspaces: Pick<WorkspaceDirectory, "get">;
  gateway: Pick<GatewayClient, "createWebhook" | "deleteWebhook">;
  sealer: Pick<Sealer, "seal" | "open">;
  clock?: () => Date;
}): EventSettings {
  const { store, gateway, sealer } = deps;
  const clock = deps.clock ?? (() => new Date());
  /** Each workspace's webhook secret as last opened, with the sealed text it came from. */
  const openedSecrets = new Map<string, { sealed: string; secret: string }>();

  async function configured(workspaceId: string): Promise<WorkspaceConfig> {
    const config = await deps.workspaces.get(workspaceId);
    if (config === undefined) throw notConfigured(workspaceId);
    return config;
  }

  /** Deletes the workspace's webhook at the gateway; a refusal is reported, not thrown. */
  async function deleteWebhook(
    apiKey: string | undefined,
    old: EventSettingsRecord | undefined,
  ): Promise<PreviousWebhook> {
    const webhookId = old?.webhookId ?? null;
    if (webhookId === null) return { kind: "none" };
    const left = (reason: string): PreviousWebhook => ({
      kind: "left",
      webhookId,
      url: old?.webhookUrl ?? undefined,
      reason,
    });
    if (apiKey === undefined) return left("the workspace has no API key to delete it with");
    try {
      await gateway.deleteWebhook(apiKey, webhookId);
      return { kind: "deleted", webhookId };
    } catch (error) {
      if (error instanceof GatewayError) return left(refusalReason(error));
      throw error;
    }
  }

  /** Switches to a mode without a webhook, keeping the id of one the gateway would not delete. */
  async function switchTo(
    mode: Exclude<EventsMode, "webhook">,
    workspaceId: string,
    apiKey: string | undefined,
    old: EventSettingsRecord | undefined,
    by: string,
  ): Promise<EventsChange> {
    const previous = await deleteWebhook(apiKey, old);
    await store.putEventSettings({
      workspaceId,
      mode,
      webhookId: previous.kind === "left" ? previous.webhookId : null,
      webhookUrl: previous.kind === "left" ? (previous.url ?? null) : null,
      // Without its secret the route refuses what the left-over webhook still delivers.
      sealedWebhookSecret: null,
      updatedBy: by,
      updatedAt: clock(),
    });
    return { workspaceId, mode, webhook: undefined, previous };
  }

  return {
    async useWebhook({ workspaceId, baseUrl, manageKey, by }) {
      const url = webhookUrlFor(baseUrl, workspaceId);
      const config = await configured(workspaceId);
      const apiKey = manageKey ?? config.apiKey;
      if (apiKey === undefined) {
        throw new EventsSetupError(
          "no_api_key",
          workspaceId,
          `Workspace ${workspaceId} has no gateway API key yet, so there is no key to register the webhook with. ` +
            `Pipe a key that has the manage permission: echo "$MANAGE_KEY" | npx wa-slack events webhook ${workspaceId} --url ${baseUrl}`,
        );
      }
      const old = await store.getEventSettings(workspaceId);
      const secret = randomBytes(SECRET_BYTES).toString("hex");
      // Sealed before the gateway knows the secret, so a sealing failure cannot leave a webhook behind.
      const sealedWebhookSecret = await sealer.seal(secret);
      let created: { id: string };
      try {
        created = await gateway.createWebhook(apiKey, { url, events: ["*"], secret });
      } catch (error) {
        throw registrationFailure(error, { workspaceId, baseUrl, url, keyGiven: manageKey !== undefined });
      }
      try {
        await store.putEventSettings({
          workspaceId,
          mode: "webhook",
          webhookId: created.id,
          webhookUrl: url,
          sealedWebhookSecret,
          updatedBy: by,
          updatedAt: clock(),
        });
      } catch (error) {
        // Unrecorded, the webhook would deliver events no one can verify, for hours of retries: undo it
        // if the gateway lets us. The store's error is the one the operator must see, so this one's is dropped.
        await gateway.deleteWebhook(apiKey, created.id).catch(() => undefined);
        throw error;
      }
      const previous = await deleteWebhook(apiKey, old);
      return { workspaceId, mode: "webhook", webhook: { id: created.id, url }, previous };
    },

    async useRealtime({ workspaceId, by }) {
      const config = await configured(workspaceId);
      if (config.apiKey === undefined) {
        throw new EventsSetupError(
          "no_api_key",
          workspaceId,
          `Workspace ${workspaceId} has no gateway API key yet, and the realtime connection needs one (with the events permission). ` +
            `Set it first: echo "$KEY" | npx wa-slack workspace set ${workspaceId}`,
        );
      }
      const old = await store.getEventSettings(workspaceId);
      return switchTo("realtime", workspaceId, config.apiKey, old, by);
    },

    async turnOff({ workspaceId, by }) {
      const [config, old] = await Promise.all([
        deps.workspaces.get(workspaceId),
        store.getEventSettings(workspaceId),
      ]);
      if (config === undefined && old === undefined) throw notConfigured(workspaceId);
      return switchTo("off", workspaceId, config?.apiKey, old, by);
    },

    async show(workspaceId) {
      const [config, settings, arrival, inbox] = await Promise.all([
        deps.workspaces.get(workspaceId),
        store.getEventSettings(workspaceId),
        store.getEventArrival(workspaceId),
        store.inboxCounts(workspaceId),
      ]);
      if (config === undefined && settings === undefined) throw notConfigured(workspaceId);
      return {
        workspaceId,
        mode: settings?.mode ?? "off",
        webhook:
          settings === undefined || settings.webhookId === null
            ? undefined
            : {
                id: settings.webhookId,
                url: settings.webhookUrl ?? undefined,
                secretSet: settings.sealedWebhookSecret !== null,
              },
        lastEvent: arrival === undefined ? undefined : { id: arrival.lastEventId, at: arrival.lastEventAt },
        inbox,
        updatedBy: settings?.updatedBy,
        updatedAt: settings?.updatedAt,
      };
    },

    async webhookSecret(workspaceId) {
      const settings = await store.getEventSettings(workspaceId);
      if (settings?.mode !== "webhook" || settings.sealedWebhookSecret === null) return undefined;
      // The row is read on every delivery, so a new or removed webhook counts at once; opening the sealed
      // secret (a key import and an AES decryption, a fifth of a delivery's CPU) only when it changed.
      const sealed = settings.sealedWebhookSecret;
      const known = openedSecrets.get(workspaceId);
      if (known?.sealed === sealed) return known.secret;
      const secret = await sealer.open(sealed);
      openedSecrets.set(workspaceId, { sealed, secret });
      return secret;
    },
  };
}

/**
 * The URL the gateway delivers a workspace's events to: the app's public base URL and its webhook route.
 * Throws EventsSetupError `bad_webhook_url` with what to give instead.
 */
export function webhookUrlFor(baseUrl: string, workspaceId: string): string {
  const bad = (problem: string, shown = `"${baseUrl}"`) =>
    new EventsSetupError(
      "bad_webhook_url",
      workspaceId,
      `${shown} cannot be the app's public base URL: ${problem}`,
    );
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw bad(
      "it is not an absolute URL. Give the address the gateway can reach the app at, e.g. https://wa-slack.example.com",
    );
  }
  const loopbackHttp = url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !loopbackHttp) {
    throw bad("it must start with https:// (plain http only for localhost and 127.0.0.1).");
  }
  if (url.username !== "" || url.password !== "") {
    // Not quoted back: the password would land in the terminal's scrollback and in logs.
    throw bad(
      "it must not hold a user name or password: the webhook URL is stored and shown in clear.",
      "A URL with credentials",
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw bad("it must not have a query (?…) or a fragment (#…).");
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (path === WEBHOOK_ROUTE || path.includes(`${WEBHOOK_ROUTE}/`)) {
    throw bad(`give the base URL only: ${WEBHOOK_ROUTE}/<team_id> is added to it.`);
  }
  return `${url.origin}${path}${WEBHOOK_ROUTE}/${encodeURIComponent(workspaceId)}`;
}

function notConfigured(workspaceId: string): EventsSetupError {
  return new EventsSetupError(
    "workspace_not_configured",
    workspaceId,
    `Workspace ${workspaceId} is not configured. Set its gateway API key and session first: ` +
      `echo "$KEY" | npx wa-slack workspace set ${workspaceId} --session <session_id>`,
  );
}

/** Why the gateway did not do what was asked, in words; never with the key. */
function refusalReason(error: GatewayError): string {
  if (error instanceof GatewayApiError && error.status === 401) return "the gateway rejected the key (401)";
  if (error instanceof GatewayApiError && error.status === 403) {
    return "the key lacks the manage permission (403)";
  }
  if (error instanceof GatewayUnavailableError) return `the gateway did not answer (${error.message})`;
  return error.message;
}

function registrationFailure(
  error: unknown,
  context: { workspaceId: string; baseUrl: string; url: string; keyGiven: boolean },
): unknown {
  if (!(error instanceof GatewayError)) return error;
  const { workspaceId } = context;
  const key = context.keyGiven ? "the key on standard input" : `workspace ${workspaceId}'s stored key`;
  const pipeManageKey = `Pipe a key that has the manage permission: echo "$MANAGE_KEY" | npx wa-slack events webhook ${workspaceId} --url ${context.baseUrl}`;
  const fail = (code: EventsSetupErrorCode, message: string) =>
    new EventsSetupError(code, workspaceId, message, { cause: error });
  if (error instanceof GatewayApiError && error.status === 403) {
    return fail(
      "key_lacks_manage",
      `The gateway refused to register the webhook: ${key} lacks the manage permission (403). ${pipeManageKey}`,
    );
  }
  if (error instanceof GatewayApiError && error.status === 401) {
    return fail(
      "key_rejected",
      `The gateway rejected ${key} (401): it is unknown or revoked. ${pipeManageKey}`,
    );
  }
  if (error instanceof GatewayUnavailableError) {
    return fail(
      "gateway_unreachable",
      error.mayHaveArrived
        ? `The gateway did not answer the webhook registration (${error.message}). It may have registered it anyway: ` +
            `check the gateway's webhooks (GET /api/v1/webhooks) for ${context.url}, delete a duplicate, then run the command again.`
        : `The gateway could not be reached (${error.message}). Check GATEWAY_URL and that the gateway is up, then run the command again.`,
    );
  }
  return fail("gateway_refused", `The gateway did not register the webhook: ${error.message}`);
}
