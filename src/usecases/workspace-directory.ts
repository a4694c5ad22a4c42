// The workspace directory: each workspace's settings with its API key unsealed, cached briefly in
// memory. The store is the truth: the short TTL lets several instances (and the CLI) converge without
// a shared cache. Settings are checked by the rules in domain/workspace-settings.ts before they are kept.
import type { Visibility } from "../domain/types.js";
import { checkApiKey, checkSessionId } from "../domain/workspace-settings.js";
import { maskApiKey } from "../secrets/keys.js";
import type { Sealer } from "../secrets/sealer.js";
import type { Store, WorkspaceRecord } from "../store/port.js";

export interface WorkspaceConfig {
  workspaceId: string;
  /** The gateway API key in plain text: pass it to the gateway client only, never log it. */
  apiKey: string | undefined;
  maskedKey: string | undefined;
  defaultSessionId: string | undefined;
  visibility: Visibility;
  /** Slack user id, or "cli". */
  updatedBy: string;
  updatedAt: Date;
}

export interface WorkspaceChanges {
  /** A new key; undefined keeps the current one. */
  apiKey?: string | undefined;
  /** undefined keeps, null (or "") clears. */
  defaultSessionId?: string | null | undefined;
  visibility?: Visibility | undefined;
}

export interface WorkspaceDirectory {
  get(workspaceId: string): Promise<WorkspaceConfig | undefined>;
  save(workspaceId: string, changes: WorkspaceChanges, by: string): Promise<WorkspaceConfig>;
  remove(workspaceId: string): Promise<boolean>;
  /** Every workspace, read from the store (not cached). */
  list(): Promise<WorkspaceConfig[]>;
  /** Re-seals every sealed value not sealed under the current key (after a key rotation). */
  resealAll(): Promise<{ workspaces: number; installations: number }>;
}

export interface WorkspaceDirectoryOptions {
  store: Store;
  sealer: Sealer;
  /** Milliseconds since the epoch; injected by tests. */
  clock?: () => number;
  /** How long a read (or a "not configured") is served from memory. */
  ttlMs?: number;
}

/** Confirmations stay with the user unless an admin chooses the channel. */
export const DEFAULT_VISIBILITY: Visibility = "ephemeral";
export const DEFAULT_TTL_MS = 10_000;

interface CacheEntry {
  value: WorkspaceConfig | undefined;
  expiresAt: number;
}

export function createWorkspaceDirectory(options: WorkspaceDirectoryOptions): WorkspaceDirectory {
  const { store, sealer } = options;
  const clock = options.clock ?? Date.now;
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const cache = new Map<string, CacheEntry>();
  const loading = new Map<string, Promise<WorkspaceConfig | undefined>>();
  // Bumped by every write, so a read that started before it does not cache what it read.
  const generation = new Map<string, number>();

  function invalidate(workspaceId: string): void {
    cache.delete(workspaceId);
    loading.delete(workspaceId);
    generation.set(workspaceId, (generation.get(workspaceId) ?? 0) + 1);
  }

  async function unseal(record: WorkspaceRecord): Promise<WorkspaceConfig> {
    const apiKey = record.sealedApiKey === null ? undefined : await sealer.open(record.sealedApiKey);
    return {
      workspaceId: record.workspaceId,
      apiKey,
      maskedKey: apiKey === undefined ? undefined : maskApiKey(apiKey),
      defaultSessionId: record.defaultSessionId ?? undefined,
      visibility: record.visibility,
      updatedBy: record.updatedBy,
      updatedAt: record.updatedAt,
    };
  }

  async function load(workspaceId: string): Promise<WorkspaceConfig | undefined> {
    const startedAt = generation.get(workspaceId) ?? 0;
    try {
      const record = await store.getWorkspace(workspaceId);
      const value = record === undefined ? undefined : await unseal(record);
      if ((generation.get(workspaceId) ?? 0) === startedAt) {
        cache.set(workspaceId, { value, expiresAt: clock() + ttlMs });
      }
      return value;
    } finally {
      if ((generation.get(workspaceId) ?? 0) === startedAt) loading.delete(workspaceId);
    }
  }

  // Callers get copies: one handler changing its object must not change what the next one reads.
  const copy = (config: WorkspaceConfig | undefined) =>
    config === undefined ? undefined : { ...config, updatedAt: new Date(config.updatedAt) };

  return {
    async get(workspaceId) {
      const hit = cache.get(workspaceId);
      if (hit !== undefined && hit.expiresAt > clock()) return copy(hit.value);
      let pending = loading.get(workspaceId);
      if (pending === undefined) {
        pending = load(workspaceId);
        loading.set(workspaceId, pending);
      }
      return copy(await pending);
    },

    async save(workspaceId, changes, by) {
      // Validate before touching the store, so a bad key never reaches it.
      const apiKey = changes.apiKey === undefined ? undefined : checkApiKey(changes.apiKey);
      const session =
        changes.defaultSessionId === undefined ? undefined : checkSessionId(changes.defaultSessionId ?? "");
      const existing = await store.getWorkspace(workspaceId);
      const record: WorkspaceRecord = {
        workspaceId,
        sealedApiKey: apiKey === undefined ? (existing?.sealedApiKey ?? null) : await sealer.seal(apiKey),
        defaultSessionId: session === undefined ? (existing?.defaultSessionId ?? null) : session,
        visibility: changes.visibility ?? existing?.visibility ?? DEFAULT_VISIBILITY,
        updatedBy: by,
        updatedAt: new Date(clock()),
      };
      invalidate(workspaceId);
      await store.putWorkspace(record);
      const saved = await unseal(record);
      invalidate(workspaceId);
      cache.set(workspaceId, { value: saved, expiresAt: clock() + ttlMs });
      return copy(saved) as WorkspaceConfig;
    },

    async remove(workspaceId) {
      invalidate(workspaceId);
      const removed = await store.deleteWorkspace(workspaceId);
      invalidate(workspaceId);
      return removed;
    },

    async list() {
      const records = await store.listWorkspaces();
      return Promise.all(records.map(unseal));
    },

    async resealAll() {
      let workspaces = 0;
      for (const record of await store.listWorkspaces()) {
        if (record.sealedApiKey === null || sealer.isCurrent(record.sealedApiKey)) continue;
        const sealedApiKey = await sealer.seal(await sealer.open(record.sealedApiKey));
        // Re-sealing is not a settings change: who changed it and when stay as they were.
        await store.putWorkspace({ ...record, sealedApiKey });
        invalidate(record.workspaceId);
        workspaces += 1;
      }
      let installations = 0;
      for (const record of await store.listInstallations()) {
        if (sealer.isCurrent(record.sealedInstallation)) continue;
        const sealedInstallation = await sealer.seal(await sealer.open(record.sealedInstallation));
        await store.putInstallation({ ...record, sealedInstallation });
        installations += 1;
      }
      return { workspaces, installations };
    },
  };
}
