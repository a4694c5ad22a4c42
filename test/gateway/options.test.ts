// The client's time bounds: the deadline sits above the gateway's own 15 s cut-off, and no per-attempt
// limit is shorter than the answer the deadline waits for.
import { describe, expect, it } from "vitest";
import { checkOptions } from "../../src/gateway/options.js";
import { silentLogger } from "../support/gateway-fixtures.js";

const base = { baseUrl: "https://gw.example.com/wa/", logger: silentLogger() };

describe("gateway client options", () => {
  it("when no timeouts are given, then the deadline is 20 s and headers and body may take all of it", () => {
    expect(checkOptions(base).timeouts).toStrictEqual({
      connectMs: 2_000,
      headersMs: 20_000,
      bodyMs: 20_000,
      totalMs: 20_000,
    });
  });

  it("when only the deadline is given (GATEWAY_TIMEOUT_MS), then headers and body follow it", () => {
    expect(checkOptions({ ...base, timeouts: { totalMs: 30_000 } }).timeouts).toStrictEqual({
      connectMs: 2_000,
      headersMs: 30_000,
      bodyMs: 30_000,
      totalMs: 30_000,
    });
  });

  it("when a per-attempt limit is given, then it is kept as given", () => {
    expect(checkOptions({ ...base, timeouts: { headersMs: 100, bodyMs: undefined } }).timeouts).toStrictEqual(
      {
        connectMs: 2_000,
        headersMs: 100,
        bodyMs: 20_000,
        totalMs: 20_000,
      },
    );
  });

  it("when the deadline is not a positive number, then only the option given is named", () => {
    expect(() => checkOptions({ ...base, timeouts: { totalMs: 0 } })).toThrow(
      "createGatewayClient: invalid options:\n  - timeouts.totalMs must be a positive number of ms",
    );
  });

  it("when the base URL has a path, then it is kept without its trailing slash", () => {
    expect(checkOptions(base)).toMatchObject({
      origin: "https://gw.example.com",
      basePath: "/wa",
      displayBase: "https://gw.example.com/wa",
    });
  });
});
