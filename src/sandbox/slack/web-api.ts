// A fake Slack Web API and response_url receiver on loopback, for tests that run the real app.
// It speaks the wire format WebClient uses (form-encoded, JSON-encoded fields, Bearer token) and
// answers the way Slack does for the methods the app calls (a message past Slack's limits is refused, as
// Slack refuses it); faults can be injected per method.
// apps.connections.open answers once a fake Socket Mode server (fake-socket-mode.ts) is attached.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
  at: number;
  /** When the fake finished answering it; unset while the call is in flight (or was never answered). */
  answeredAt?: number;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeUser {
  id: string;
  teamId: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  name?: string;
}

export interface FakeMessage {
  ts: string;
  text?: string;
  threadTs?: string;
  metadata?: { event_type: string; event_payload?: Record<string, unknown> };
  /** Set on messages the app posted. */
  username?: string;
  /** When the chat.postMessage call that made it arrived (the fake may answer it later, with latency). */
  requestedAt?: number;
  blocks?: unknown[];
  /** Times chat.update changed it. */
  updates?: number;
  /** Emoji name → the users (the bot included) who hold that reaction. */
  reactions?: Map<string, Set<string>>;
}

interface FakeChannel {
  id: string;
  name: string;
  /** Whether the bot can read it (a member of a private channel, or any public channel). */
  visible: boolean;
  isPrivate: boolean;
  messages: FakeMessage[];
}

export type MethodFault =
  | { kind: "error"; error: string; times?: number }
  | { kind: "ratelimited"; retryAfterSeconds: number; times?: number }
  | { kind: "http"; status: number; times?: number }
  | { kind: "latency"; ms: number; times?: number }
  /** No answer at all, and the call is not carried out: the client gives up on its own timeout. */
  | { kind: "timeout"; times?: number };

/** A message only one person sees (chat.postEphemeral). */
export interface EphemeralPost {
  channel: string;
  user: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks?: unknown[];
  /** When it was posted (epoch ms). */
  at: number;
}

/** Serves requests that are not Slack's (the sandbox's page); resolves true when it answered. */
export type ExtraRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface FakeView {
  id: string;
  view: Record<string, unknown>;
  closed: boolean;
  userId?: string;
  /** The trigger_id it was opened with (views.open). */
  triggerId?: string;
}

export interface SlackStandIn {
  /** Base URL of the Web API, with a trailing slash (what SLACK_API_URL takes). */
  readonly apiUrl: string;
  readonly calls: SlackCall[];
  readonly responses: ResponseUrlPost[];
  readonly views: Map<string, FakeView>;
  readonly homeViews: Map<string, Record<string, unknown>>;
  addUser(user: FakeUser): void;
  addChannel(id: string, options?: { visible?: boolean; isPrivate?: boolean; name?: string }): void;
  /** The channels added, in the order they were added. */
  channelList(): { id: string; name: string }[];
  /** Messages posted with chat.postEphemeral, oldest first. */
  readonly ephemerals: readonly EphemeralPost[];
  /** The app's direct messages to a user (chat.postMessage with the user's id as channel), oldest first. */
  directMessagesTo(userId: string): FakeMessage[];
  /**
   * A person adds (`on`) or removes a reaction, as Slack's client does; undefined when done, else Slack's
   * error code (`already_reacted`, `no_reaction`, `message_not_found`, `invalid_name`).
   */
  react(input: { channel: string; ts: string; user: string; name: string; on: boolean }): string | undefined;
  /** Calls `listener` after every change: a call, a response_url post, a message or reaction changed. */
  subscribe(listener: () => void): () => void;
  addMessage(channelId: string, message: FakeMessage): void;
  /** A response_url that Slack would hand out with a command or shortcut. */
  responseUrl(id?: string): string;
  /** Make a response_url answer with this HTTP status (e.g. 404 once it has expired). */
  failResponseUrl(id: string, status: number): void;
  setFault(method: string, fault: MethodFault): void;
  clearFaults(): void;
  closeView(viewId: string): void;
  /** Let apps.connections.open hand out this Socket Mode URL (a fresh one per call, as Slack does). */
  serveSocketMode(nextUrl: () => string): void;
  /** The messages posted in a channel (and kept up to date by chat.update / chat.delete), oldest first. */
  messagesIn(channelId: string): FakeMessage[];
  /** Answers chat.postMessage past `perSecond` posts in a channel within a second with 429 (Retry-After: 1). */
  limitPostsPerChannel(perSecond: number | undefined): void;
  /** How many chat.postMessage calls were answered 429 by that limit. */
  readonly rateLimitedPosts: number;
  /** Waits until the channel holds at least `count` messages. */
  waitForMessages(channelId: string, count: number, timeoutMs?: number): Promise<FakeMessage[]>;
  callsTo(method: string): SlackCall[];
  /** Resolves with the first call (or response_url post) that matches, waiting for it if needed. */
  waitForCall(
    method: string,
    predicate?: (call: SlackCall) => boolean,
    timeoutMs?: number,
  ): Promise<SlackCall>;
  waitForResponse(
    predicate?: (post: ResponseUrlPost) => boolean,
    timeoutMs?: number,
  ): Promise<ResponseUrlPost>;
  reset(): void;
  close(): Promise<void>;
}

