// The WhatsApp gateway client over one keep-alive undici pool: request shapes, the total deadline,
// retries of transient failures, and the mapping of every failure to a typed GatewayError.
import { Pool } from "undici";
import { z } from "zod";
import type { MessageRef } from "../domain/types.js";
import type { Logger } from "../logger.js";
import {
  GatewayApiError,
  type GatewayError,
  GatewayProtocolError,
  GatewayUnavailableError,
} from "./errors.js";
import { type CappedBody, readCappedBody } from "./read-body.js";
import { backoffDelayMs, DEFAULT_RETRY, type RetryPolicy, retryFits, sleepWithSignal } from "./retry.js";
import {
  ApiErrorBodySchema,
  type GatewayClient,
  type SendResult,
  SendResultSchema,
  type SessionProbe,
} from "./types.js";

export interface GatewayTimeouts {
  /** TCP (and TLS) connection set-up. */
  connectMs: number;
  /** From sending the request to receiving the response headers. */
  headersMs: number;
  /** Longest pause between two chunks of the response body. */
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

export const DEFAULT_TIMEOUTS: GatewayTimeouts = {
  connectMs: 2_000,
  headersMs: 5_000,
  bodyMs: 5_000,
  totalMs: 8_000,
};

const DEFAULT_MAX_CONNECTIONS = 16;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
/** An attempt is never expected to take less than this, even when the last one failed at once. */
const MIN_ATTEMPT_ESTIMATE_MS = 50;

/** Only the fields `/wa status` needs; the rest of WASession may change without breaking us. */
const SessionSummarySchema = z.looseObject({
  status: z.string().nullish(),
  waJid: z.string().nullish(),
});

type Method = "GET" | "POST" | "DELETE";

interface Operation<T> {
  method: Method;
  /** API path with its segments already encoded, e.g. `/api/v1/sessions/abc`. */
  path: string;
  apiKey: string;
  body?: Record<string, unknown>;
  signal: AbortSignal | undefined;
  /** What a 2xx body means; undefined when it is not what the gateway sends. */
  parseSuccess(json: unknown): { ok: true; value: T } | { ok: false; problem: string };
  /** An API error that is an answer rather than a failure (probeSession's 403). */
  acceptApiError?(error: GatewayApiError): T | undefined;
}

type AttemptOutcome<T> =
  | { kind: "done"; value: T }
  | { kind: "failed"; error: GatewayError; retryable: boolean }
  | { kind: "aborted" };

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const settings = checkOptions(options);
  const { timeouts, retry, maxResponseBytes } = settings;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepWithSignal;
  const logger = options.logger.child({ component: "gateway" });

  const pool = new Pool(settings.origin, {
    connections: settings.maxConnections,
    keepAliveTimeout: 10_000,
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  });
  let closing: Promise<void> | undefined;

  function displayUrl(path: string): string {
    return `${settings.displayBase}${path}`;
  }

