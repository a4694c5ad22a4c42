// The sealer (src/secrets/) lives with the store tests: it exists to keep the store free of plain secrets.
import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { ConfigError, SealError } from "../../src/errors.js";
import { generateEncryptionKey, maskApiKey } from "../../src/secrets/keys.js";
import { createSealer, keyFingerprint } from "../../src/secrets/sealer.js";
import { randomKey } from "../support/store-fixtures.js";

describe("sealer", () => {
  it("when a value is sealed and opened with the same key, then the plaintext comes back", async () => {
    const sealer = createSealer({ current: randomKey() });
    const sealed = await sealer.seal("wa_live_abcdef123456 ünïcødé 👍🏽");
    expect(await sealer.open(sealed)).toBe("wa_live_abcdef123456 ünïcødé 👍🏽");
  });

  it("when a value is sealed, then it is a dir/A256GCM JWE naming the key and hiding the plaintext", async () => {
    const key = randomKey();
    const sealer = createSealer({ current: key });
    const sealed = await sealer.seal("wa_live_secret_value");
    expect(sealed.split(".")).toHaveLength(5);
    expect(sealed).not.toContain("wa_live_secret_value");
    expect(decodeProtectedHeader(sealed)).toEqual({ alg: "dir", enc: "A256GCM", kid: keyFingerprint(key) });
    expect(keyFingerprint(key)).toMatch(/^[0-9a-f]{8}$/);
    expect(sealer.currentKid).toBe(keyFingerprint(key));
  });

  it("when the same value is sealed twice, then the two JWEs differ (fresh IV)", async () => {
    const sealer = createSealer({ current: randomKey() });
    expect(await sealer.seal("same")).not.toBe(await sealer.seal("same"));
  });

  it("when opened with another key, then it fails with a SealError about the key, never showing the secret", async () => {
    const sealed = await createSealer({ current: randomKey() }).seal("wa_live_do_not_show");
    const error = await createSealer({ current: randomKey() })
      .open(sealed)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SealError);
    expect((error as Error).message).toMatch(/encryption key does not match/);
    expect((error as Error).message).toContain("APP_ENCRYPTION_KEY_PREVIOUS");
    expect((error as Error).message).not.toContain("wa_live_do_not_show");
  });

  it("when the JWE was tampered with, then opening fails with a SealError", async () => {
    const sealer = createSealer({ current: randomKey() });
    const parts = (await sealer.seal("value")).split(".");
    const ciphertext = parts[3] ?? "";
    parts[3] = `${ciphertext.slice(0, -2)}${ciphertext.endsWith("AA") ? "BB" : "AA"}`;
    await expect(sealer.open(parts.join("."))).rejects.toBeInstanceOf(SealError);
    await expect(sealer.open("not a jwe")).rejects.toBeInstanceOf(SealError);
  });

  it("when a key is not 32 bytes, then createSealer refuses it with a ConfigError that says how to make one", () => {
    expect(() => createSealer({ current: new Uint8Array(16) })).toThrow(ConfigError);
    expect(() => createSealer({ current: new Uint8Array(16) })).toThrow(/keygen/);
  });

  describe("rotation", () => {
    it("when a value was sealed under the previous key, then it still opens and is not current", async () => {
      const oldKey = randomKey();
      const newKey = randomKey();
      const sealedBefore = await createSealer({ current: oldKey }).seal("wa_live_rotated");
      const rotated = createSealer({ current: newKey, previous: oldKey });
      expect(await rotated.open(sealedBefore)).toBe("wa_live_rotated");
      expect(rotated.isCurrent(sealedBefore)).toBe(false);
      const resealed = await rotated.seal(await rotated.open(sealedBefore));
      expect(rotated.isCurrent(resealed)).toBe(true);
      // After re-sealing, the old key is no longer needed.
      expect(await createSealer({ current: newKey }).open(resealed)).toBe("wa_live_rotated");
    });

    it("when a JWE lacks a kid, then open still tries every key", async () => {
      const key = randomKey();
      const { CompactEncrypt } = await import("jose");
      const noKid = await new CompactEncrypt(new TextEncoder().encode("legacy"))
        .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
        .encrypt(key);
      const sealer = createSealer({ current: randomKey(), previous: key });
      expect(await sealer.open(noKid)).toBe("legacy");
      expect(sealer.isCurrent(noKid)).toBe(false);
      expect(sealer.isCurrent("garbage")).toBe(false);
    });
  });
});

describe("maskApiKey", () => {
  it("when a key is long enough, then only wa_… and its last 4 characters show", () => {
    expect(maskApiKey("wa_live_0123456789abcdef1a2b")).toBe("wa_…1a2b");
  });

  it("when a key is too short to hide, then only wa_… shows", () => {
    expect(maskApiKey("wa_12345")).toBe("wa_…");
    expect(maskApiKey("")).toBe("wa_…");
  });
});

describe("generateEncryptionKey", () => {
  it("when a key is generated, then it is 32 random bytes in base64url, different each time", () => {
    const a = generateEncryptionKey();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
    expect(generateEncryptionKey()).not.toBe(a);
  });
});
