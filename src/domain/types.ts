// The words of the domain, shared by parsing, use cases and rendering. No Slack, no HTTP here.

/** One WhatsApp message, as the gateway addresses it. */
export interface MessageRef {
  sessionId: string;
  chat: string;
  messageId: string;
  /** Original sender's JID; "" means the session's own message. */
  sender: string;
}

export interface Poll {
  name: string;
  options: string[];
  /** 0 = any number, 1 = single choice, n = at most n. */
  selectableCount: number;
}

/** A WhatsApp message as a Slack message's metadata describes it (see interface.md). */
export interface WhatsAppMessage {
  sessionId: string;
  chat: string;
  messageId: string;
  sender?: string | undefined;
  poll?: Poll | undefined;
}

/** Where a Slack message lives: a permalink's parts. */
export interface SlackMessageLink {
  channelId: string;
  ts: string;
  threadTs?: string | undefined;
}

/** What the user named, before it is resolved to a WhatsApp message. */
export type TargetSpec =
  | { kind: "link"; link: SlackMessageLink }
  | {
      kind: "explicit";
      chat: string;
      messageId: string;
      sender?: string | undefined;
      sessionId?: string | undefined;
    };

export type Action = { op: "react"; emoji: string } | { op: "unreact" } | { op: "vote"; options: string[] };

export type Operation = Action["op"];

export type Visibility = "channel" | "ephemeral";

/** The parsed `/wa` text. */
export type WaCommand =
  | { kind: "help" }
  | { kind: "status" }
  | { kind: "config" }
  | { kind: "react"; target: TargetSpec; emoji: string }
  | { kind: "unreact"; target: TargetSpec }
  | { kind: "vote"; target: TargetSpec; options: string[] }
  | { kind: "vote_clear"; target: TargetSpec }
  | { kind: "vote_modal"; target: TargetSpec }
  /** Mirror `chat` into the channel the command was run in. */
  /** `sendReactions` true with --reactions; absent keeps what the chat's link in that channel had. */
  | { kind: "link"; chat: string; sessionId?: string | undefined; sendReactions?: true | undefined }
  /** `/wa link` without a chat: the app opens a modal listing the session's chats. */
  | { kind: "link_modal"; sessionId?: string | undefined; sendReactions: boolean }
  /** Stop mirroring into the channel: only `chat` when given, else every chat linked there. */
  | { kind: "unlink"; chat?: string | undefined }
  | { kind: "links" };
