import { describe, expect, it } from "vitest";
import { parseAppConfig, parseStoreConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";

const KEY = Buffer.alloc(32, 7).toString("base64url");

const valid = {
  GATEWAY_URL: "https://gw.example.com/",
  SLACK_SIGNING_SECRET: "signing-secret-123",
  SLACK_BOT_TOKEN: "xoxb-1-2-abc",
  APP_ENCRYPTION_KEY: KEY,
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    parseAppConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("parseAppConfig", () => {
  it("when everything is given, then it returns defaults for the rest", () => {
    const config = parseAppConfig(valid);
    expect(config.gatewayUrl).toBe("https://gw.example.com");
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe("sqlite:data/wa-slack.db");
    expect(config.slack.apiUrl).toBe("https://slack.com/api/");
    expect(config.slack.auth).toEqual({ mode: "single", botToken: "xoxb-1-2-abc" });
    expect(config.encryptionKey).toHaveLength(32);
    expect(config.logLevel).toBe("info");
  });

  it("when nothing is given, then one error names every missing variable", () => {
    const problems = problemsOf({});
    const text = problems.join("\n");
    expect(text).toContain("GATEWAY_URL is required");
    expect(text).toContain("APP_ENCRYPTION_KEY is required");
    expect(text).toContain("SLACK_SIGNING_SECRET is required");
    expect(text).toContain("SLACK_BOT_TOKEN is required");
  });

  it("when values are malformed, then each is named with what it must be", () => {
    const problems = problemsOf({
      ...valid,
      GATEWAY_URL: "ftp://x",
      APP_ENCRYPTION_KEY: "short",
      PORT: "70000",
      DATABASE_URL: "mysql://x",
      LOG_LEVEL: "loud",
    }).join("\n");
    expect(problems).toMatch(/GATEWAY_URL must be an http\(s\) URL/);
    expect(problems).toMatch(/APP_ENCRYPTION_KEY must be 32 random bytes/);
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL must be sqlite/);
    expect(problems).toMatch(/LOG_LEVEL/);
  });

  it("when a secret is malformed, then the error does not repeat its value", () => {
    const problems = problemsOf({ ...valid, APP_ENCRYPTION_KEY: "c2VjcmV0LXNlY3JldC1zZWNyZXQ" }).join("\n");
    expect(problems).not.toContain("c2VjcmV0LXNlY3JldC1zZWNyZXQ");
  });

  it("when OAuth is half configured, then the missing OAuth variables are named", () => {
    const { SLACK_BOT_TOKEN: _, ...rest } = valid;
    const problems = problemsOf({ ...rest, SLACK_CLIENT_ID: "123.456" }).join("\n");
    expect(problems).toContain("SLACK_CLIENT_SECRET is required for the OAuth install");
    expect(problems).toContain("SLACK_STATE_SECRET is required for the OAuth install");
  });

  it("when both a bot token and OAuth are set, then it refuses the mix", () => {
    expect(
      problemsOf({ ...valid, SLACK_CLIENT_ID: "1", SLACK_CLIENT_SECRET: "2", SLACK_STATE_SECRET: "3" })[0],
    ).toMatch(/either SLACK_BOT_TOKEN .* not both/);
  });

  it("when GATEWAY_TIMEOUT_MS is unset, then the deadline is above the gateway's own 15 s; when set, it is checked", () => {
    expect(parseAppConfig(valid).gatewayTimeoutMs).toBe(20_000);
    expect(parseAppConfig({ ...valid, GATEWAY_TIMEOUT_MS: "30000" }).gatewayTimeoutMs).toBe(30_000);
    expect(problemsOf({ ...valid, GATEWAY_TIMEOUT_MS: "500" })).toEqual([
      "GATEWAY_TIMEOUT_MS must be at least 1000 (ms)",
    ]);
  });

  it("when a variable is malformed and a rule between variables is broken too, then both are named at once", () => {
    const problems = problemsOf({ ...valid, SLACK_SIGNING_SECRET: undefined, PORT: "http" });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^PORT /);
    expect(problems[1]).toBe(
      "SLACK_SIGNING_SECRET is required in HTTP mode (set SLACK_APP_TOKEN for Socket Mode instead)",
    );
  });

  it("when SLACK_APP_TOKEN is set, then the signing secret is not needed (Socket Mode)", () => {
    const { SLACK_SIGNING_SECRET: _, ...rest } = valid;
    const config = parseAppConfig({ ...rest, SLACK_APP_TOKEN: "xapp-1-abc" });
    expect(config.slack.appToken).toBe("xapp-1-abc");
  });

  it("when the key is base64 (not url-safe), then it is accepted too", () => {
    const config = parseAppConfig({ ...valid, APP_ENCRYPTION_KEY: Buffer.alloc(32, 250).toString("base64") });
    expect(config.encryptionKey[0]).toBe(250);
  });
});

describe("parseStoreConfig", () => {
  it("when only the store variables are given, then the CLI can run", () => {
    const config = parseStoreConfig({ APP_ENCRYPTION_KEY: KEY, DATABASE_URL: "postgres://127.0.0.1/test" });
    expect(config.databaseUrl).toBe("postgres://127.0.0.1/test");
    expect(config.previousEncryptionKey).toBeUndefined();
  });
});
