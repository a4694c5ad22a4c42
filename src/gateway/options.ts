// The gateway client's options, checked once when the client is made, with the defaults filled in.
import type { Logger } from "../logger.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";

export interface GatewayTimeouts {
  /** TCP (and TLS) connection set-up. */
  connectMs: number;
  /** From sending the request to receiving the response headers. Defaults to `totalMs`. */
  headersMs: number;
  /** Longest pause between two chunks of the response body. Defaults to `totalMs`. */
  bodyMs: number;
  /** Deadline of one operation, all attempts and backoff sleeps together. */
  totalMs: number;
}

export interface GatewayClientOptions {
  /** The gateway's base URL (GATEWAY_URL); `/api/v1/...` is appended to its path. */
  baseUrl: string;
  logger: Logger;
  timeouts?: Partial<GatewayTimeouts>;
  retry?: Partial<RetryPolicy>;
  /** Most connections kept to the gateway at once. */
  maxConnections?: number;
  /** Largest response body read, success or error; a bigger one is a protocol error. */
  maxResponseBytes?: number;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  /** Waits between attempts; must reject (or resolve early) when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * The gateway cuts every request off after 15 s and then answers 503 (gateway-notes.md, "Time bounds").
 * The deadline sits above that, so a reaction the gateway confirms after several seconds is reported as
 * sent, and the gateway's own 503 still arrives rather than being cut off by us.
 */
const DEFAULT_TIMEOUTS: Pick<GatewayTimeouts, "connectMs" | "totalMs"> = {
  connectMs: 2_000,
  totalMs: 20_000,
};

const DEFAULT_MAX_CONNECTIONS = 16;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

export interface Settings {
  origin: string;
  /** Path of the base URL without its trailing slash ("" for a bare host). */
  basePath: string;
  /** Base URL as shown in messages and logs: never with credentials. */
  displayBase: string;
  timeouts: GatewayTimeouts;
  retry: RetryPolicy;
  maxConnections: number;
  maxResponseBytes: number;
}

export function checkOptions(options: GatewayClientOptions): Settings {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(options.baseUrl);
  } catch {
    problems.push("baseUrl must be an absolute http(s) URL such as https://gw.example.com");
  }
  if (url) {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      problems.push(`baseUrl must use http or https, not ${url.protocol}`);
    }
    if (url.username || url.password) {
      problems.push("baseUrl must not contain credentials: each workspace's API key is sent per request");
    }
    if (url.search || url.hash) problems.push("baseUrl must not have a query or fragment");
  }
  const chosen = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts) };
  for (const [name, value] of Object.entries(chosen)) {
    if (!(Number.isFinite(value) && value > 0))
      problems.push(`timeouts.${name} must be a positive number of ms`);
  }
  // A shorter per-attempt limit would cut off the slow answers the deadline is there to wait for.
  const timeouts: GatewayTimeouts = { headersMs: chosen.totalMs, bodyMs: chosen.totalMs, ...chosen };
  const retry = { ...DEFAULT_RETRY, ...definedOnly(options.retry) };
  if (!(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1)) {
    problems.push("retry.maxAttempts must be an integer ≥ 1 (1 = no retry)");
  }
  if (!(Number.isFinite(retry.baseDelayMs) && retry.baseDelayMs >= 0)) {
    problems.push("retry.baseDelayMs must be a number ≥ 0");
  }
  if (!(Number.isFinite(retry.maxDelayMs) && retry.maxDelayMs >= 0)) {
    problems.push("retry.maxDelayMs must be a number ≥ 0");
  }
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!(Number.isInteger(maxConnections) && maxConnections >= 1)) {
    problems.push("maxConnections must be an integer ≥ 1");
  }
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(Number.isInteger(maxResponseBytes) && maxResponseBytes >= 1)) {
    problems.push("maxResponseBytes must be an integer ≥ 1");
  }
  if (problems.length > 0 || !url) {
    throw new TypeError(
      `createGatewayClient: invalid options:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  const basePath = url.pathname.replace(/\/+$/, "");
  return {
    origin: url.origin,
    basePath,
    displayBase: `${url.origin}${basePath}`,
    timeouts,
    retry,
    maxConnections,
    maxResponseBytes,
  };
}

/** Drops keys set to undefined, so they do not override the defaults they stand for. */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
