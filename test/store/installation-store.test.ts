import type { Installation } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { createSealer } from "../../src/secrets/sealer.js";
import { createStore } from "../../src/store/create-store.js";
import { createInstallationStore } from "../../src/store/installation-store.js";
import type { Store } from "../../src/store/port.js";
import {
  randomKey,
  sampleBotToken,
  sampleInstallation,
  sampleOrgInstallation,
  silentLogger,
} from "../support/store-fixtures.js";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function setup() {
  const store = await createStore("sqlite::memory:", silentLogger());
  stores.push(store);
  const deleted: string[] = [];
  const sealer = createSealer({ current: randomKey() });
  const installations = createInstallationStore({
    store,
    sealer,
    onDelete: async (id) => {
      deleted.push(id);
    },
  });
  return { store, sealer, installations, deleted };
}

describe("installation store", () => {
  it("when a workspace installation is stored, then it is fetched back whole by team id, sealed at rest", async () => {
    const { store, installations } = await setup();
    const botToken = sampleBotToken();
    const installation = sampleInstallation("T0AAA", botToken);
    await installations.storeInstallation(installation);
    const fetched = await installations.fetchInstallation({
      teamId: "T0AAA",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(fetched).toEqual(JSON.parse(JSON.stringify(installation)));
    const record = await store.getInstallation("T0AAA");
    expect(record?.isEnterpriseInstall).toBe(false);
    expect(record?.sealedInstallation).not.toContain(botToken);
  });

  it("when an org-wide installation is stored, then it is keyed by enterprise id", async () => {
    const { store, installations } = await setup();
    const installation = sampleOrgInstallation("E0ORG");
    await installations.storeInstallation(installation);
    expect((await store.getInstallation("E0ORG"))?.isEnterpriseInstall).toBe(true);
    const fetched = await installations.fetchInstallation({
      teamId: undefined,
      enterpriseId: "E0ORG",
      isEnterpriseInstall: true,
    });
    expect(fetched.bot?.token).toBe(installation.bot?.token);
  });

  it("when a team installs again, then the new installation replaces the old one", async () => {
    const { installations } = await setup();
    await installations.storeInstallation(sampleInstallation("T0AAA"));
    const newer = sampleInstallation("T0AAA");
    await installations.storeInstallation(newer);
    const fetched = await installations.fetchInstallation({
      teamId: "T0AAA",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(fetched.bot?.token).toBe(newer.bot?.token);
  });

  it("when the app is not installed in a team, then fetch throws an error that names the team", async () => {
    const { installations } = await setup();
    await expect(
      installations.fetchInstallation({
        teamId: "T0NONE",
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      }),
    ).rejects.toThrow(/not installed in workspace T0NONE/);
  });

  it("when an installation is deleted, then fetch fails afterwards and onDelete hears of it", async () => {
    const { installations, deleted } = await setup();
    await installations.storeInstallation(sampleInstallation("T0AAA"));
    await installations.deleteInstallation?.({
      teamId: "T0AAA",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    await expect(
      installations.fetchInstallation({
        teamId: "T0AAA",
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      }),
    ).rejects.toThrow(/not installed/);
    expect(deleted).toEqual(["T0AAA"]);
  });

  it("when only the installer's user token is revoked, then the bot stays installed without the user token", async () => {
    const { installations, deleted } = await setup();
    const org = sampleOrgInstallation("E0ORG");
    await installations.storeInstallation(org);
    await installations.deleteInstallation?.({
      teamId: undefined,
      enterpriseId: "E0ORG",
      isEnterpriseInstall: true,
      userId: org.user.id,
    });
    const fetched = await installations.fetchInstallation({
      teamId: undefined,
      enterpriseId: "E0ORG",
      isEnterpriseInstall: true,
    });
    expect(fetched.bot?.token).toBe(org.bot?.token);
    expect(fetched.user.token).toBeUndefined();
    expect(fetched.user.id).toBe(org.user.id);
    expect(deleted).toEqual([]);
  });

  it("when an installation has no team id, then storing it fails clearly", async () => {
    const { installations } = await setup();
    const broken = { ...sampleInstallation("T0AAA"), team: undefined } as unknown as Installation;
    await expect(installations.storeInstallation(broken)).rejects.toThrow(/without a team id/);
  });
});
