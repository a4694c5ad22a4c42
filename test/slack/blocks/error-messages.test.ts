import { describe, expect, it } from "vitest";
import {
  ConfigError,
  NotConfiguredError,
  OverloadedError,
  PermissionError,
  SealError,
  StoreUnavailableError,
  TargetError,
  type TargetErrorReason,
  UserInputError,
} from "../../../src/errors.js";
import {
  GatewayApiError,
  GatewayProtocolError,
  GatewayUnavailableError,
} from "../../../src/gateway/errors.js";
import { describeError } from "../../../src/slack/blocks/error-messages.js";

const URL = "https://gw.example.com/api/v1/sessions/s1/messages/m1/reaction";

function apiError(
  status: number,
  code: string,
  message = "gateway says no",
  details?: Record<string, unknown>,
) {
  return new GatewayApiError({ method: "POST", url: URL, status, code, message, details });
}

describe("describeError", () => {
  it("when too much work waits for the workspace, then it says nothing was sent and to try again", () => {
    const described = describeError(new OverloadedError("queue full for T1"));
    expect(described.code).toBe("overloaded");
    expect(described.summary).toMatch(/nothing was sent.*Try again/);
  });

  it("when the user typed something wrong, then the summary is the error's message and the usage comes along", () => {
    const described = describeError(
      new UserInputError("Give an emoji.", { usage: "/wa react <target> <emoji>" }),
    );
    expect(described).toEqual({
      summary: "Give an emoji.",
      code: "invalid_input",
      usage: "/wa react <target> <emoji>",
    });
  });

  it("when the workspace is not configured, then it says so, names /wa config and has code not_configured", () => {
    const described = describeError(new NotConfiguredError("T1"));
    expect(described.code).toBe("not_configured");
    expect(described.summary).toBe(
      "This workspace isn't connected to WhatsApp yet. A workspace admin must run `/wa config`.",
    );
  });

  it.each<[TargetErrorReason, RegExp]>([
    ["channel_not_visible", /invite the app to the channel/i],
    ["message_not_found", /wasn't found/],
    ["no_whatsapp_metadata", /doesn't stand for a WhatsApp message/],
    ["not_a_poll", /isn't a poll/],
    ["no_session", /--session.*\/wa config/s],
  ])("when the target fails with %s, then the summary explains it in plain words", (reason, words) => {
    const described = describeError(new TargetError(reason, `lookup failed: ${reason}`));
    expect(described.code).toBe(reason);
    expect(described.summary).toMatch(words);
    expect(described.detail).toBe(`lookup failed: ${reason}`);
  });

  it("when a non-admin tries to configure, then it says only admins and owners may", () => {
    const described = describeError(new PermissionError("nope"));
    expect(described.code).toBe("not_admin");
    expect(described.summary).toMatch(/admins and owners/);
  });

  it("when the gateway says not_found, then the summary says the session or message wasn't found or isn't this account's", () => {
    const described = describeError(apiError(404, "not_found", "Session s1 not found"));
    expect(described).toMatchObject({ code: "not_found", detail: "Session s1 not found" });
    expect(described.summary).toBe(
      "The WhatsApp session or message wasn't found, or it doesn't belong to this workspace's gateway account.",
    );
  });

  it("when the gateway says validation_error with field errors, then each field error is listed", () => {
    const error = apiError(400, "validation_error", "Invalid body", {
      errors: ["chat: must be a JID", { path: "emoji", message: "required" }],
    });
    const described = describeError(error);
    expect(described.code).toBe("validation_error");
    expect(described.detail).toBe("Invalid body");
    expect(described.summary).toContain("• chat: must be a JID");
    expect(described.summary).toContain('• {"path":"emoji","message":"required"}');
  });

  it("when the gateway lists very many field errors, then ten are shown and the rest counted", () => {
    const errors = Array.from({ length: 25 }, (_, i) => `field${i}: bad`);
    const described = describeError(apiError(400, "validation_error", "Invalid", { errors }));
    expect(described.summary.match(/• field/g)).toHaveLength(10);
    expect(described.summary).toContain("…and 15 more");
  });

  it("when the gateway answers 401, then the key was rejected and an admin must run /wa config", () => {
    const described = describeError(apiError(401, "unauthorized", "Invalid API key"));
    expect(described.code).toBe("unauthorized");
    expect(described.summary).toMatch(/rejected this workspace's API key/);
    expect(described.summary).toContain("/wa config");
  });

  it("when the gateway answers 403, then the key lacks the send permission and an admin must run /wa config", () => {
    const described = describeError(apiError(403, "forbidden", "Missing permission: send"));
    expect(described.code).toBe("forbidden");
    expect(described.summary).toMatch(/lacks the `send` permission/);
    expect(described.summary).toContain("/wa config");
  });

  it("when a 401 or 403 comes with an unfamiliar code, then its status still decides the words", () => {
    expect(describeError(apiError(401, "bad_token")).summary).toContain("/wa config");
    expect(describeError(apiError(403, "nope")).summary).toMatch(/`send` permission/);
  });

  it("when the gateway rate-limits with retryAfterSeconds, then the summary says try again in that many seconds", () => {
    const described = describeError(apiError(429, "rate_limited", "Too many", { retryAfterSeconds: 42 }));
    expect(described.summary).toBe(
      "WhatsApp's sending limit was reached for this session. Try again in 42 seconds.",
    );
    expect(described.retryAfterSeconds).toBe(42);
    expect(described.code).toBe("rate_limited");
  });

  it("when the retry time is a fraction or one second, then it is rounded up and reads naturally", () => {
    expect(describeError(apiError(429, "rate_limited", "x", { retryAfterSeconds: 0.4 })).summary).toContain(
      "Try again in 1 second.",
    );
    expect(describeError(apiError(429, "rate_limited", "x", { retryAfterSeconds: 2.1 })).summary).toContain(
      "Try again in 3 seconds.",
    );
  });

  it("when the gateway rate-limits without a retry time, then the summary asks to try again in a little while", () => {
    const described = describeError(apiError(429, "rate_limited"));
    expect(described.summary).toContain("Try again in a little while.");
    expect(described.retryAfterSeconds).toBeUndefined();
  });

  it.each([
    ["conflict", 409, /conflicts with the session's current state/],
    ["internal", 500, /internal error/],
    ["not_implemented", 501, /live WhatsApp client isn't available/],
    ["gateway_unavailable", 503, /unavailable right now.*Try again later/],
    ["teapot_overflow", 418, /unavailable right now.*Try again later/],
  ])(
    "when the gateway says %s, then the summary fits it and the code is the gateway's",
    (code, status, words) => {
      const described = describeError(apiError(status, code, "details here"));
      expect(described.code).toBe(code);
      expect(described.summary).toMatch(words);
      expect(described.detail).toBe("details here");
    },
  );

  it("when the gateway can't be reached, then it says so with code gateway_unreachable", () => {
    const described = describeError(new GatewayUnavailableError("POST", URL, "connect ECONNREFUSED"));
    expect(described).toEqual({
      summary: "Couldn't reach the WhatsApp gateway, so nothing was sent. Try again in a moment.",
      code: "gateway_unreachable",
    });
  });

  it("when the gateway answers something unexpected, then it says so with code gateway_protocol_error", () => {
    const described = describeError(new GatewayProtocolError("POST", URL, "not JSON", { status: 200 }));
    expect(described.code).toBe("gateway_protocol_error");
    expect(described.summary).toMatch(/unexpected|doesn't understand/);
  });

  it("when the database is down, then it says nothing was sent", () => {
    const described = describeError(new StoreUnavailableError("connect ECONNREFUSED 127.0.0.1:5432"));
    expect(described.code).toBe("store_unavailable");
    expect(described.summary).toMatch(/database.*nothing was sent/);
    expect(described.summary).not.toContain("5432");
  });

  it("when the stored key can't be unsealed, then an admin must enter it again with /wa config", () => {
    const described = describeError(new SealError("decryption failed"));
    expect(described.code).toBe("seal_error");
    expect(described.summary).toMatch(/enter the key again with `\/wa config`/);
  });

  it("when the app's own configuration is broken, then the environment details stay out of the summary", () => {
    const described = describeError(new ConfigError(["APP_ENCRYPTION_KEY is missing"]));
    expect(described.code).toBe("config_error");
    expect(described.summary).not.toContain("APP_ENCRYPTION_KEY");
  });

  it.each([
    ["an Error", new Error("ECONNRESET at postgres://admin:hunter2@db/wa")],
    ["a string", "boom"],
    ["undefined", undefined],
    ["an object", { message: "hidden" }],
  ])(
    "when the error is %s, then a generic summary with code internal_error is given and its text is not shown",
    (_, error) => {
      const described = describeError(error);
      expect(described).toEqual({
        summary: "Something went wrong on our side; nothing was sent.",
        code: "internal_error",
      });
    },
  );

  it("when a gateway message contains an API key, then the key appears nowhere in the description", () => {
    const key = "wa_live_9f8e7d6c5b4a39281706";
    const error = apiError(401, "unauthorized", `Key ${key} is invalid`, { errors: [`key=${key}`] });
    const described = describeError(error);
    expect(JSON.stringify(described)).not.toContain(key);
    expect(JSON.stringify(described)).not.toContain("9f8e7d6c");
  });

  it("when a key with unusual characters is in a validation message, then it is scrubbed too", () => {
    const key = "wa_ab.c+d/e=f";
    const described = describeError(
      apiError(400, "validation_error", `bad ${key}`, { errors: [`auth: ${key}`] }),
    );
    expect(JSON.stringify(described)).not.toContain("ab.c+d");
  });

  it("when a user's input held a key, then the summary does not repeat it", () => {
    const described = describeError(new UserInputError("`wa_secretsecret123` is not an emoji"));
    expect(described.summary).not.toContain("secretsecret");
  });

  it("when the gateway's code is odd text, then the shown code is short and plain", () => {
    const described = describeError(apiError(500, `weird <code> ${"x".repeat(200)}`));
    expect(described.code).toMatch(/^[\w.…-]{1,64}$/);
  });
});
