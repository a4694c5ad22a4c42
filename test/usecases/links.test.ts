import { afterEach, describe, expect, it } from "vitest";
import { createSealer } from "../../src/secrets/sealer.js";
import { createStore } from "../../src/store/create-store.js";
import type { ChatKey, LinkRecord } from "../../src/store/mirror-port.js";
import type { Store } from "../../src/store/port.js";
import { createLinks, type LinkAnnouncer } from "../../src/usecases/links.js";
import { createWorkspaceDirectory } from "../../src/usecases/workspace-directory.js";
import { randomKey, sampleApiKey, silentLogger } from "../support/store-fixtures.js";

const TEAM = "T0LINKS001";
const GROUP = "120363012345678901@g.us";
const CHANNEL = "C0LINKS001";
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function setup() {
  const store = await createStore("sqlite::memory:", silentLogger());
  stores.push(store);
  const workspaces = createWorkspaceDirectory({ store, sealer: createSealer({ current: randomKey() }) });
  await workspaces.save(TEAM, { apiKey: sampleApiKey(), defaultSessionId: "SESSION01" }, "cli");
  const resumed: ChatKey[] = [];
  const announced: LinkRecord[] = [];
  const announcer: LinkAnnouncer = { announce: async (link) => void announced.push(link) };
  const links = createLinks({ store, workspaces, resumeChat: async (key) => void resumed.push(key) });
  return { store, links, resumed, announced, announcer };
}

describe("links", () => {
  it("when a chat is linked again into its channel without saying about reactions, then it keeps sending them", async () => {
    const { links, announcer } = await setup();
    await links.link(
      { workspaceId: TEAM, channelId: CHANNEL, chatJid: GROUP, sendReactions: true, by: "U1" },
      announcer,
    );
    const again = await links.link(
      { workspaceId: TEAM, channelId: CHANNEL, chatJid: GROUP, by: "U1" },
      announcer,
    );
    expect(again.link.sendReactions).toBe(true);
    const fresh = await links.link(
      { workspaceId: TEAM, channelId: "C0OTHER001", chatJid: GROUP, by: "U1" },
      announcer,
    );
    expect(fresh.link.sendReactions).toBe(false);
    expect(fresh.movedFrom).toBe(CHANNEL);
  });

  it("when a paused channel is linked again, then every paused chat of it resumes and is handed to the mirror at once", async () => {
    const { store, links, resumed, announcer } = await setup();
    const other = "6281234567890@s.whatsapp.net";
    await links.link({ workspaceId: TEAM, channelId: CHANNEL, chatJid: GROUP, by: "U1" }, announcer);
    await links.link({ workspaceId: TEAM, channelId: CHANNEL, chatJid: other, by: "U1" }, announcer);
    await store.setChannelPaused(TEAM, CHANNEL, "not_in_channel");
    await links.link({ workspaceId: TEAM, channelId: CHANNEL, chatJid: GROUP, by: "U1" }, announcer);
    expect((await links.list(TEAM)).map((l) => l.pausedReason)).toEqual([null, null]);
    expect(resumed.map((k) => k.chatJid).sort()).toEqual([GROUP, other].sort());
  });

  it("when the announcement fails, then nothing is linked", async () => {
    const { links } = await setup();
    const refusing: LinkAnnouncer = {
      announce: async () => {
        throw new Error("not_in_channel");
      },
    };
    await expect(
      links.link({ workspaceId: TEAM, channelId: CHANNEL, chatJid: GROUP, by: "U1" }, refusing),
    ).rejects.toThrow("not_in_channel");
    expect(await links.list(TEAM)).toEqual([]);
  });
});
