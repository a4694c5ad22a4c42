// One gateway operation as the client's operations describe it to the machinery that runs it, and
// what one attempt at it came to.
import type { z } from "zod";
import type { GatewayApiError, GatewayError } from "./errors.js";

export type Method = "GET" | "POST" | "DELETE";

type ParsedSuccess<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * What a 2xx answer carries: a JSON body to parse, or nothing worth reading (a 204 after a delete), in
 * which case the status alone is the answer.
 */
export type SuccessBody<T> =
  | { kind: "json"; parse(json: unknown): ParsedSuccess<T> }
  | { kind: "none"; value: T };

export interface Operation<T> {
  method: Method;
  /** API path with its segments already encoded, e.g. `/api/v1/sessions/abc`, query included. */
  path: string;
  apiKey: string;
  body?: Record<string, unknown>;
  signal: AbortSignal | undefined;
  /**
   * Whether sending it twice does no harm. An operation that is not (a POST that creates something) is
   * retried only when no earlier attempt can have reached the gateway.
   */
  idempotent: boolean;
  success: SuccessBody<T>;
  /** An API error that is an answer rather than a failure (probeSession's 403, a delete's 404). */
  acceptApiError?(error: GatewayApiError): { value: T } | undefined;
}

export type AttemptOutcome<T> =
  | { kind: "done"; value: T }
  | { kind: "failed"; error: GatewayError; retryable: boolean }
  | { kind: "aborted" };

/** A JSON success body checked by a zod schema, then shaped into what the operation returns. */
export function jsonBody<S extends z.ZodType, T>(
  schema: S,
  what: string,
  shape: (data: z.infer<S>) => T,
): SuccessBody<T> {
  return {
    kind: "json",
    parse(json) {
      const parsed = schema.safeParse(json);
      return parsed.success
        ? { ok: true, value: shape(parsed.data) }
        : { ok: false, problem: `${what} (${describeIssue(parsed.error)})` };
    },
  };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const where = issue.path.length > 0 ? issue.path.join(".") : "body";
  return `${where}: ${issue.message}`;
}
