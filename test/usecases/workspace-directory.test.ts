import { afterEach, describe, expect, it } from "vitest";
import { SealError, UserInputError } from "../../src/errors.js";
import { createSealer } from "../../src/secrets/sealer.js";
import { createStore } from "../../src/store/create-store.js";
import type { Store } from "../../src/store/port.js";
import { createWorkspaceDirectory } from "../../src/usecases/workspace-directory.js";
import { countingStore } from "../support/store-counting.js";
import { randomKey, sampleApiKey, sampleInstallation, silentLogger } from "../support/store-fixtures.js";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function setup(options: { ttlMs?: number } = {}) {
  const real = await createStore("sqlite::memory:", silentLogger());
  stores.push(real);
  const { store, calls } = countingStore(real);
  let now = Date.parse("2025-06-01T12:00:00.000Z");
  const clock = () => now;
  const key = randomKey();
  const sealer = createSealer({ current: key });
  const directory = createWorkspaceDirectory({ store, sealer, clock, ttlMs: options.ttlMs ?? 10_000 });
  return { real, store, calls, directory, sealer, key, advance: (ms: number) => (now += ms), clock };
}

describe("workspace directory", () => {
  it("when a key is saved, then get returns it unsealed and masked, and the store holds it sealed", async () => {
    const { real, directory } = await setup();
    const apiKey = sampleApiKey();
    const saved = await directory.save(
      "T0AAA",
      { apiKey, defaultSessionId: "01HZX", visibility: "channel" },
      "U0ADMIN",
    );
    expect(saved).toEqual({
      workspaceId: "T0AAA",
      apiKey,
      maskedKey: `wa_…${apiKey.slice(-4)}`,
      defaultSessionId: "01HZX",
      visibility: "channel",
      updatedBy: "U0ADMIN",
      updatedAt: new Date("2025-06-01T12:00:00.000Z"),
    });
    expect(await directory.get("T0AAA")).toEqual(saved);
    const record = await real.getWorkspace("T0AAA");
    expect(record?.sealedApiKey).not.toContain(apiKey);
    expect(record?.sealedApiKey?.split(".")).toHaveLength(5);
  });

  it("when a new workspace is saved without visibility, then it defaults to ephemeral", async () => {
    const { directory } = await setup();
    const saved = await directory.save("T0AAA", { apiKey: sampleApiKey() }, "cli");
    expect(saved.visibility).toBe("ephemeral");
    expect(saved.defaultSessionId).toBeUndefined();
  });

  it("when only settings change, then the key is kept; when the session is null or empty, then it is cleared", async () => {
    const { directory } = await setup();
    const apiKey = sampleApiKey();
    await directory.save("T0AAA", { apiKey, defaultSessionId: "S1" }, "cli");
    const changed = await directory.save("T0AAA", { visibility: "channel" }, "U0B");
    expect(changed).toMatchObject({
      apiKey,
      defaultSessionId: "S1",
      visibility: "channel",
      updatedBy: "U0B",
    });
    expect(
      (await directory.save("T0AAA", { defaultSessionId: null }, "cli")).defaultSessionId,
    ).toBeUndefined();
    await directory.save("T0AAA", { defaultSessionId: "S2" }, "cli");
    expect(
      (await directory.save("T0AAA", { defaultSessionId: "  " }, "cli")).defaultSessionId,
    ).toBeUndefined();
    expect((await directory.get("T0AAA"))?.apiKey).toBe(apiKey);
  });

  it("when get is called again within the TTL, then the store is not asked again", async () => {
    const { directory, calls, real } = await setup();
    await directory.save("T0AAA", { apiKey: sampleApiKey() }, "cli");
    const before = calls.getWorkspace;
    await directory.get("T0AAA");
    await directory.get("T0AAA");
    expect(calls.getWorkspace).toBe(before);
    // The store changing behind the cache's back (another instance) is not seen within the TTL...
    await real.deleteWorkspace("T0AAA");
    expect((await directory.get("T0AAA"))?.workspaceId).toBe("T0AAA");
  });

  it("when the TTL has passed, then get reads the store again and sees another instance's change", async () => {
    const { directory, calls, store, sealer, advance, clock } = await setup({ ttlMs: 5_000 });
    await directory.save("T0AAA", { apiKey: sampleApiKey(), visibility: "ephemeral" }, "cli");
    const other = createWorkspaceDirectory({ store, sealer, clock, ttlMs: 5_000 });
    await other.save("T0AAA", { visibility: "channel" }, "U0OTHER");
    advance(4_999);
    expect((await directory.get("T0AAA"))?.visibility).toBe("ephemeral");
    const before = calls.getWorkspace;
    advance(2);
    expect((await directory.get("T0AAA"))?.visibility).toBe("channel");
    expect(calls.getWorkspace).toBe(before + 1);
  });

  it("when a workspace is not configured, then that answer is cached too, until the TTL passes", async () => {
    const { directory, calls, store, sealer, advance, clock } = await setup({ ttlMs: 1_000 });
    expect(await directory.get("T0NEW")).toBeUndefined();
    expect(await directory.get("T0NEW")).toBeUndefined();
    expect(calls.getWorkspace).toBe(1);
    await createWorkspaceDirectory({ store, sealer, clock }).save("T0NEW", { apiKey: sampleApiKey() }, "cli");
    advance(1_001);
    expect((await directory.get("T0NEW"))?.maskedKey).toMatch(/^wa_…/);
  });

  it("when many gets for one workspace arrive together, then they share one store read", async () => {
    const { directory, real, sealer } = await setup();
    await directory.save("T0AAA", { apiKey: sampleApiKey() }, "cli");
    const wrapped = countingStore(real);
    const cold = createWorkspaceDirectory({ store: wrapped.store, sealer });
    const results = await Promise.all(Array.from({ length: 10 }, () => cold.get("T0AAA")));
    expect(results.map((r) => r?.workspaceId)).toEqual(Array(10).fill("T0AAA"));
    expect(wrapped.calls.getWorkspace).toBe(1);
  });

  it("when a workspace is saved, then the cached entry is replaced at once", async () => {
    const { directory } = await setup();
    await directory.save("T0AAA", { apiKey: sampleApiKey(), visibility: "ephemeral" }, "cli");
    expect((await directory.get("T0AAA"))?.visibility).toBe("ephemeral");
    await directory.save("T0AAA", { visibility: "channel" }, "cli");
    expect((await directory.get("T0AAA"))?.visibility).toBe("channel");
  });

  it("when a workspace is removed, then the next get misses the cache and finds nothing", async () => {
    const { directory, calls } = await setup();
    await directory.save("T0AAA", { apiKey: sampleApiKey() }, "cli");
    await directory.get("T0AAA");
    expect(await directory.remove("T0AAA")).toBe(true);
    const before = calls.getWorkspace;
    expect(await directory.get("T0AAA")).toBeUndefined();
    expect(calls.getWorkspace).toBe(before + 1);
    expect(await directory.remove("T0AAA")).toBe(false);
  });

  it("when a caller changes the object it got, then the next caller does not see the change", async () => {
    const { directory } = await setup();
    await directory.save("T0AAA", { apiKey: sampleApiKey() }, "cli");
    const first = await directory.get("T0AAA");
    if (first) first.visibility = "channel";
    expect((await directory.get("T0AAA"))?.visibility).toBe("ephemeral");
  });

  it("when the encryption key does not match, then get fails with a SealError", async () => {
    const { store, directory } = await setup();
    await directory.save("T0AAA", { apiKey: sampleApiKey() }, "cli");
    const wrong = createWorkspaceDirectory({ store, sealer: createSealer({ current: randomKey() }) });
    await expect(wrong.get("T0AAA")).rejects.toBeInstanceOf(SealError);
  });

  it("when workspaces are listed, then each comes back unsealed and masked", async () => {
    const { directory } = await setup();
    const a = sampleApiKey();
    await directory.save("T0BBB", { apiKey: a }, "cli");
    await directory.save("T0AAA", { visibility: "channel" }, "cli");
    const listed = await directory.list();
    expect(listed.map((w) => [w.workspaceId, w.maskedKey])).toEqual([
      ["T0AAA", undefined],
      ["T0BBB", `wa_…${a.slice(-4)}`],
    ]);
  });

  describe("API key validation", () => {
    it("when save gets a bad key, then nothing is written", async () => {
      const { directory, calls } = await setup();
      await expect(directory.save("T0AAA", { apiKey: "nope" }, "cli")).rejects.toBeInstanceOf(UserInputError);
      expect(calls.putWorkspace).toBe(0);
    });
  });

  describe("resealAll", () => {
    it("when values were sealed under the previous key, then resealAll moves them all to the current key", async () => {
      const real = await createStore("sqlite::memory:", silentLogger());
      stores.push(real);
      const oldKey = randomKey();
      const newKey = randomKey();
      const oldSealer = createSealer({ current: oldKey });
      const before = createWorkspaceDirectory({ store: real, sealer: oldSealer });
      const keyA = sampleApiKey();
      await before.save("T0AAA", { apiKey: keyA, defaultSessionId: "S1" }, "U0WHO");
      await before.save("T0NOKEY", { visibility: "channel" }, "cli");
      const installed = JSON.stringify(sampleInstallation("T0AAA"));
      await real.putInstallation({
        installationId: "T0AAA",
        isEnterpriseInstall: false,
        sealedInstallation: await oldSealer.seal(installed),
        updatedAt: new Date(0),
      });
      const stamp = (await real.getWorkspace("T0AAA"))?.updatedAt;

      const rotated = createWorkspaceDirectory({
        store: real,
        sealer: createSealer({ current: newKey, previous: oldKey }),
      });
      expect(await rotated.resealAll()).toEqual({ workspaces: 1, installations: 1 });
      expect(await rotated.resealAll()).toEqual({ workspaces: 0, installations: 0 });

      const newOnly = createSealer({ current: newKey });
      const after = createWorkspaceDirectory({ store: real, sealer: newOnly });
      expect(await after.get("T0AAA")).toMatchObject({
        apiKey: keyA,
        defaultSessionId: "S1",
        updatedBy: "U0WHO",
        updatedAt: stamp,
      });
      const installation = await real.getInstallation("T0AAA");
      expect(await newOnly.open(installation?.sealedInstallation ?? "")).toBe(installed);
    });
  });
});
