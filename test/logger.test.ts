import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, scrubSecrets } from "../src/logger.js";

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { lines, logger: createLogger({ level: "trace", destination, secrets }) };
}

const KEY = "wa_secret_api_key_1234567";
const BOT = "xoxb-1111-2222-abcdefghijkl";
const APP = "xapp-1-A111-222-abcdef";
const ENCRYPTION = "bXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXMtbG9uZyE";

describe("the logger", () => {
  it("when secrets sit in known fields, then they are redacted by path", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        apiKey: KEY,
        headers: { authorization: `Bearer ${KEY}`, "x-api-key": KEY },
        installation: { bot: { token: BOT } },
        config: { appToken: APP, signingSecret: "signing-secret-value" },
      },
      "hello",
    );
    const text = lines.join("");
    for (const secret of [KEY, BOT, APP, "signing-secret-value"]) expect(text).not.toContain(secret);
    expect(text).toContain("[REDACTED]");
  });

  it("when a secret slips into a message or an error, then the written line is scrubbed anyway", () => {
    const { lines, logger } = capture([ENCRYPTION]);
    logger.error(
      { err: new Error(`gateway said: bad key ${KEY} for ${BOT}`) },
      `key was ${ENCRYPTION} and ${APP}`,
    );
    const text = lines.join("");
    for (const secret of [KEY, BOT, APP, ENCRYPTION]) expect(text).not.toContain(secret);
    expect(text).toContain("gateway said: bad key [REDACTED]");
  });

  it("when text carries a Bearer credential, then scrubSecrets removes it and keeps the rest", () => {
    expect(scrubSecrets("Authorization: Bearer abc.def.ghi done")).toBe("Authorization: [REDACTED] done");
    expect(scrubSecrets("nothing secret here")).toBe("nothing secret here");
  });
});
