// Gateway failures, kept apart by kind: the gateway said no (API error), the gateway could not be
// reached (unavailable), or it answered something that is not the gateway's protocol (protocol).
// Messages name the method and URL, never the API key.
import { WaSlackError } from "../errors.js";

export type GatewayErrorCode =
  | "validation_error"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "internal"
  | "not_implemented"
  | "gateway_unavailable";

export abstract class GatewayError extends WaSlackError {
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, message: string, options?: { cause?: unknown }) {
    super(`${method} ${url}: ${message}`, options);
    this.method = method;
    this.url = url;
  }
}

/** The gateway answered with its error envelope `{ error: { code, message, details? } }`. */
export class GatewayApiError extends GatewayError {
  /** The gateway's own code; an unknown word is kept as sent. */
  readonly code: GatewayErrorCode | (string & {});
  readonly status: number;
  readonly gatewayMessage: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** From `details.retryAfterSeconds` on `rate_limited`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(args: {
    method: string;
    url: string;
    status: number;
    code: string;
    message: string;
    details?: Record<string, unknown> | undefined;
  }) {
    super(args.method, args.url, `${args.status} ${args.code}: ${args.message}`);
    this.code = args.code;
    this.status = args.status;
    this.gatewayMessage = args.message;
    this.details = args.details;
    const retry = args.details?.retryAfterSeconds;
    this.retryAfterSeconds = typeof retry === "number" && Number.isFinite(retry) ? retry : undefined;
  }

  /** Field-level messages of a `validation_error` (`details.errors`), as strings. */
  get fieldErrors(): string[] {
    const errors = this.details?.errors;
    if (!Array.isArray(errors)) return [];
    return errors.map((e) => (typeof e === "string" ? e : JSON.stringify(e)));
  }
}

/**
 * No complete answer from the gateway: connection refused or reset, DNS failure, a timeout, or a bare
 * 502/504 after retries. `mayHaveArrived` tells the two cases a user (and the audit log) must not mix up:
 * false when no attempt got as far as sending the request (nothing was sent, code `gateway_unreachable`),
 * true when one failed after the request was on its way (a reset mid-response, no answer in time, a proxy
 * error): the gateway may have acted, code `gateway_no_answer`.
 */
export class GatewayUnavailableError extends GatewayError {
  readonly code: "gateway_unreachable" | "gateway_no_answer";
  readonly mayHaveArrived: boolean;

  constructor(
    method: string,
    url: string,
    message: string,
    options?: { cause?: unknown; mayHaveArrived?: boolean },
  ) {
    super(method, url, message, { cause: options?.cause });
    this.mayHaveArrived = options?.mayHaveArrived ?? false;
    this.code = this.mayHaveArrived ? "gateway_no_answer" : "gateway_unreachable";
  }
}

/** A body that is not JSON (a proxy's HTML page) or does not match the gateway's schema. */
export class GatewayProtocolError extends GatewayError {
  readonly code = "gateway_protocol_error";
  readonly status: number | undefined;

  constructor(method: string, url: string, message: string, options?: { status?: number; cause?: unknown }) {
    super(method, url, message, { cause: options?.cause });
    this.status = options?.status;
  }
}
