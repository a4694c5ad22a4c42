// Seals secrets (gateway API keys, Slack installations) for storage as compact JWE (dir + A256GCM).
// Each JWE names its key by fingerprint (`kid`), so after a key rotation we know what to re-seal.
import { createHash } from "node:crypto";
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from "jose";
import { ConfigError, SealError } from "../errors.js";

export interface SealerKeys {
  current: Uint8Array;
  /** The key before the last rotation: still opens old values until `reseal` has run. */
  previous?: Uint8Array | undefined;
}

export interface Sealer {
  seal(plaintext: string): Promise<string>;
  open(jwe: string): Promise<string>;
  /** Whether the value was sealed under the current key (false for anything unreadable). */
  isCurrent(jwe: string): boolean;
  /** Fingerprint of the current key, safe to show: it does not reveal the key. */
  readonly currentKid: string;
}

const KEY_BYTES = 32;
const ALG = "dir";
const ENC = "A256GCM";

/** First 8 hex digits of the key's SHA-256: enough to tell keys apart, useless to guess one. */
export function keyFingerprint(key: Uint8Array): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

interface NamedKey {
  kid: string;
  key: Uint8Array;
}

export function createSealer(keys: SealerKeys): Sealer {
  const current = checkKey(keys.current, "APP_ENCRYPTION_KEY");
  const previous =
    keys.previous === undefined ? undefined : checkKey(keys.previous, "APP_ENCRYPTION_KEY_PREVIOUS");
  const known: NamedKey[] = [current];
  if (previous !== undefined && previous.kid !== current.kid) known.push(previous);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  function kidOf(jwe: string): string | undefined {
    try {
      const kid = decodeProtectedHeader(jwe).kid;
      return typeof kid === "string" ? kid : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    currentKid: current.kid,

    async seal(plaintext) {
      return new CompactEncrypt(encoder.encode(plaintext))
        .setProtectedHeader({ alg: ALG, enc: ENC, kid: current.kid })
        .encrypt(current.key);
    },

    async open(jwe) {
      const kid = kidOf(jwe);
      // The named key first; the others too, because a kid is only a hint (and old values may lack one).
      const order = [...known].sort((a, b) => Number(b.kid === kid) - Number(a.kid === kid));
      let lastError: unknown;
      for (const candidate of order) {
        try {
          const { plaintext } = await compactDecrypt(jwe, candidate.key, {
            keyManagementAlgorithms: [ALG],
            contentEncryptionAlgorithms: [ENC],
          });
          return decoder.decode(plaintext);
        } catch (error) {
          lastError = error;
        }
      }
      const rotationHint =
        previous === undefined
          ? " If APP_ENCRYPTION_KEY was rotated, set the old key as APP_ENCRYPTION_KEY_PREVIOUS and run `npx wa-slack reseal`."
          : " Neither APP_ENCRYPTION_KEY nor APP_ENCRYPTION_KEY_PREVIOUS opens it.";
      // jose's messages name only the failed step ("decryption operation failed"), never key or plaintext.
      throw new SealError(
        `A stored secret cannot be opened: the encryption key does not match the one it was sealed with${
          kid === undefined ? "" : ` (key ${kid})`
        }.${rotationHint}`,
        { cause: lastError },
      );
    },

    isCurrent(jwe) {
      return kidOf(jwe) === current.kid;
    },
  };
}

function checkKey(key: Uint8Array, name: string): NamedKey {
  if (key.length !== KEY_BYTES) {
    throw new ConfigError([
      `${name} must be ${KEY_BYTES} random bytes (generate one with \`npx wa-slack keygen\`)`,
    ]);
  }
  return { kid: keyFingerprint(key), key };
}
