// The one contract every Store adapter must keep; sqlite.test.ts and postgres.test.ts run it.
import { afterEach, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/errors.js";
import type { AuditEntry, InstallationRecord, Store, WorkspaceRecord } from "../../src/store/port.js";

export interface ContractSubject {
  /** A store on a fresh, empty database. */
  store: Store;
  /** Opens another store on the same database (runs the migrations again). */
  reopen(): Promise<Store>;
}

const at = (iso: string) => new Date(iso);

function workspace(id: string, overrides: Partial<WorkspaceRecord> = {}): WorkspaceRecord {
  return {
    workspaceId: id,
    sealedApiKey: `sealed-key-of-${id}`,
    defaultSessionId: "01HZXSESSION",
    visibility: "channel",
    updatedBy: "U0ADMIN",
    updatedAt: at("2025-03-01T10:00:00.123Z"),
    ...overrides,
  };
}

function installation(id: string, overrides: Partial<InstallationRecord> = {}): InstallationRecord {
  return {
    installationId: id,
    isEnterpriseInstall: false,
    sealedInstallation: `sealed-installation-of-${id}`,
    updatedAt: at("2025-03-01T10:00:00.456Z"),
    ...overrides,
  };
}

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    workspaceId: "T0AUDIT",
    userId: "U0USER",
    operation: "react",
    sessionId: "01HZXSESSION",
    chat: "120363012345678901@g.us",
    messageId: "3EB0C431C26A1916E07A",
    emoji: "👍🏽",
    outcome: { ok: true, status: "sent" },
    at: at("2025-03-01T10:00:00.000Z"),
    ...overrides,
  };
}

/** Call inside a describe: opens fresh subjects whose stores (reopened ones too) are closed after each test. */
export function freshSubjects(makeStore: () => Promise<ContractSubject>): () => Promise<ContractSubject> {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  return async () => {
    const subject = await makeStore();
    opened.push(subject.store);
    return {
      store: subject.store,
      reopen: async () => {
        const again = await subject.reopen();
        opened.push(again);
        return again;
      },
    };
  };
}