const BOT_USER_ID = "UBOT000001";
const BOT_ID = "BBOT000001";

/** Slack's limits on a message, which it refuses rather than cuts (msg_too_long, invalid_blocks). */
const MAX_MESSAGE_TEXT = 40_000;
const MAX_MESSAGE_BLOCKS = 50;
const MAX_SECTION_TEXT = 3_000;
const MAX_CONTEXT_ELEMENTS = 10;

/** Why Slack would refuse a message's `text` and `blocks` as they are, or undefined when it takes them. */
export function messageRefusal(args: Record<string, unknown>): string | undefined {
  if (typeof args.text === "string" && args.text.length > MAX_MESSAGE_TEXT) return "msg_too_long";
  if (!Array.isArray(args.blocks)) return undefined;
  if (args.blocks.length > MAX_MESSAGE_BLOCKS) return "invalid_blocks";
  for (const block of args.blocks as { type?: unknown; text?: { text?: unknown }; elements?: unknown }[]) {
    if (block?.type === "section" && block.text !== undefined) {
      const text = block.text?.text;
      if (typeof text !== "string" || text.length === 0 || text.length > MAX_SECTION_TEXT) {
        return "invalid_blocks";
      }
    }
    if (block?.type === "context") {
      if (!Array.isArray(block.elements) || block.elements.length > MAX_CONTEXT_ELEMENTS)
        return "invalid_blocks";
    }
  }
  return undefined;
}

