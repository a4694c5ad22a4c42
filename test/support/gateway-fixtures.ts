// Keys, sessions and helpers shared by the tests that talk to the fake gateway.
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import type { MessageRef } from "../../src/domain/types.js";
import { createGatewayClient, type GatewayClientOptions } from "../../src/gateway/client.js";
import type { GatewayClient } from "../../src/gateway/types.js";
import {
  type GatewaySimulator,
  type GatewaySimulatorOptions,
  startGatewaySimulator,
} from "../../src/sandbox/gateway/simulator.js";

export const ORG = "org_alpha";
export const OTHER_ORG = "org_beta";

export const KEYS = {
  send: "wa_send_only_9f8e7d6c5b4a3210",
  sendRead: "wa_send_read_1a2b3c4d5e6f7788",
  readOnly: "wa_read_only_0a9b8c7d6e5f4433",
  eventsOnly: "wa_events_only_3c4d5e6f7a8b99",
  manage: "wa_manage_only_7d8e9f0a1b2c33",
  otherOrg: "wa_other_org_5e6f7a8b9c0d1122",
} as const;

export const SESSIONS = {
  main: "01HZX8K3M9MAINSESSION0000",
  unpaired: "01HZX8K3M9UNPAIRED000000",
  stopped: "01HZX8K3M9STOPPED0000000",
  foreign: "01HZX8K3M9FOREIGN0000000",
  /** An id with characters that must be encoded in a path segment. */
  odd: "sess/a b?#%",
} as const;

export const OWN_JID = "6281234567890@s.whatsapp.net";
export const GROUP_JID = "120363012345678901@g.us";

export const FAKE_GATEWAY_SEED: GatewaySimulatorOptions = {
  keys: {
    [KEYS.send]: { org: ORG, permissions: ["send"] },
    [KEYS.sendRead]: { org: ORG, permissions: ["send", "read"] },
    [KEYS.readOnly]: { org: ORG, permissions: ["read"] },
    [KEYS.eventsOnly]: { org: ORG, permissions: ["events"] },
    [KEYS.manage]: { org: ORG, permissions: ["manage"] },
    [KEYS.otherOrg]: { org: OTHER_ORG, permissions: ["read", "send", "manage", "events"] },
  },
  sessions: {
    [SESSIONS.main]: { org: ORG, waJid: OWN_JID, status: "working" },
    [SESSIONS.unpaired]: { org: ORG, status: "scan_qr_code" },
    [SESSIONS.stopped]: { org: ORG, waJid: "6289999999999@s.whatsapp.net", status: "stopped" },
    [SESSIONS.foreign]: { org: OTHER_ORG, waJid: "6280000000000@s.whatsapp.net" },
    [SESSIONS.odd]: { org: ORG, waJid: OWN_JID },
  },
};

export function startSeededFakeGateway(): Promise<GatewaySimulator> {
  return startGatewaySimulator(FAKE_GATEWAY_SEED);
}

export function target(overrides: Partial<MessageRef> = {}): MessageRef {
  return {
    sessionId: SESSIONS.main,
    chat: GROUP_JID,
    messageId: "3EB0C431C26A1916E07A",
    sender: "6281111111111@s.whatsapp.net",
    ...overrides,
  };
}

export interface CapturedLogs {
  logger: Logger;
  lines: string[];
}

/**
 * A trace-level logger that keeps every line. Plain pino on purpose, without the app's scrubbing
 * hook: a test that looks for a leaked key must see what the client itself wrote.
 */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString("utf8"));
      callback();
    },
  });
  return { logger: pino({ level: "trace" }, stream), lines };
}

/** Records the backoff delays asked for, without waiting, so retry tests take no time. */
export function recordingSleep(): { sleep: NonNullable<GatewayClientOptions["sleep"]>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
    },
  };
}

export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/** A client for the fake with fast, deterministic retries; options override the test defaults. */
export function testClient(
  fake: { url: string },
  overrides: Partial<GatewayClientOptions> = {},
): { client: GatewayClient; delays: number[] } {
  const { sleep, delays } = recordingSleep();
  const client = createGatewayClient({
    baseUrl: fake.url,
    logger: silentLogger(),
    sleep,
    random: () => 0.5,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
    ...overrides,
  });
  return { client, delays };
}
