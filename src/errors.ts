// The one error hierarchy of the app. Every error a user or an operator is meant to understand is a
// WaSlackError with a stable string `code` (the gateway's errors in gateway/errors.ts extend it too);
// src/slack/blocks/error-messages.ts turns a code into words for Slack, the CLI reports them itself.
// Anything else that is thrown is a bug or a broken invariant, and is shown as an unexpected error.

export abstract class WaSlackError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The environment or a CLI argument is missing or malformed. Message lists every problem. */
export class ConfigError extends WaSlackError {
  readonly code = "config_error";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

/**
 * Something the user typed or chose is not usable. The message is written for the user;
 * `usage` (when set) is the usage line of the subcommand that was misused.
 */
export class UserInputError extends WaSlackError {
  readonly code = "invalid_input";
  readonly usage: string | undefined;
  /** Modal field (block_id) the problem belongs to, when it comes from a modal. */
  readonly field: string | undefined;

  constructor(message: string, options?: { usage?: string; field?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.usage = options?.usage;
    this.field = options?.field;
  }
}

/** The workspace has no API key yet: the gateway is never called. */
export class NotConfiguredError extends WaSlackError {
  readonly code = "not_configured";
  readonly teamId: string;

  constructor(teamId: string) {
    super(`Workspace ${teamId} has no WhatsApp gateway API key configured`);
    this.teamId = teamId;
  }
}

export type TargetErrorReason =
  | "channel_not_visible"
  | "message_not_found"
  | "no_whatsapp_metadata"
  | "not_a_poll"
  | "no_session";

/** The Slack message a user pointed at cannot be used as a WhatsApp target. */
export class TargetError extends WaSlackError {
  readonly code: TargetErrorReason;

  constructor(reason: TargetErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = reason;
  }
}

/** A Slack request came from a workspace where the app is not installed (OAuth install mode). */
export class NotInstalledError extends WaSlackError {
  readonly code = "not_installed";

  constructor() {
    super("The app has no installation for this Slack workspace");
  }
}

/** The app cannot post in a Slack channel (not invited, gone, or archived): it cannot mirror into it. */
export class ChannelAccessError extends WaSlackError {
  readonly code: "app_not_in_channel" | "channel_not_found" | "channel_archived";
  readonly channelId: string;

  constructor(
    code: "app_not_in_channel" | "channel_not_found" | "channel_archived",
    channelId: string,
    options?: { cause?: unknown },
  ) {
    super(`The app cannot post in channel ${channelId} (${code})`, options);
    this.code = code;
    this.channelId = channelId;
  }
}

/** Only workspace admins and owners may change the configuration. */
export class PermissionError extends WaSlackError {
  readonly code = "not_admin";
}

/** The store (database) did not answer. Nothing was recorded. */
export class StoreUnavailableError extends WaSlackError {
  readonly code = "store_unavailable";
}

/** A sealed secret could not be opened (wrong or rotated-away encryption key, or tampering). */
export class SealError extends WaSlackError {
  readonly code = "seal_error";
}

/** Too many actions are already waiting (for this workspace, or in the whole app): a new one is refused, not silently dropped. */
export class OverloadedError extends WaSlackError {
  readonly code = "overloaded";
}

/** Slack refused a call the app needed, or could not be reached. */
export class SlackError extends WaSlackError {
  readonly code: "slack_rejected" | "slack_unreachable";

  constructor(code: "slack_rejected" | "slack_unreachable", message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A write that would break a uniqueness rule of the store (a WhatsApp message mapped twice, say). */
export class StoreConflictError extends WaSlackError {
  readonly code = "store_conflict";
}

export type EventsSetupErrorCode =
  | "workspace_not_configured"
  | "no_api_key"
  | "bad_webhook_url"
  | "key_rejected"
  | "key_lacks_manage"
  | "gateway_unreachable"
  | "gateway_refused";

/** Choosing how a workspace receives the gateway's events failed; the message says what to do. */
export class EventsSetupError extends WaSlackError {
  readonly code: EventsSetupErrorCode;
  readonly workspaceId: string;

  constructor(
    code: EventsSetupErrorCode,
    workspaceId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.workspaceId = workspaceId;
  }
}
