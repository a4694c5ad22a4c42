// Correctly signed Slack requests into the app under test, over loopback HTTP, as Slack sends them.
import { createHmac } from "node:crypto";
import { request } from "undici";

export interface SignedRequestOptions {
  /** Override the timestamp (seconds) to test staleness. */
  timestamp?: number;
  /** Override the signature to test forgery. */
  signature?: string | null;
  contentType?: string;
}

export function sign(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SlackResponse {
  status: number;
  body: string;
  json: () => unknown;
  /** Milliseconds from sending the request to having the whole response. */
  ms: number;
}

export function createSlackSender(appUrl: string, signingSecret: string) {
  async function post(body: string, options: SignedRequestOptions = {}): Promise<SlackResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      "content-type": options.contentType ?? "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
    };
    const signature =
      options.signature === undefined ? sign(signingSecret, timestamp, body) : options.signature;
    if (signature !== null) headers["x-slack-signature"] = signature;
    const started = performance.now();
    const res = await request(`${appUrl}/slack/events`, { method: "POST", headers, body });
    const text = await res.body.text();
    const ms = performance.now() - started;
    return {
      status: res.statusCode,
      body: text,
      ms,
      json: () => (text === "" ? undefined : JSON.parse(text)),
    };
  }

  return {
    post,
    /** A slash command, form-encoded as Slack sends it. */
    command(fields: CommandFields, options?: SignedRequestOptions) {
      const form = new URLSearchParams({
        token: "deprecated-verification-token",
        team_id: fields.teamId,
        team_domain: "acme",
        channel_id: fields.channelId ?? "C0000000001",
        channel_name: "general",
        user_id: fields.userId,
        user_name: "someone",
        command: fields.command ?? "/wa",
        text: fields.text,
        api_app_id: "A0000000001",
        is_enterprise_install: fields.enterpriseId && fields.isEnterpriseInstall ? "true" : "false",
        response_url: fields.responseUrl,
        trigger_id: fields.triggerId ?? "1337.42.trigger",
      });
      if (fields.enterpriseId) form.set("enterprise_id", fields.enterpriseId);
      return post(form.toString(), options);
    },
    /** An interactivity payload (shortcut, view submission, block action): form field `payload`. */
    interaction(payload: Record<string, unknown>, options?: SignedRequestOptions) {
      return post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), options);
    },
    /** An Events API callback, JSON-encoded. */
    event(envelope: Record<string, unknown>, options?: SignedRequestOptions) {
      return post(JSON.stringify(envelope), { contentType: "application/json", ...options });
    },
    /** One event in the envelope Slack wraps it in, authorized for the app's bot in `teamId`. */
    eventCallback(fields: EventCallbackFields, options?: SignedRequestOptions) {
      const now = Date.now();
      return post(
        JSON.stringify({
          token: "deprecated-verification-token",
          team_id: fields.teamId,
          api_app_id: fields.appId ?? "A0000000001",
          type: "event_callback",
          event_id: fields.eventId ?? `Ev${now.toString(36)}${Math.random().toString(36).slice(2, 8)}`,
          event_time: Math.floor(now / 1000),
          authorizations: [
            {
              team_id: fields.teamId,
              user_id: fields.botUserId ?? "UBOT000001",
              is_bot: true,
              is_enterprise_install: false,
            },
          ],
          event: { event_ts: (now / 1000).toFixed(6), ...fields.event },
        }),
        { contentType: "application/json", ...options },
      );
    },
  };
}

export interface EventCallbackFields {
  teamId: string;
  event: Record<string, unknown>;
  /** Slack's id of the delivery; a retry of the same event carries the same one. Random by default. */
  eventId?: string;
  appId?: string;
  /** The bot user the app acts as (the Slack stand-in's by default). */
  botUserId?: string;
}

export interface CommandFields {
  teamId: string;
  userId: string;
  text: string;
  responseUrl: string;
  channelId?: string;
  command?: string;
  triggerId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

export type SlackSender = ReturnType<typeof createSlackSender>;

/**
 * The acknowledgement of a `/wa` action: a "Sending…" note only its author sees, which the outcome
 * replaces (response_url with replace_original).
 */
export function workingNoteOf(res: SlackResponse): string {
  const body = res.json() as { text?: unknown; response_type?: unknown } | undefined;
  if (typeof body?.text !== "string") throw new Error(`the ack is not a working note: ${res.body}`);
  if (body.response_type !== undefined && body.response_type !== "ephemeral") {
    throw new Error(`the working note is not ephemeral: ${res.body}`);
  }
  return body.text;
}
