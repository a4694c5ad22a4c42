// Runs gateway operations over one keep-alive undici pool: one deadline per operation, retries of
// transient failures while they fit in what is left of it, and every failure as a typed GatewayError.
import { Pool } from "undici";
import type { Logger } from "../logger.js";
import { type GatewayError, GatewayProtocolError, GatewayUnavailableError } from "./errors.js";
import { interpretResponse } from "./interpret-response.js";
import type { AttemptOutcome, Operation } from "./operation.js";
import type { Settings } from "./options.js";
import { readCappedBody } from "./read-body.js";
import { backoffDelayMs, retryFits } from "./retry.js";
import { describeTransportError } from "./transport-errors.js";

/** An attempt is never expected to take less than this, even when the last one failed at once. */
const MIN_ATTEMPT_ESTIMATE_MS = 50;

export interface OperationRunner {
  run<T>(op: Operation<T>): Promise<T>;
  close(): Promise<void>;
}

export interface RunnerDeps {
  logger: Logger;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export function createOperationRunner(settings: Settings, deps: RunnerDeps): OperationRunner {
  const { timeouts, retry, maxResponseBytes } = settings;
  const { logger, random, sleep } = deps;
  const pool = new Pool(settings.origin, {
    connections: settings.maxConnections,
    keepAliveTimeout: 10_000,
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  });
  let closing: Promise<void> | undefined;

  const displayUrl = (path: string) => `${settings.displayBase}${path}`;

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
      return interpretResponse(op, url, status, body);
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
        // Every earlier failure of such an operation proved nothing arrived, or it would have stopped there.
        if (!op.idempotent && mayHaveReachedGateway(last)) {
          logger.debug(
            { method: op.method, url, attempt },
            "gateway retry skipped: the request may have arrived and must not be repeated",
          );
          throw finalError(outcome.error);
        }

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

  return {
    run,
    close() {
      closing ??= pool.close();
      return closing;
    },
  };
}

/**
 * An error envelope came from the gateway itself, which may have acted first: its 503 also follows work
 * cut off by its own 15 s timeout. Only a failure known to come before sending proves nothing arrived.
 */
function mayHaveReachedGateway(error: GatewayError): boolean {
  if (error instanceof GatewayUnavailableError) return error.mayHaveArrived;
  return true;
}
