// An action whose process died during its gateway call leaves a pending audit entry. The app settles such
// entries as "outcome unknown": at start with SQLite (the only process), and with PostgreSQL only once they
// are older than any live action, so another instance's action in progress is left alone.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.js";
import type { AuditEntry } from "../../src/store/port.js";
import {
  INTERRUPTED_AFTER_MS,
  OUTCOME_UNKNOWN,
  startInterruptedActionSweeper,
} from "../../src/usecases/settle-interrupted-actions.js";
import { GROUP_CHAT, startHarness, TEAM } from "../support/app-harness.js";
import { auditAbout, eventually } from "../support/reliability-app.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";
import { silentLogger, tempFolder } from "../support/store-fixtures.js";
import {
  dropSchemas,
  freshSchemaName,
  skipWithoutPostgres,
  urlWithSchema,
} from "../support/store-postgres.js";

const skipPostgres = await skipWithoutPostgres("reliability/interrupted-actions.test.ts");
const folder = tempFolder("wa-slack-interrupted-");
const schemas: string[] = [];
afterAll(async () => {
  folder.cleanup();
  await dropSchemas(schemas);
});

function pending(messageId: string, at: Date): AuditEntry {
  return {
    workspaceId: TEAM,
    userId: "UMEMBER001",
    operation: "react",
    sessionId: "sess_01HZX8K3M9",
    chat: GROUP_CHAT,
    messageId,
    emoji: "👍",
    outcome: { pending: true },
    at,
  };
}

describe("actions interrupted by a crash", () => {
  it("when the app starts on a SQLite database with an entry a crash left pending, then it is settled as outcome unknown", async () => {
    const databaseUrl = `sqlite:${join(folder.path, "crashed.db")}`;
    const before = await createStore(databaseUrl, silentLogger());
    await before.appendAudit(pending("MID_CRASHED", new Date(Date.now() - 2_000)));
    await before.close();

    const h = await startHarness({ databaseUrl });
    try {
      await eventually(
        async () => "ok" in ((await auditAbout(h, "MID_CRASHED"))[0]?.outcome ?? { pending: true }),
        "the pending entry is settled",
      );
      expect((await auditAbout(h, "MID_CRASHED")).map((r) => r.outcome)).toEqual([
        { ok: false, errorCode: OUTCOME_UNKNOWN },
      ]);
      expect(
        h.logs.some((l) => l.includes("settled audit entries left pending by an interrupted process")),
      ).toBe(true);
    } finally {
      expectNoSecretsLeaked(h);
      await h.close();
    }
  });

  it.skipIf(skipPostgres)(
    "when several instances share PostgreSQL, then only entries older than any live action are settled",
    async () => {
      const schema = freshSchemaName();
      schemas.push(schema);
      const store = await createStore(urlWithSchema(schema), silentLogger());
      try {
        const now = Date.parse("2026-11-30T12:00:00Z");
        await store.appendAudit(pending("MID_DEAD", new Date(now - INTERRUPTED_AFTER_MS - 1_000)));
        await store.appendAudit(pending("MID_LIVE", new Date(now - 5_000)));
        const sweeper = startInterruptedActionSweeper({ store, logger: silentLogger(), clock: () => now });
        try {
          expect(await sweeper.sweep({ atStart: true })).toBe(1);
        } finally {
          sweeper.stop();
        }
        const outcomes = Object.fromEntries(
          (await store.listAudit({ workspaceId: TEAM, limit: 10 })).map((r) => [r.messageId, r.outcome]),
        );
        expect(outcomes).toEqual({
          MID_DEAD: { ok: false, errorCode: OUTCOME_UNKNOWN },
          MID_LIVE: { pending: true },
        });
      } finally {
        await store.close();
      }
    },
  );
});
