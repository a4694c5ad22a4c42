// What a complete HTTP answer means for an operation: its value, the gateway's error envelope as a
// typed error, or something that is not the gateway's protocol; and whether another attempt could help.
import { GatewayApiError, GatewayProtocolError, GatewayUnavailableError } from "./errors.js";
import type { AttemptOutcome, Operation } from "./operation.js";
import type { CappedBody } from "./read-body.js";
import { ApiErrorBodySchema } from "./types.js";

export function interpretResponse<T>(
  op: Operation<T>,
  url: string,
  status: number,
  body: CappedBody,
): AttemptOutcome<T> {
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
  if (isSuccess(status) && op.success.kind === "none") return { kind: "done", value: op.success.value };
  const json = parseJson(body.text);
  if (isSuccess(status) && op.success.kind === "json") {
    if (json === undefined) {
      return {
        kind: "failed",
        error: new GatewayProtocolError(op.method, url, `${status} response body is not JSON`, { status }),
        retryable: false,
      };
    }
    const parsed = op.success.parse(json.value);
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
    if (accepted !== undefined) return { kind: "done", value: accepted.value };
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

function redact(text: string, apiKey: string): string {
  return apiKey.length > 0 ? text.split(apiKey).join("[REDACTED]") : text;
}
