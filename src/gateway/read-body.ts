// Reads a response body with a ceiling, so a misbehaving gateway or proxy cannot make us buffer an
// unbounded answer in memory.
import type { Dispatcher } from "undici";

export type ResponseBody = Dispatcher.ResponseData["body"];

export type CappedBody = { kind: "complete"; text: string } | { kind: "too_large"; limitBytes: number };

export async function readCappedBody(
  body: ResponseBody,
  limitBytes: number,
  declaredLength: string | string[] | undefined,
): Promise<CappedBody> {
  const declared = typeof declaredLength === "string" ? Number(declaredLength) : Number.NaN;
  if (Number.isFinite(declared) && declared > limitBytes) {
    // No need to receive what we will not read; destroying the body also frees the socket.
    body.destroy();
    return { kind: "too_large", limitBytes };
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    received += buffer.length;
    if (received > limitBytes) {
      body.destroy();
      return { kind: "too_large", limitBytes };
    }
    chunks.push(buffer);
  }
  return { kind: "complete", text: Buffer.concat(chunks).toString("utf8") };
}
