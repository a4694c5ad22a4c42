// The store going away under a running app. The rule (src/usecases/run-action.ts): an action is written to
// the audit log as pending before the gateway is called; when that write fails, the action is refused and
// the gateway is never called, so no action is ever done without a record. Readiness follows the store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GROUP_CHAT,
  type Harness,
  OTHER_API_KEY,
  OTHER_SESSION,
  OTHER_TEAM,
  startHarness,
  TEAM,
} from "../support/app-harness.js";
import { auditAbout, auditOf, eventually, readyz, textOf, wa } from "../support/reliability-app.js";
import { expectNoSecretsLeaked } from "../support/reliability-secrets.js";
import { startTcpSwitch, type TcpSwitch } from "../support/reliability-tcp-switch.js";
import {
  dropSchemas,
  freshSchemaName,
  skipWithoutPostgres,
  TEST_DATABASE_URL,
  urlWithSchema,
} from "../support/store-postgres.js";

const skipPostgres = await skipWithoutPostgres("reliability/store-faults.test.ts");

function react(mid: string, team = TEAM) {
  return wa(h, `react --chat ${GROUP_CHAT} --mid ${mid} 👍`, { team });
}

async function expectRefusedForTheStore(mid: string, team = TEAM) {
  const before = h.gateway.requests.length;
  const run = await react(mid, team);
  expect(run.res.status).toBe(200);
  const text = textOf(await run.reply());
  expect(text).toMatch(/database isn't available right now, so nothing was sent/);
  expect(text).toContain("store_unavailable");
  // Refused before the gateway: nothing reached WhatsApp, so nothing is missing from the audit log.
  expect(h.gateway.requests.length).toBe(before);
}

let h: Harness;

describe("SQLite store closed under the running app", () => {
  beforeAll(async () => {
    h = await startHarness();
    await h.configure(TEAM);
  });
  afterAll(async () => {
    expectNoSecretsLeaked(h);
    await h.close();
  });

  it("when the store stops answering while the settings are still cached, then the action is refused before the gateway and readiness is 503", async () => {
    // A first action warms the settings cache: the key is at hand even without the store.
    const first = await react("MID_WARM");
    expect(textOf(await first.reply())).toContain("sent");
    expect(await readyz(h.appUrl)).toBe(200);

    await h.services.store.close();
    expect(await readyz(h.appUrl)).toBe(503);
    await expectRefusedForTheStore("MID_WHILE_CLOSED");
    expect(await h.app.inFlight.drain(10_000)).toBe(true);
  });
});

describe.skipIf(skipPostgres)("PostgreSQL stopping and coming back", () => {
  const schema = freshSchemaName();
  let pgSwitch: TcpSwitch;

  beforeAll(async () => {
    const server = new URL(TEST_DATABASE_URL);
    pgSwitch = await startTcpSwitch();
    pgSwitch.target(server.hostname, Number(server.port || 5432));
    const through = new URL(urlWithSchema(schema));
    through.hostname = "127.0.0.1";
    through.port = String(pgSwitch.port);
    h = await startHarness({ databaseUrl: through.href });
    await h.configure(TEAM);
    await h.configure(OTHER_TEAM, { apiKey: OTHER_API_KEY, session: OTHER_SESSION });
  });
  afterAll(async () => {
    expectNoSecretsLeaked(h);
    await h.close();
    await pgSwitch.close();
    await dropSchemas([schema]);
  });

  it("when PostgreSQL goes away and comes back, then readiness goes 503 and back to 200, actions in between are refused, and none is half-recorded", async () => {
    const warm = await react("MID_PG_BEFORE");
    expect(textOf(await warm.reply())).toContain("sent");
    expect(await readyz(h.appUrl)).toBe(200);

    await pgSwitch.off();
    try {
      await eventually(async () => (await readyz(h.appUrl)) === 503, "readiness reports the store down");
      // TEAM's settings are cached: the audit write is what refuses the action.
      await expectRefusedForTheStore("MID_PG_DOWN_CACHED");
      // OTHER_TEAM's settings were never read: reading them fails first, with the same answer.
      await expectRefusedForTheStore("MID_PG_DOWN_COLD", OTHER_TEAM);
    } finally {
      await pgSwitch.on();
    }

    await eventually(async () => (await readyz(h.appUrl)) === 200, "readiness reports the store back");
    const after = await react("MID_PG_AFTER");
    expect(textOf(await after.reply())).toContain("sent");

    const recorded = await auditOf(h);
    expect(recorded.map((r) => [r.messageId, r.outcome])).toEqual([
      ["MID_PG_AFTER", { ok: true, status: "sent" }],
      ["MID_PG_BEFORE", { ok: true, status: "sent" }],
    ]);
    expect(await auditOf(h, OTHER_TEAM)).toEqual([]);
  });

  it("when PostgreSQL goes away while the gateway call is in flight, then the user still gets the result and the audit entry stays pending, never missing", async () => {
    h.gateway.setLatency(800);
    try {
      const run = await react("MID_PG_MIDWAY");
      await eventually(
        () => h.gateway.requests.some((r) => r.path.includes("/MID_PG_MIDWAY/")),
        "the gateway has the request",
      );
      await pgSwitch.off();
      try {
        expect(textOf(await run.reply())).toContain("sent");
        await eventually(
          () => h.logs.some((l) => l.includes("its audit entry stays pending")),
          "the app logs that the outcome could not be recorded",
        );
      } finally {
        await pgSwitch.on();
      }
    } finally {
      h.gateway.setLatency(0);
    }
    await eventually(async () => (await readyz(h.appUrl)) === 200, "readiness reports the store back");
    expect((await auditAbout(h, "MID_PG_MIDWAY")).map((r) => r.outcome)).toEqual([{ pending: true }]);
  });
});