export async function startSlackStandIn(
  options: {
    teamId?: string;
    /** Requests that are not Slack's go here first (the sandbox's page). */
    routes?: ExtraRoutes;
    /** Default 0: any free port. */
    port?: number;
    /** Default 127.0.0.1. */
    host?: string;
    /** The one app-level token apps.connections.open accepts; any xapp-… token when absent. */
    appToken?: string;
  } = {},
): Promise<SlackStandIn> {
  const teamId = options.teamId ?? "T0000000001";
  let socketModeUrl: (() => string) | undefined;
  const calls: SlackCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const users = new Map<string, FakeUser>();
  const channels = new Map<string, FakeChannel>();
  const views = new Map<string, FakeView>();
  const homeViews = new Map<string, Record<string, unknown>>();
  const ephemerals: EphemeralPost[] = [];
  const directMessages = new Map<string, FakeMessage[]>();
  const listeners = new Set<() => void>();
  const faults = new Map<string, MethodFault & { used: number }>();
  const failingResponseUrls = new Map<string, number>();
  const waiters = new Set<() => void>();
  let viewCounter = 0;
  let responseCounter = 0;
  let messageCounter = 0;
  let postsPerSecond: number | undefined;
  let rateLimitedPosts = 0;
  const recentPosts = new Map<string, number[]>();
  /** Slack's one-emoji-per-name rule needs its emoji list: a few names stand in for "not an emoji". */
  const NOT_EMOJI = new Set(["not_an_emoji", "custom_party_parrot"]);

  /** Like Slack's: the posting time in seconds, then a part that keeps ts unique and in order. */
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(messageCounter).padStart(6, "0")}`;

  const notify = () => {
    for (const w of waiters) w();
    for (const listener of listeners) listener();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  function parseArgs(req: IncomingMessage, raw: string): Record<string, unknown> {
    const type = req.headers["content-type"] ?? "";
    if (type.includes("application/json"))
      return raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
    const args: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      // WebClient sends objects and arrays as JSON strings inside the form.
      if ((value.startsWith("{") || value.startsWith("[")) && key !== "text") {
        try {
          args[key] = JSON.parse(value);
          continue;
        } catch {
          // plain text that happens to start with a brace
        }
      }
      args[key] = value;
    }
    return args;
  }

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (options.routes && (await options.routes(req, res, url))) return;
    const raw = await readBody(req);

    if (url.pathname.startsWith("/response/")) {
      const id = url.pathname.slice("/response/".length);
      const status = failingResponseUrls.get(id);
      if (status !== undefined) {
        res.writeHead(status, { "content-type": "text/html" });
        res.end("<html>expired</html>");
        return;
      }
      responses.push({
        id,
        body: raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>),
        at: Date.now(),
      });
      notify();
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      return;
    }

    const method = url.pathname.replace(/^\/api\//, "");
    const auth = req.headers.authorization;
    const args = parseArgs(req, raw);
    const token = auth?.startsWith("Bearer ")
      ? auth.slice(7)
      : typeof args.token === "string"
        ? args.token
        : undefined;
    const call: SlackCall = { method, token, args, at: Date.now() };
    calls.push(call);
    res.once("finish", () => {
      call.answeredAt = Date.now();
    });
    notify();

    const fault = faults.get(method);
    if (fault && (fault.times === undefined || fault.used < fault.times)) {
      fault.used += 1;
      if (fault.kind === "latency") await new Promise((r) => setTimeout(r, fault.ms));
      // Left open: closed when the client aborts it, or by close().
      else if (fault.kind === "timeout") return;
      else if (fault.kind === "error") return json(res, 200, { ok: false, error: fault.error });
      else if (fault.kind === "ratelimited")
        return json(
          res,
          429,
          { ok: false, error: "ratelimited" },
          { "retry-after": String(fault.retryAfterSeconds) },
        );
      else {
        res.writeHead(fault.status);
        res.end();
        return;
      }
    }
    if (method === "apps.connections.open" && socketModeUrl)
      return json(res, 200, openConnection(auth, socketModeUrl));
    if (!token?.startsWith("xoxb-")) return json(res, 200, { ok: false, error: "not_authed" });
    if (method === "chat.postMessage" && postsPerSecond !== undefined) {
      const key = String(args.channel ?? "");
      const now = Date.now();
      const recent = (recentPosts.get(key) ?? []).filter((at) => now - at < 1000);
      if (recent.length >= postsPerSecond) {
        rateLimitedPosts += 1;
        recentPosts.set(key, recent);
        return json(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": "1" });
      }
      recent.push(now);
      recentPosts.set(key, recent);
    }
    json(res, 200, answer(method, args, call.at));
  }

  /** Socket Mode takes the app-level token, and only in the Authorization header. */
  function openConnection(authorization: string | undefined, nextUrl: () => string): Record<string, unknown> {
    const bearer = authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined;
    if (!bearer) return { ok: false, error: "not_authed" };
    if (!bearer.startsWith("xapp-")) return { ok: false, error: "not_allowed_token_type" };
    if (options.appToken !== undefined && bearer !== options.appToken)
      return { ok: false, error: "invalid_auth" };
    return { ok: true, url: nextUrl() };
  }

  function findChannel(args: Record<string, unknown>): FakeChannel | { error: string } {
    const channel = channels.get(String(args.channel ?? ""));
    if (!channel) return { error: "channel_not_found" };
    if (!channel.visible) return { error: channel.isPrivate ? "channel_not_found" : "not_in_channel" };
    return channel;
  }

  function postedMessage(args: Record<string, unknown>): FakeMessage | { error: string } {
    const channel = findChannel(args);
    if ("error" in channel) return channel;
    const found = channel.messages.find((m) => m.ts === String(args.ts ?? ""));
    return found ?? { error: "message_not_found" };
  }

  function renderMessage(message: FakeMessage, includeMetadata: boolean) {
    const out: Record<string, unknown> = { type: "message", ts: message.ts, text: message.text ?? "" };
    if (message.threadTs) out.thread_ts = message.threadTs;
    if (message.metadata) {
      out.metadata = includeMetadata ? message.metadata : { event_type: message.metadata.event_type };
    }
    return out;
  }

  function answer(
    method: string,
    args: Record<string, unknown>,
    receivedAt: number,
  ): Record<string, unknown> {
    if (method === "chat.postMessage" || method === "chat.update") {
      const refusal = messageRefusal(args);
      if (refusal !== undefined) return { ok: false, error: refusal };
    }
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://acme.slack.com/",
          team: "Acme",
          user: "wa",
          team_id: teamId,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
        };
      case "users.info": {
        const user = users.get(String(args.user));
        if (!user) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: user.teamId,
            name: user.name ?? user.id.toLowerCase(),
            is_admin: user.isAdmin ?? false,
            is_owner: user.isOwner ?? false,
          },
        };
      }
      case "conversations.history": {
        const channel = findChannel(args);
        if ("error" in channel) return { ok: false, ...channel };
        const latest = String(args.latest ?? "");
        const found = channel.messages.filter(
          (m) => m.ts === latest && (m.threadTs === undefined || m.threadTs === m.ts),
        );
        return {
          ok: true,
          messages: found
            .slice(0, 1)
            .map((m) =>
              renderMessage(m, args.include_all_metadata === "true" || args.include_all_metadata === true),
            ),
          has_more: false,
        };
      }
      case "conversations.replies": {
        const channel = findChannel(args);
        if ("error" in channel) return { ok: false, ...channel };
        const parentTs = String(args.ts ?? "");
        const parent = channel.messages.find((m) => m.ts === parentTs);
        if (!parent) return { ok: false, error: "thread_not_found" };
        const include = args.include_all_metadata === "true" || args.include_all_metadata === true;
        const thread = channel.messages.filter((m) => m.ts === parentTs || m.threadTs === parentTs);
        const latest = args.latest === undefined ? undefined : String(args.latest);
        const oldest = args.oldest === undefined ? undefined : String(args.oldest);
        const inRange = thread.filter(
          (m) =>
            m.ts === parentTs ||
            ((latest === undefined || m.ts <= latest) && (oldest === undefined || m.ts >= oldest)),
        );
        return { ok: true, messages: inRange.map((m) => renderMessage(m, include)), has_more: false };
      }
      case "chat.postMessage": {
        // A user id as the channel posts in the app's direct message with that user.
        const dmUser = users.get(String(args.channel ?? ""));
        if (dmUser) {
          messageCounter += 1;
          const ts = nextTs();
          const dm: FakeMessage = { ts, text: String(args.text ?? ""), updates: 0, reactions: new Map() };
          if (Array.isArray(args.blocks)) dm.blocks = args.blocks;
          directMessages.set(dmUser.id, [...(directMessages.get(dmUser.id) ?? []), dm]);
          notify();
          return { ok: true, channel: `D${dmUser.id.slice(1)}`, ts };
        }
        const channel = channels.get(String(args.channel ?? ""));
        if (!channel) return { ok: false, error: "channel_not_found" };
        if (!channel.visible) return { ok: false, error: "not_in_channel" };
        messageCounter += 1;
        const ts = nextTs();
        const posted: FakeMessage = {
          ts,
          text: String(args.text ?? ""),
          updates: 0,
          reactions: new Map(),
          requestedAt: receivedAt,
        };
        if (typeof args.thread_ts === "string") posted.threadTs = args.thread_ts;
        if (typeof args.username === "string") posted.username = args.username;
        if (Array.isArray(args.blocks)) posted.blocks = args.blocks;
        if (args.metadata && typeof args.metadata === "object")
          posted.metadata = args.metadata as FakeMessage["metadata"];
        channel.messages.push(posted);
        notify();
        return { ok: true, channel: channel.id, ts };
      }
      case "chat.update": {
        const found = postedMessage(args);
        if ("error" in found) return { ok: false, error: found.error };
        found.text = String(args.text ?? found.text ?? "");
        if (Array.isArray(args.blocks)) found.blocks = args.blocks;
        if (args.metadata && typeof args.metadata === "object")
          found.metadata = args.metadata as FakeMessage["metadata"];
        found.updates = (found.updates ?? 0) + 1;
        notify();
        return { ok: true, channel: args.channel, ts: found.ts };
      }
      case "chat.delete": {
        const channel = findChannel(args);
        if ("error" in channel) return { ok: false, ...channel };
        const index = channel.messages.findIndex((m) => m.ts === String(args.ts ?? ""));
        if (index === -1) return { ok: false, error: "message_not_found" };
        channel.messages.splice(index, 1);
        notify();
        return { ok: true, channel: channel.id, ts: args.ts };
      }
      case "reactions.add":
      case "reactions.remove": {
        const found = postedMessage({ channel: args.channel, ts: args.timestamp });
        if ("error" in found) return { ok: false, error: found.error };
        const name = String(args.name ?? "");
        if (NOT_EMOJI.has(name.split("::")[0] ?? "")) return { ok: false, error: "invalid_name" };
        found.reactions ??= new Map();
        const holders = found.reactions.get(name) ?? new Set<string>();
        if (method === "reactions.add") {
          if (holders.has(BOT_USER_ID)) return { ok: false, error: "already_reacted" };
          holders.add(BOT_USER_ID);
          found.reactions.set(name, holders);
        } else {
          if (!holders.delete(BOT_USER_ID)) return { ok: false, error: "no_reaction" };
          if (holders.size === 0) found.reactions.delete(name);
        }
        notify();
        return { ok: true };
      }
      case "chat.postEphemeral": {
        const channel = channels.get(String(args.channel ?? ""));
        if (!channel) return { ok: false, error: "channel_not_found" };
        messageCounter += 1;
        const ts = nextTs();
        const post: EphemeralPost = {
          channel: channel.id,
          user: String(args.user ?? ""),
          ts,
          text: String(args.text ?? ""),
          at: Date.now(),
        };
        if (typeof args.thread_ts === "string") post.threadTs = args.thread_ts;
        if (Array.isArray(args.blocks)) post.blocks = args.blocks;
        ephemerals.push(post);
        notify();
        return { ok: true, message_ts: ts };
      }
      case "views.open": {
        viewCounter += 1;
        const id = `V${String(viewCounter).padStart(9, "0")}`;
        const view = (args.view ?? {}) as Record<string, unknown>;
        const opened: FakeView = { id, view, closed: false };
        if (typeof args.trigger_id === "string") opened.triggerId = args.trigger_id;
        views.set(id, opened);
        notify();
        return { ok: true, view: { ...view, id, hash: `h${viewCounter}` } };
      }
      case "views.update": {
        const id = String(args.view_id ?? "");
        const existing = views.get(id);
        if (!existing || existing.closed) return { ok: false, error: "not_found" };
        existing.view = (args.view ?? {}) as Record<string, unknown>;
        notify();
        return { ok: true, view: { ...existing.view, id } };
      }
      case "views.push": {
        viewCounter += 1;
        const id = `V${String(viewCounter).padStart(9, "0")}`;
        views.set(id, { id, view: (args.view ?? {}) as Record<string, unknown>, closed: false });
        notify();
        return { ok: true, view: { id } };
      }
      case "views.publish": {
        homeViews.set(String(args.user_id), (args.view ?? {}) as Record<string, unknown>);
        notify();
        return { ok: true, view: { id: "VHOME" } };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  function waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = find();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Slack: timed out waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
    });
  }

  return {
    apiUrl: `${base}/api/`,
    calls,
    responses,
    views,
    homeViews,
    addUser: (user) => users.set(user.id, user),
    addChannel: (id, opts = {}) =>
      channels.set(id, {
        id,
        name: opts.name ?? id.toLowerCase(),
        visible: opts.visible ?? true,
        isPrivate: opts.isPrivate ?? false,
        messages: [],
      }),
    addMessage: (channelId, message) => {
      const channel = channels.get(channelId);
      if (!channel) throw new Error(`fake Slack: no channel ${channelId}`);
      channel.messages.push(message);
    },
    responseUrl: (id) => {
      responseCounter += 1;
      return `${base}/response/${id ?? `r${responseCounter}`}`;
    },
    failResponseUrl: (id, status) => failingResponseUrls.set(id, status),
    setFault: (method, fault) => faults.set(method, { ...fault, used: 0 }),
    clearFaults: () => {
      faults.clear();
      failingResponseUrls.clear();
    },
    closeView: (viewId) => {
      const view = views.get(viewId);
      if (view) view.closed = true;
      notify();
    },
    channelList: () => [...channels.values()].map(({ id, name }) => ({ id, name })),
    ephemerals,
    directMessagesTo: (userId) => [...(directMessages.get(userId) ?? [])],
    react: ({ channel, ts, user, name, on }) => {
      const found = postedMessage({ channel, ts });
      if ("error" in found) return found.error;
      if (NOT_EMOJI.has(name.split("::")[0] ?? "")) return "invalid_name";
      found.reactions ??= new Map();
      const holders = found.reactions.get(name) ?? new Set<string>();
      if (on) {
        if (holders.has(user)) return "already_reacted";
        holders.add(user);
        found.reactions.set(name, holders);
      } else {
        if (!holders.delete(user)) return "no_reaction";
        if (holders.size === 0) found.reactions.delete(name);
      }
      notify();
      return undefined;
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    messagesIn: (channelId) => [...(channels.get(channelId)?.messages ?? [])],
    limitPostsPerChannel: (perSecond) => {
      postsPerSecond = perSecond;
      recentPosts.clear();
    },
    get rateLimitedPosts() {
      return rateLimitedPosts;
    },
    waitForMessages: (channelId, count, timeoutMs = 10_000) =>
      waitFor(
        () => {
          const messages = channels.get(channelId)?.messages ?? [];
          return messages.length >= count ? [...messages] : undefined;
        },
        `${count} messages in ${channelId}`,
        timeoutMs,
      ),
    serveSocketMode: (nextUrl) => {
      socketModeUrl = nextUrl;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitForCall: (method, predicate = () => true, timeoutMs = 5000) =>
      waitFor(() => calls.find((c) => c.method === method && predicate(c)), `a ${method} call`, timeoutMs),
    waitForResponse: (predicate = () => true, timeoutMs = 5000) =>
      waitFor(() => responses.find(predicate), "a response_url post", timeoutMs),
    reset: () => {
      ephemerals.length = 0;
      calls.length = 0;
      responses.length = 0;
      views.clear();
      homeViews.clear();
      faults.clear();
      failingResponseUrls.clear();
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
