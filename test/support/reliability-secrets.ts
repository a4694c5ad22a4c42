// What must never leave the app: every gateway key, Slack token, signing secret and encryption key,
// in every form it could be written in. Used by every reliability file on everything the app produced.
import { expect } from "vitest";
import {
  API_KEY,
  BOT_TOKEN,
  ENCRYPTION_KEY,
  type Harness,
  OTHER_API_KEY,
  SIGNING_SECRET,
} from "./app-harness.js";

/** The encryption key's 32 bytes, from its base64 or base64url text. */
export function encryptionKeyBytes(key: string): Buffer {
  return Buffer.from(key.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** The encryption key as text in each encoding a careless line could use. */
export function encryptionKeyForms(key: string): string[] {
  const bytes = encryptionKeyBytes(key);
  return [
    bytes.toString("base64"),
    bytes.toString("base64").replace(/=+$/, ""),
    bytes.toString("base64url"),
    bytes.toString("hex"),
  ];
}

/** The secrets every harness knows about; a file adds the ones it makes up. */
export function harnessSecrets(
  options: { encryptionKey?: string; extra?: readonly string[] } = {},
): string[] {
  return [
    API_KEY,
    OTHER_API_KEY,
    BOT_TOKEN,
    SIGNING_SECRET,
    ...encryptionKeyForms(options.encryptionKey ?? ENCRYPTION_KEY),
    ...(options.extra ?? []),
  ];
}

/** The secrets found in `text`, each named by its first characters only (the report must not leak either). */
export function leaksIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => s.length >= 8 && text.includes(s)).map((s) => `${s.slice(0, 6)}…`);
}

/**
 * Everything the app wrote or sent that is not the one legitimate place of a secret (a key in the
 * gateway's Authorization header, the bot token in Slack's): log lines, Slack call arguments,
 * response_url bodies, gateway request paths and bodies.
 */
export function whatTheAppSaid(h: Harness): {
  logs: string;
  slackCalls: string;
  responseUrls: string;
  gatewayRequests: string;
} {
  return {
    logs: h.logs.join(""),
    slackCalls: JSON.stringify(h.slack.calls.map((c) => ({ method: c.method, args: c.args }))),
    responseUrls: JSON.stringify(h.slack.responses),
    gatewayRequests: JSON.stringify(
      h.gateway.requests.map((r) => ({
        path: r.path,
        body: r.body,
        // Every header but the one that carries the key.
        headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => k !== "authorization")),
      })),
    ),
  };
}

export function expectNoSecretsLeaked(h: Harness, secrets: readonly string[] = harnessSecrets()): void {
  const said = whatTheAppSaid(h);
  const found = Object.fromEntries(
    Object.entries(said)
      .map(([where, text]) => [where, leaksIn(text, secrets)] as const)
      .filter(([, leaks]) => leaks.length > 0),
  );
  expect(found).toEqual({});
  // The logs were not empty: the check above looked at something.
  expect(h.logs.length).toBeGreaterThan(0);
}
