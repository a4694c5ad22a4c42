// Proves that what lands on disk (SQLite file and WAL) or in PostgreSQL rows never holds a secret in clear.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSealer } from "../../src/secrets/sealer.js";
import { createStore } from "../../src/store/create-store.js";
import { createInstallationStore } from "../../src/store/installation-store.js";
import type { Store } from "../../src/store/port.js";
import { createWorkspaceDirectory } from "../../src/usecases/workspace-directory.js";
import {
  randomKey,
  sampleApiKey,
  sampleBotToken,
  sampleInstallation,
  silentLogger,
  tempFolder,
} from "../support/store-fixtures.js";
import {
  dropSchemas,
  freshSchemaName,
  rawQuery,
  skipWithoutPostgres,
  urlWithSchema,
} from "../support/store-postgres.js";

const skipPostgres = await skipWithoutPostgres("at-rest.test.ts");
const folder = tempFolder("wa-slack-at-rest-");
const schemas: string[] = [];
afterAll(async () => {
  folder.cleanup();
  if (!skipPostgres) await dropSchemas(schemas);
});

/** Saves a key twice (set, then change) and an installation, the ways secrets reach the store. */
async function writeSecrets(store: Store) {
  const sealer = createSealer({ current: randomKey() });
  const directory = createWorkspaceDirectory({ store, sealer });
  const firstKey = sampleApiKey();
  const secondKey = sampleApiKey();
  const botToken = sampleBotToken();
  await directory.save("T0SECRET", { apiKey: firstKey, defaultSessionId: "S1" }, "cli");
  await directory.save("T0SECRET", { apiKey: secondKey }, "U0ADMIN");
  await createInstallationStore({ store, sealer }).storeInstallation(
    sampleInstallation("T0SECRET", botToken),
  );
  // The secrets did go in: they come back out through the sealer.
  expect((await directory.get("T0SECRET"))?.apiKey).toBe(secondKey);
  return [firstKey, secondKey, botToken];
}

describe("secrets at rest", () => {
  it("when keys and an installation are saved to SQLite, then neither the file nor its WAL holds them in clear", async () => {
    const file = join(folder.path, "wa-slack.db");
    const store = await createStore(`sqlite:${file}`, silentLogger());
    const secrets = await writeSecrets(store);
    // Read while the store is open, so recent writes are still in the WAL file rather than checkpointed.
    const files = [file, `${file}-wal`].filter(existsSync);
    expect(files).toContain(`${file}-wal`);
    const bytes = files.map((f) => readFileSync(f).toString("latin1")).join("\n");
    expect(bytes).toContain("T0SECRET");
    for (const secret of secrets) {
      expect(bytes).not.toContain(secret);
      expect(bytes).not.toContain(secret.slice(-16));
    }
    await store.close();
    const afterCheckpoint = readFileSync(file).toString("latin1");
    for (const secret of secrets) expect(afterCheckpoint).not.toContain(secret);
  });

  it.skipIf(skipPostgres)(
    "when keys and an installation are saved to PostgreSQL, then no row holds them in clear",
    async () => {
      const schema = freshSchemaName();
      schemas.push(schema);
      const store = await createStore(urlWithSchema(schema), silentLogger());
      try {
        const secrets = await writeSecrets(store);
        const rows = [
          ...(await rawQuery(`SELECT * FROM "${schema}".workspaces`)),
          ...(await rawQuery(`SELECT * FROM "${schema}".installations`)),
        ];
        const text = JSON.stringify(rows);
        expect(text).toContain("T0SECRET");
        for (const secret of secrets) expect(text).not.toContain(secret);
      } finally {
        await store.close();
      }
    },
  );
});