export function storeContract(name: string, makeStore: () => Promise<ContractSubject>): void {
  describe(`${name}: store contract`, () => {
    const fresh = freshSubjects(makeStore);

    describe("workspaces", () => {
      it("when a workspace is put, then get returns it field for field", async () => {
        const { store } = await fresh();
        const record = workspace("T0AAA");
        await store.putWorkspace(record);
        expect(await store.getWorkspace("T0AAA")).toEqual(record);
      });

      it("when a workspace has no key and no session, then the nulls come back as nulls", async () => {
        const { store } = await fresh();
        const record = workspace("T0AAA", {
          sealedApiKey: null,
          defaultSessionId: null,
          visibility: "ephemeral",
        });
        await store.putWorkspace(record);
        expect(await store.getWorkspace("T0AAA")).toEqual(record);
      });

      it("when a workspace is put again, then the new record replaces the old one", async () => {
        const { store } = await fresh();
        await store.putWorkspace(workspace("T0AAA"));
        const changed = workspace("T0AAA", {
          sealedApiKey: "another-sealed-key",
          defaultSessionId: null,
          visibility: "ephemeral",
          updatedBy: "cli",
          updatedAt: at("2025-04-02T00:00:00.001Z"),
        });
        await store.putWorkspace(changed);
        expect(await store.getWorkspace("T0AAA")).toEqual(changed);
        expect(await store.listWorkspaces()).toHaveLength(1);
      });

      it("when a workspace was never put, then get returns undefined", async () => {
        const { store } = await fresh();
        expect(await store.getWorkspace("T0NONE")).toBeUndefined();
      });

      it("when workspaces are listed, then all come back ordered by id", async () => {
        const { store } = await fresh();
        for (const id of ["T0CCC", "E0AAA", "T0BBB"]) await store.putWorkspace(workspace(id));
        const listed = await store.listWorkspaces();
        expect(listed.map((w) => w.workspaceId)).toEqual(["E0AAA", "T0BBB", "T0CCC"]);
        expect(listed[1]).toEqual(workspace("T0BBB"));
      });

      it("when a workspace is deleted, then it is gone and a second delete reports false", async () => {
        const { store } = await fresh();
        await store.putWorkspace(workspace("T0AAA"));
        await store.putWorkspace(workspace("T0BBB"));
        expect(await store.deleteWorkspace("T0AAA")).toBe(true);
        expect(await store.getWorkspace("T0AAA")).toBeUndefined();
        expect(await store.deleteWorkspace("T0AAA")).toBe(false);
        expect((await store.listWorkspaces()).map((w) => w.workspaceId)).toEqual(["T0BBB"]);
      });
    });

    describe("installations", () => {
      it("when an installation is put, then get returns it and list includes it", async () => {
        const { store } = await fresh();
        const team = installation("T0AAA");
        const org = installation("E0ORG", { isEnterpriseInstall: true });
        await store.putInstallation(team);
        await store.putInstallation(org);
        expect(await store.getInstallation("T0AAA")).toEqual(team);
        expect(await store.getInstallation("E0ORG")).toEqual(org);
        expect(await store.listInstallations()).toEqual([org, team]);
      });

      it("when an installation is put again, then it is replaced", async () => {
        const { store } = await fresh();
        await store.putInstallation(installation("T0AAA"));
        const again = installation("T0AAA", {
          sealedInstallation: "resealed",
          updatedAt: at("2025-05-05T05:05:05.005Z"),
        });
        await store.putInstallation(again);
        expect(await store.getInstallation("T0AAA")).toEqual(again);
        expect(await store.listInstallations()).toHaveLength(1);
      });

      it("when an installation is deleted, then it is gone and a second delete reports false", async () => {
        const { store } = await fresh();
        await store.putInstallation(installation("T0AAA"));
        expect(await store.deleteInstallation("T0AAA")).toBe(true);
        expect(await store.getInstallation("T0AAA")).toBeUndefined();
        expect(await store.deleteInstallation("T0AAA")).toBe(false);
      });
    });

    describe("audit log", () => {
      it("when entries are appended, then they come back newest first, equal to what was appended", async () => {
        const { store } = await fresh();
        const entries: AuditEntry[] = [
          entry({ at: at("2025-03-01T10:00:00.000Z") }),
          entry({
            operation: "vote",
            emoji: undefined,
            options: ["Pizza", 'Sushi "fresh"', "👨‍👩‍👧"],
            at: at("2025-03-01T11:00:00.000Z"),
          }),
          entry({ operation: "vote", emoji: undefined, options: [], at: at("2025-03-01T12:00:00.000Z") }),
          entry({
            operation: "unreact",
            emoji: undefined,
            outcome: { ok: false, errorCode: "not_found" },
            at: at("2025-03-01T13:00:00.000Z"),
          }),
        ];
        for (const e of entries) await store.appendAudit(e);
        const listed = await store.listAudit({ workspaceId: "T0AUDIT", limit: 10 });
        expect(listed.map(({ id: _id, ...rest }) => rest)).toEqual([...entries].reverse());
        expect(new Set(listed.map((r) => r.id)).size).toBe(4);
        expect(listed[1]?.options).toEqual([]);
        expect(listed[0]).not.toHaveProperty("emoji");
      });

      it("when a limit is given, then only that many of the newest come back", async () => {
        const { store } = await fresh();
        for (let hour = 10; hour < 15; hour++) {
          await store.appendAudit(entry({ messageId: `M${hour}`, at: at(`2025-03-01T${hour}:00:00.000Z`) }));
        }
        const listed = await store.listAudit({ workspaceId: "T0AUDIT", limit: 2 });
        expect(listed.map((r) => r.messageId)).toEqual(["M14", "M13"]);
      });

      it("when since is given, then entries from that instant on come back", async () => {
        const { store } = await fresh();
        for (let hour = 10; hour < 15; hour++) {
          await store.appendAudit(entry({ messageId: `M${hour}`, at: at(`2025-03-01T${hour}:00:00.000Z`) }));
        }
        const listed = await store.listAudit({
          workspaceId: "T0AUDIT",
          since: at("2025-03-01T12:00:00.000Z"),
          limit: 100,
        });
        expect(listed.map((r) => r.messageId)).toEqual(["M14", "M13", "M12"]);
      });

      it("when entries share an instant, then the one appended last comes first", async () => {
        const { store } = await fresh();
        const same = at("2025-03-01T10:00:00.000Z");
        for (const mid of ["first", "second", "third"])
          await store.appendAudit(entry({ messageId: mid, at: same }));
        const listed = await store.listAudit({ workspaceId: "T0AUDIT", limit: 10 });
        expect(listed.map((r) => r.messageId)).toEqual(["third", "second", "first"]);
      });

      it("when a pending entry is settled, then it reads back with its outcome and a second settle changes nothing", async () => {
        const { store } = await fresh();
        const id = await store.appendAudit(entry({ outcome: { pending: true } }));
        const other = await store.appendAudit(
          entry({ messageId: "still-pending", outcome: { pending: true } }),
        );
        expect(other).not.toBe(id);
        expect((await store.listAudit({ workspaceId: "T0AUDIT", limit: 10 })).map((r) => r.outcome)).toEqual([
          { pending: true },
          { pending: true },
        ]);
        await store.settleAudit(id, { ok: false, errorCode: "rate_limited" });
        await store.settleAudit(id, { ok: true, status: "sent" });
        const listed = await store.listAudit({ workspaceId: "T0AUDIT", limit: 10 });
        expect(listed.map((r) => [r.messageId, r.outcome])).toEqual([
          ["still-pending", { pending: true }],
          ["3EB0C431C26A1916E07A", { ok: false, errorCode: "rate_limited" }],
        ]);
      });

      it("when stale pending entries are settled, then only pending ones from before the instant change, in every workspace", async () => {
        const { store } = await fresh();
        const before = at("2025-03-01T12:00:00.000Z");
        await store.appendAudit(
          entry({ messageId: "old-pending", outcome: { pending: true }, at: at("2025-03-01T10:00:00.000Z") }),
        );
        await store.appendAudit(
          entry({
            workspaceId: "T0OTHER",
            messageId: "other-old-pending",
            outcome: { pending: true },
            at: at("2025-03-01T11:59:59.999Z"),
          }),
        );
        await store.appendAudit(
          entry({
            messageId: "old-settled",
            outcome: { ok: false, errorCode: "not_found" },
            at: at("2025-03-01T09:00:00.000Z"),
          }),
        );
        await store.appendAudit(
          entry({ messageId: "pending-at-the-instant", outcome: { pending: true }, at: before }),
        );
        await store.appendAudit(
          entry({
            messageId: "fresh-pending",
            outcome: { pending: true },
            at: at("2025-03-01T12:00:01.000Z"),
          }),
        );
        const unknown = { ok: false, errorCode: "outcome_unknown" } as const;

        expect(await store.settleStalePendingAudit(before, unknown)).toBe(2);
        expect(await store.settleStalePendingAudit(before, { ok: true, status: "sent" })).toBe(0);

        const outcomes = async (workspaceId: string) =>
          (await store.listAudit({ workspaceId, limit: 10 })).map((r) => [r.messageId, r.outcome]);
        expect(await outcomes("T0AUDIT")).toEqual([
          ["fresh-pending", { pending: true }],
          ["pending-at-the-instant", { pending: true }],
          ["old-pending", unknown],
          ["old-settled", { ok: false, errorCode: "not_found" }],
        ]);
        expect(await outcomes("T0OTHER")).toEqual([["other-old-pending", unknown]]);
      });

      it("when another workspace has entries, then they are not listed", async () => {
        const { store } = await fresh();
        await store.appendAudit(entry({ workspaceId: "T0OTHER", messageId: "theirs" }));
        await store.appendAudit(entry({ messageId: "ours" }));
        const listed = await store.listAudit({ workspaceId: "T0AUDIT", limit: 10 });
        expect(listed.map((r) => r.messageId)).toEqual(["ours"]);
      });
    });

    describe("lifecycle", () => {
      it("when the database answers, then ping resolves", async () => {
        const { store } = await fresh();
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it("when the database is opened again, then migrations run again harmlessly and the data is kept", async () => {
        const { store, reopen } = await fresh();
        await store.putWorkspace(workspace("T0AAA"));
        await store.putInstallation(installation("T0AAA"));
        await store.appendAudit(entry());
        await store.close();
        const again = await reopen();
        const third = await reopen();
        expect(await again.getWorkspace("T0AAA")).toEqual(workspace("T0AAA"));
        expect(await third.getInstallation("T0AAA")).toEqual(installation("T0AAA"));
        expect(await third.listAudit({ workspaceId: "T0AUDIT", limit: 5 })).toHaveLength(1);
        await third.putWorkspace(workspace("T0BBB"));
        expect((await again.listWorkspaces()).map((w) => w.workspaceId)).toEqual(["T0AAA", "T0BBB"]);
      });

      it("when the store is closed, then calls reject with StoreUnavailableError", async () => {
        const { store } = await fresh();
        await store.close();
        await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.getWorkspace("T0AAA")).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}
