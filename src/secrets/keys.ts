// Showing and making keys without revealing them.
import { randomBytes } from "node:crypto";

const API_KEY_PREFIX = "wa_";
/** Below this length, the last 4 characters would give away too much of the key. */
const MIN_MASKABLE_LENGTH = API_KEY_PREFIX.length + 8;

/** `wa_…1a2b`: enough for an operator to tell keys apart, never enough to use one. */
export function maskApiKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed.length < MIN_MASKABLE_LENGTH) return `${API_KEY_PREFIX}…`;
  return `${API_KEY_PREFIX}…${trimmed.slice(-4)}`;
}

/** A fresh APP_ENCRYPTION_KEY: 32 random bytes, base64url. */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString("base64url");
}
