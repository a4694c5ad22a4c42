// The fake gateway's HTTP plumbing, shared by its message routes and its event routes: one exchange,
// credentials, strict JSON bodies, and answers in the gateway's error envelope.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import type { ApiErrorBody, FakeErrorCode } from "./schemas.js";

export interface RecordedRequest {
  method: string;
  /** As received: path segments still encoded, query included. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body parses, the raw text when it does not, undefined when empty. */
  body: unknown;
  at: number;
  /** What the fake answered, when it answered in full. */
  response?: { status: number; body: unknown };
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  rawBody: string;
  /** Aborts when the client goes away or the fake closes. */
  signal: AbortSignal;
}

export function bearerOrApiKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  const apiKey = headers["x-api-key"];
  return typeof apiKey === "string" && apiKey !== "" ? apiKey : undefined;
}

/**
 * The body parsed by `schema`, or undefined after answering 400 the way the gateway does: a missing body,
 * a body that is not JSON, and unknown fields (additionalProperties: false) are all validation errors.
 */
export function parseStrictBody<S extends z.ZodType>(ex: Exchange, schema: S): z.infer<S> | undefined {
  if (ex.rawBody.trim() === "") {
    sendError(ex, 400, "validation_error", "request body is required");
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(ex.rawBody);
  } catch (err) {
    sendError(ex, 400, "validation_error", "request body is not valid JSON", {
      errors: [`body: ${(err as Error).message}`],
    });
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => `body.${k}: unexpected property`)
        : [`body${issue.path.map((p) => `.${String(p)}`).join("")}: ${issue.message}`],
    );
    sendError(ex, 400, "validation_error", "validation failed", { errors });
    return undefined;
  }
  return parsed.data;
}

export function apiError(
  code: FakeErrorCode,
  message: string,
  details?: Record<string, unknown>,
): ApiErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

export function sendError(
  ex: Exchange,
  status: number,
  code: FakeErrorCode,
  message: string,
  details?: Record<string, unknown>,
): void {
  sendJson(ex, status, apiError(code, message, details));
}

export function sendJson(ex: Exchange, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  ex.record.response = { status, body };
  ex.res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  ex.res.end(text);
}

export function sendRaw(ex: Exchange, status: number, body: string, contentType: string | undefined): void {
  ex.record.response = { status, body };
  const headers: Record<string, string | number> = { "content-length": Buffer.byteLength(body) };
  if (contentType) headers["content-type"] = contentType;
  ex.res.writeHead(status, headers);
  ex.res.end(body);
}

export function sendNoContent(ex: Exchange): void {
  ex.record.response = { status: 204, body: undefined };
  ex.res.writeHead(204);
  ex.res.end();
}

export async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function parseOrRaw(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
