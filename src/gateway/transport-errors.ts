// What a failed request to the gateway (no HTTP answer at all) means: worth retrying or not, whether
// the request may have reached the gateway, and a short text that names no library internals.

/** `requestSent`: whether the request may have reached the gateway before the failure. */
export interface TransportFailure {
  kind: "transient" | "permanent" | "protocol";
  text: string;
  requestSent: boolean;
}

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

export function describeTransportError(err: unknown): TransportFailure {
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
