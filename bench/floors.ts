// Floors for the work after the ack, measured in this process against the same sinks: undici straight
// to the fake gateway then straight to response_url (the least any app could do), and the app's own
// gateway client alone.
import { Pool, request } from "undici";
import { createGatewayClient } from "../src/gateway/client.js";
import { createLogger } from "../src/logger.js";
import { type BenchTeam, CHAT } from "./fixtures.js";
import { waitUntil } from "./load.js";
import type { Sinks } from "./sinks.js";
import { now, type Summary, sleep, summarize } from "./stats.js";

export interface Floors {
  /** undici POST to the gateway, answer read; minus the gateway's set latency. */
  undiciGateway: Summary | undefined;
  /** Scheduled → gateway answered → response_url post arrived; minus the gateway's set latency. */
  undiciEndToEnd: Summary | undefined;
  /** The app's GatewayClient.addReaction (zod, deadlines, retries policy); minus the set latency. */
  gatewayClient: Summary | undefined;
}

/** Shots before this index warm up connections and the JIT and are not counted. */
const WARMUP = 100;

async function openLoop(count: number, rate: number, task: (i: number, due: number) => Promise<void>) {
  const start = now() + 20;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < WARMUP + count; i++) {
    const due = start + (i * 1000) / rate;
    await waitUntil(due);
    pending.push(task(i, due));
  }
  await Promise.all(pending);
}

export async function measureFloors(
  sinks: Sinks,
  team: BenchTeam,
  options: { count: number; rate: number; latencyMs: number },
): Promise<Floors> {
  const { count, rate, latencyMs } = options;
  const path = (mid: string) => `/api/v1/sessions/${team.session}/messages/${mid}/reaction`;

  // 1. undici straight through: gateway, then response_url.
  await sinks.reset();
  const pool = new Pool(sinks.gatewayUrl, { connections: 16, keepAliveTimeout: 10_000 });
  const gatewayTimes: number[] = [];
  const dueById = new Map<string, number>();
  await openLoop(count, rate, async (i, due) => {
    const id = `floor-${i}`;
    if (i >= WARMUP) dueById.set(id, due);
    const res = await pool.request({
      method: "POST",
      path: path(id),
      headers: { "content-type": "application/json", authorization: `Bearer ${team.apiKey}` },
      body: JSON.stringify({ chat: CHAT, emoji: "👍", sender: "" }),
    });
    await res.body.text();
    if (i >= WARMUP) gatewayTimes.push(now() - due - latencyMs);
    const posted = await request(`${sinks.responseBase}/${id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: "ephemeral", text: "ok :white_check_mark:" }),
    });
    await posted.body.dump();
  });
  await pool.close();
  await sleep(50);
  const harvest = await sinks.harvest();
  const endToEnd: number[] = [];
  for (const [id, at] of harvest.responses) {
    const due = dueById.get(id);
    if (due !== undefined) endToEnd.push(at - due - latencyMs);
  }

  // 2. The app's gateway client.
  await sinks.reset();
  const client = createGatewayClient({
    baseUrl: sinks.gatewayUrl,
    logger: createLogger({ level: "warn", pretty: false }),
  });
  const clientTimes: number[] = [];
  await openLoop(count, rate, async (i, due) => {
    await client.addReaction(
      team.apiKey,
      { sessionId: team.session, chat: CHAT, messageId: `floor-client-${i}`, sender: "" },
      "👍",
    );
    if (i >= WARMUP) clientTimes.push(now() - due - latencyMs);
  });
  await client.close();
  await sinks.reset();

  return {
    undiciGateway: summarize(gatewayTimes),
    undiciEndToEnd: summarize(endToEnd),
    gatewayClient: summarize(clientTimes),
  };
}