  async function attemptOnce<T>(
    op: Operation<T>,
    payload: string | undefined,
    signal: AbortSignal,
    attempt: number,
  ): Promise<AttemptOutcome<T>> {
    const url = displayUrl(op.path);
    const started = performance.now();
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${op.apiKey}`,
    };
    if (payload !== undefined) headers["content-type"] = "application/json";
    let status: number | undefined;
    try {
      const response = await pool.request({
        method: op.method,
        path: settings.basePath + op.path,
        headers,
        body: payload,
        signal,
      });
      status = response.statusCode;
      const body = await readCappedBody(response.body, maxResponseBytes, response.headers["content-length"]);
      logger.debug(
        { method: op.method, url, status, attempt, ms: Math.round(performance.now() - started) },
        "gateway request",
      );
      return interpret(op, url, status, body);
    } catch (err) {
      const failure = describeTransportError(err);
      logger.debug(
        {
          method: op.method,
          url,
          status,
          attempt,
          ms: Math.round(performance.now() - started),
          failure: signal.aborted ? "aborted" : failure.text,
        },
        "gateway request failed",
      );
      if (signal.aborted) return { kind: "aborted" };
      if (failure.kind === "protocol") {
        return {
          kind: "failed",
          error: new GatewayProtocolError(op.method, url, failure.text, { status, cause: err }),
          retryable: false,
        };
      }
      return {
        kind: "failed",
        error: new GatewayUnavailableError(op.method, url, failure.text, {
          cause: err,
          mayHaveArrived: failure.requestSent,
        }),
        retryable: failure.kind === "transient",
      };
    }
  }

  function interpret<T>(op: Operation<T>, url: string, status: number, body: CappedBody): AttemptOutcome<T> {
    const proxyStatus = status === 502 || status === 503 || status === 504;
    if (body.kind === "too_large") {
      const text = `${status} response body is larger than ${body.limitBytes} bytes`;
      if (proxyStatus) {
        const error = new GatewayUnavailableError(op.method, url, text, { mayHaveArrived: status === 504 });
        return { kind: "failed", error, retryable: true };
      }
      return {
        kind: "failed",
        error: new GatewayProtocolError(op.method, url, text, { status }),
        retryable: false,
      };
    }
    const json = parseJson(body.text);
    if (isSuccess(status)) {
      if (json === undefined) {
        return {
          kind: "failed",
          error: new GatewayProtocolError(op.method, url, `${status} response body is not JSON`, { status }),
          retryable: false,
        };
      }
      const parsed = op.parseSuccess(json.value);
      if (parsed.ok) return { kind: "done", value: parsed.value };
      return {
        kind: "failed",
        error: new GatewayProtocolError(op.method, url, `${status} response ${parsed.problem}`, { status }),
        retryable: false,
      };
    }
    const envelope = json === undefined ? undefined : ApiErrorBodySchema.safeParse(json.value);
    if (envelope?.success) {
      const { code, message, details } = envelope.data.error;
      const error = new GatewayApiError({
        method: op.method,
        url,
        status,
        code,
        // The message is the gateway's text: keep a key out of it even if the gateway echoed one.
        message: redact(message, op.apiKey),
        details,
      });
      const accepted = op.acceptApiError?.(error);
      if (accepted !== undefined) return { kind: "done", value: accepted };
      // 4xx (429 included) are answers about this request: repeating it cannot change them.
      const retryable = status === 503 || code === "gateway_unavailable";
      return { kind: "failed", error, retryable };
    }
    if (proxyStatus) {
      // A proxy in front of the gateway (HTML 502, empty 504) answered instead of it. A 502 or 503 means
      // the gateway was not reached; a 504 means the proxy gave up waiting for it, so it may have acted.
      const text = `${status} from a proxy (${json === undefined ? "non-JSON" : "unexpected JSON"} body)`;
      const error = new GatewayUnavailableError(op.method, url, text, { mayHaveArrived: status === 504 });
      return { kind: "failed", error, retryable: true };
    }
    const what = json === undefined ? "is not JSON" : "is not the gateway's error envelope";
    return {
      kind: "failed",
      error: new GatewayProtocolError(op.method, url, `${status} response body ${what}`, { status }),
      retryable: false,
    };
  }

  async function run<T>(op: Operation<T>): Promise<T> {
    const url = displayUrl(op.path);
    if (closing) throw new GatewayUnavailableError(op.method, url, "the gateway client is closed");
    const payload = op.body === undefined ? undefined : JSON.stringify(op.body);
    const startedAt = performance.now();
    // One timer per operation, cleared when it ends. AbortSignal.timeout() would stay pending for the whole
    // deadline after every call: thousands of live timers under load (bench/REPORT.md).
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
      timeouts.totalMs,
    );
    timer.unref();
    const signal = op.signal ? AbortSignal.any([op.signal, deadline.signal]) : deadline.signal;

    // Whether any attempt so far may have reached the gateway: then a later failure must not say
    // "nothing was sent".
    let mayHaveArrived = false;

    const abortedError = (attempts: number, last: GatewayError | undefined): unknown => {
      // The caller gave up: hand back its own reason, as fetch does, so it can recognise it.
      if (op.signal?.aborted) return op.signal.reason;
      const tried = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
      return new GatewayUnavailableError(
        op.method,
        url,
        `no complete answer within the ${timeouts.totalMs} ms deadline (${tried})`,
        { cause: last, mayHaveArrived },
      );
    };

    const finalError = (error: GatewayError): GatewayError => {
      if (!(error instanceof GatewayUnavailableError) || error.mayHaveArrived || !mayHaveArrived)
        return error;
      const detail = error.message.slice(`${error.method} ${error.url}: `.length);
      return new GatewayUnavailableError(
        op.method,
        url,
        `${detail}, after an earlier attempt that may have reached the gateway`,
        { cause: error, mayHaveArrived: true },
      );
    };

    try {
      let last: GatewayError | undefined;
      for (let attempt = 1; ; attempt++) {
        if (signal.aborted) throw abortedError(attempt - 1, last);
        const attemptStarted = performance.now();
        const outcome = await attemptOnce(op, payload, signal, attempt);
        if (outcome.kind === "done") return outcome.value;
        if (outcome.kind === "aborted") {
          // Cut off while the request was out: it may have arrived.
          mayHaveArrived = true;
          throw abortedError(attempt, last);
        }
        last = outcome.error;
        if (last instanceof GatewayUnavailableError && last.mayHaveArrived) mayHaveArrived = true;
        if (!outcome.retryable || attempt >= retry.maxAttempts) throw finalError(outcome.error);

        const wait = backoffDelayMs(attempt, retry, random);
        const now = performance.now();
        const remaining = timeouts.totalMs - (now - startedAt);
        const estimate = Math.max(MIN_ATTEMPT_ESTIMATE_MS, now - attemptStarted);
        if (!retryFits(remaining, wait, estimate)) {
          logger.debug(
            { method: op.method, url, attempt, waitMs: wait, remainingMs: Math.round(remaining) },
            "gateway retry skipped: it would not finish before the deadline",
          );
          throw finalError(outcome.error);
        }
        logger.debug({ method: op.method, url, attempt, waitMs: wait }, "gateway retry scheduled");
        try {
          await sleep(wait, signal);
        } catch {
          // Only an abort interrupts the sleep; the check at the top of the loop reports it.
        }
        if (signal.aborted) throw abortedError(attempt, last);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  // async, so that a bad argument rejects the returned promise instead of throwing synchronously.
  async function sendOperation(
    method: Method,
    apiKey: string,
    target: MessageRef,
    action: "reaction" | "vote",
    body: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<SendResult> {
    checkApiKey(apiKey);
    const path =
      `/api/v1/sessions/${segment(target.sessionId, "sessionId")}` +
      `/messages/${segment(target.messageId, "messageId")}/${action}`;
    return run({
      method,
      path,
      apiKey,
      body,
      signal,
      parseSuccess: (json) => {
        const parsed = SendResultSchema.safeParse(json);
        return parsed.success
          ? { ok: true, value: parsed.data }
          : { ok: false, problem: `does not match SendResult (${describeIssue(parsed.error)})` };
      },
    });
  }

  return {
    addReaction(apiKey, target, emoji, signal) {
      return sendOperation(
        "POST",
        apiKey,
        target,
        "reaction",
        { chat: target.chat, emoji, sender: target.sender ?? "" },
        signal,
      );
    },

    removeReaction(apiKey, target, signal) {
      // The gateway requires a body on DELETE; `emoji` would be ignored, so it is not sent.
      return sendOperation(
        "DELETE",
        apiKey,
        target,
        "reaction",
        { chat: target.chat, sender: target.sender ?? "" },
        signal,
      );
    },

    vote(apiKey, target, options, signal) {
      return sendOperation(
        "POST",
        apiKey,
        target,
        "vote",
        { chat: target.chat, sender: target.sender ?? "", options: [...options] },
        signal,
      );
    },

    async probeSession(apiKey, sessionId, signal) {
      checkApiKey(apiKey);
      return run<SessionProbe>({
        method: "GET",
        path: `/api/v1/sessions/${segment(sessionId, "sessionId")}`,
        apiKey,
        signal,
        parseSuccess: (json) => {
          const parsed = SessionSummarySchema.safeParse(json);
          if (!parsed.success) {
            return { ok: false, problem: `is not a session (${describeIssue(parsed.error)})` };
          }
          return {
            ok: true,
            value: {
              kind: "ok",
              status: parsed.data.status || undefined,
              waJid: parsed.data.waJid || undefined,
            },
          };
        },
        acceptApiError: (error) =>
          error.status === 403 && error.code === "forbidden" ? { kind: "key_valid_no_read" } : undefined,
      });
    },

    close() {
      closing ??= pool.close();
      return closing;
    },
  };
}

interface Settings {
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

function checkOptions(options: GatewayClientOptions): Settings {
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
  const timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts) };
  for (const [name, value] of Object.entries(timeouts)) {
    if (!(Number.isFinite(value) && value > 0))
      problems.push(`timeouts.${name} must be a positive number of ms`);
  }
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

function checkApiKey(apiKey: string): void {
  // Checked here rather than by undici so that no library message ever gets near the key's text.
  if (typeof apiKey !== "string" || apiKey.length === 0)
    throw new TypeError("apiKey must be a non-empty string");
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new TypeError("apiKey contains characters that cannot be sent in an HTTP header");
  }
}

/** One encoded path segment; "." and ".." are escaped too, or a proxy would resolve them. */
function segment(value: string, name: string): string {
  if (typeof value !== "string" || value.length === 0)
    throw new TypeError(`${name} must be a non-empty string`);
  const encoded = encodeURIComponent(value);
  return /^\.+$/.test(encoded) ? encoded.replace(/\./g, "%2E") : encoded;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function parseJson(text: string): { value: unknown } | undefined {
  if (text.trim() === "") return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const where = issue.path.length > 0 ? issue.path.join(".") : "body";
  return `${where}: ${issue.message}`;
}

function redact(text: string, apiKey: string): string {
  return apiKey.length > 0 ? text.split(apiKey).join("[REDACTED]") : text;
}

/** `requestSent`: whether the request may have reached the gateway before the failure. */
type TransportFailure = { kind: "transient" | "permanent" | "protocol"; text: string; requestSent: boolean };

/** Failures that happen before a connection exists: the request certainly never left. */
const BEFORE_CONNECTING = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
  "UND_ERR_DESTROYED",
]);

const TRANSIENT_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ECONNABORTED: "connection aborted",
  EPIPE: "connection closed while sending",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENETDOWN: "network down",
  EHOSTDOWN: "host down",
  EAI_AGAIN: "DNS lookup failed (temporary)",
  ENOTFOUND: "DNS lookup failed (host not found)",
  UND_ERR_CONNECT_TIMEOUT: "connect timeout",
  UND_ERR_HEADERS_TIMEOUT: "no response headers in time",
  UND_ERR_BODY_TIMEOUT: "response body stalled",
  UND_ERR_SOCKET: "connection closed mid-response",
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "response shorter than its content-length",
};

function errorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") return code;
  // Happy-eyeballs connects fail with an AggregateError whose members carry the codes.
  if (err instanceof AggregateError) return errorCode(err.errors[0]);
  return undefined;
}

function describeTransportError(err: unknown): TransportFailure {
  const code = errorCode(err);
  const requestSent = code === undefined || !BEFORE_CONNECTING.has(code);
  if (code !== undefined) {
    const known = TRANSIENT_CODES[code];
    if (known) return { kind: "transient", text: known, requestSent };
    if (code.startsWith("HPE_")) return { kind: "protocol", text: "response is not valid HTTP", requestSent };
    if (code === "UND_ERR_CLOSED" || code === "UND_ERR_DESTROYED") {
      return { kind: "permanent", text: "the gateway client is closed", requestSent };
    }
    return { kind: "permanent", text: `request failed (${code})`, requestSent };
  }
  return { kind: "permanent", text: "request failed", requestSent };
}
