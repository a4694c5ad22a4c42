// Slack as the page shows it, and what the person at the page does there, sent to the app exactly as
// Slack would send it: signed slash commands, shortcuts, block actions, view submissions and Events API
// callbacks, each with the response_url and trigger_id Slack would give. The app's Web API calls are
// answered by the Slack stand-in (slack/web-api.ts), whose channels, modals and Home tab this reads.
import { UserInputError } from "../errors.js";
import type {
  BlockKit,
  MessageShortcutView,
  ModalView,
  SlackChannelView,
  SlackMessageView,
  SlackReactionView,
  SlackView,
} from "./page-contract.js";
import { createSlackSender, type SlackResponse } from "./slack/signed-requests.js";
import type { FakeMessage, SlackStandIn } from "./slack/web-api.js";

/** The stand-in's bot user: who holds the reactions the app adds. */
const BOT_USER_ID = "UBOT000001";
const API_APP_ID = "A0SANDBOX1";

export interface SlackSideOptions {
  slack: SlackStandIn;
  appUrl: string;
  signingSecret: string;
  team: { id: string; name: string };
  me: { id: string; name: string };
  app: SlackView["app"];
  shortcuts: MessageShortcutView[];
  changed: () => void;
  note: (direction: string, text: string) => void;
}

/** An answer to the person only, from a command's acknowledgement or a response_url. */
interface LocalEphemeral {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks?: BlockKit[];
  at: number;
  /** The response_url it came through: a later `replace_original` or `delete_original` there acts on it. */
  responseId: string;
}

export interface SlackSide {
  view(linkedChats: ReadonlyMap<string, string>): SlackView;
  command(input: { channel: string; text: string }): Promise<void>;
  shortcut(input: { channel: string; ts: string; callbackId: string }): Promise<void>;
  blockAction(input: {
    channel?: string | undefined;
    ts?: string | undefined;
    viewId?: string | undefined;
    blockId: string;
    actionId: string;
    type: string;
    value?: string | undefined;
    selectedOption?: Record<string, unknown> | undefined;
    values?: Record<string, Record<string, unknown>> | undefined;
  }): Promise<void>;
  submitView(input: {
    viewId: string;
    values: Record<string, Record<string, unknown>>;
  }): Promise<string | undefined>;
  closeView(viewId: string): Promise<void>;
  react(input: { channel: string; ts: string; name: string; on: boolean }): Promise<void>;
  dismiss(input: { channel: string; ts: string }): void;
  openHome(): Promise<void>;
  close(): void;
}

export function createSlackSide(options: SlackSideOptions): SlackSide {
  const { slack, team, me } = options;
  const sender = createSlackSender(options.appUrl, options.signingSecret);
  const ephemerals: LocalEphemeral[] = [];
  const dismissed = new Set<string>();
  const errorsByView = new Map<string, Record<string, string>>();
  const submitting = new Set<string>();
  /** Which channel (and thread) a response_url belongs to. */
  const responseOrigins = new Map<string, { channel: string; threadTs?: string }>();
  let counter = 0;
  let eventCounter = 0;
  let responsesSeen = 0;

  const next = () => {
    counter += 1;
    return counter;
  };
  /** Answers only the person sees get a ts of their own kind (Slack gives ephemerals none you can act on). */
  const localTs = () => `${Math.floor(Date.now() / 1000)}.9${String(next()).padStart(5, "0")}`;
  const triggerId = () => `${Date.now()}.${next()}.sandbox`;

  function channelName(id: string): string {
    const found = slack.channelList().find((channel) => channel.id === id);
    if (!found) throw new UserInputError(`There is no channel ${id} in the sandbox.`);
    return found.name;
  }

  function newResponseUrl(channel: string, threadTs?: string): { id: string; url: string } {
    const id = `r${next()}`;
    responseOrigins.set(id, threadTs === undefined ? { channel } : { channel, threadTs });
    return { id, url: slack.responseUrl(id) };
  }

  function addEphemeral(entry: Omit<LocalEphemeral, "ts" | "at">): void {
    ephemerals.push({ ...entry, ts: localTs(), at: Date.now() });
  }

  /** What a response_url (or a command's acknowledgement) said, shown as Slack shows it. */
  function applyResponse(responseId: string, body: Record<string, unknown>): void {
    const origin = responseOrigins.get(responseId);
    if (!origin) return;
    const text = typeof body.text === "string" ? body.text : "";
    const blocks = Array.isArray(body.blocks) ? (body.blocks as BlockKit[]) : undefined;
    const earlier = ephemerals.filter((e) => e.responseId === responseId && !dismissed.has(e.ts)).at(-1);
    if (body.delete_original === true) {
      if (earlier) dismissed.add(earlier.ts);
      return;
    }
    if (body.response_type === "in_channel") {
      if (body.replace_original === true && earlier) dismissed.add(earlier.ts);
      const message: FakeMessage = {
        ts: localTs(),
        text,
        updates: 0,
        reactions: new Map(),
        requestedAt: Date.now(),
      };
      if (blocks) message.blocks = blocks;
      if (origin.threadTs) message.threadTs = origin.threadTs;
      slack.addMessage(origin.channel, message);
      return;
    }
    if (body.replace_original === true && earlier) {
      earlier.text = text;
      if (blocks) earlier.blocks = blocks;
      else delete earlier.blocks;
      return;
    }
    const entry: Omit<LocalEphemeral, "ts" | "at"> = { ...origin, text, responseId };
    if (blocks) entry.blocks = blocks;
    addEphemeral(entry);
  }

  const stopWatching = slack.subscribe(() => {
    const fresh = slack.responses.slice(responsesSeen);
    responsesSeen = slack.responses.length;
    for (const post of fresh) {
      options.note("app → slack", `response_url: ${summarize(post.body)}`);
      applyResponse(post.id, post.body);
    }
    options.changed();
  });

  function expectOk(res: SlackResponse, what: string): Record<string, unknown> | undefined {
    if (res.status !== 200) {
      throw new Error(
        `The app answered the ${what} with HTTP ${res.status}${res.body ? `: ${res.body}` : ""}.`,
      );
    }
    const body = res.json();
    return body && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
  }

  function messageIn(channel: string, ts: string): FakeMessage {
    const found = slack.messagesIn(channel).find((m) => m.ts === ts);
    if (!found) throw new UserInputError("That message is not in the channel (any more).");
    return found;
  }

  function openView(viewId: string) {
    const opened = slack.views.get(viewId);
    if (!opened || opened.closed) throw new UserInputError("That modal is closed.");
    return opened;
  }

  function viewPayload(id: string, view: BlockKit, values: Record<string, Record<string, unknown>>) {
    return { ...view, id, team_id: team.id, app_id: API_APP_ID, hash: `h${id}`, state: { values } };
  }

  function base() {
    return {
      token: "sandbox-verification-token",
      api_app_id: API_APP_ID,
      team: { id: team.id, domain: team.name.toLowerCase() },
      user: { id: me.id, username: me.name, name: me.name, team_id: team.id },
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  async function sendEvent(event: Record<string, unknown>): Promise<void> {
    eventCounter += 1;
    const res = await sender.eventCallback({
      teamId: team.id,
      appId: API_APP_ID,
      botUserId: BOT_USER_ID,
      eventId: `Ev0SANDBOX${String(eventCounter).padStart(6, "0")}`,
      event,
    });
    expectOk(res, `${String(event.type)} event`);
  }

  function messageView(message: FakeMessage, thread: FakeMessage[]): SlackMessageView {
    const view: SlackMessageView = {
      ts: message.ts,
      author: message.username ?? options.app.name,
      fromApp: true,
      text: message.text ?? "",
      updates: message.updates ?? 0,
      reactions: reactionsOf(message),
      ephemeral: false,
      replyCount: thread.filter((m) => m.threadTs === message.ts && m.ts !== message.ts).length,
    };
    if (message.threadTs && message.threadTs !== message.ts) view.threadTs = message.threadTs;
    if (message.blocks) view.blocks = message.blocks as BlockKit[];
    if (message.metadata) view.metadata = message.metadata;
    return view;
  }

  function reactionsOf(message: FakeMessage): SlackReactionView[] {
    return [...(message.reactions ?? new Map<string, Set<string>>())].map(([name, holders]) => ({
      name,
      count: holders.size,
      by: [...holders].map((user) =>
        user === BOT_USER_ID ? options.app.name : user === me.id ? me.name : user,
      ),
      mine: holders.has(me.id),
    }));
  }

  function ephemeralView(entry: {
    ts: string;
    threadTs?: string;
    text: string;
    blocks?: unknown[];
  }): SlackMessageView {
    const view: SlackMessageView = {
      ts: entry.ts,
      author: options.app.name,
      fromApp: true,
      text: entry.text,
      updates: 0,
      reactions: [],
      ephemeral: true,
      replyCount: 0,
    };
    if (entry.threadTs) view.threadTs = entry.threadTs;
    if (entry.blocks) view.blocks = entry.blocks as BlockKit[];
    return view;
  }

  function channelView(channel: { id: string; name: string }, topic: string | undefined): SlackChannelView {
    const posted = slack.messagesIn(channel.id);
    const timed: { at: number; order: number; view: SlackMessageView }[] = posted.map((m, order) => ({
      at: m.requestedAt ?? 0,
      order,
      view: messageView(m, posted),
    }));
    const mine = [
      ...ephemerals.filter((e) => e.channel === channel.id),
      ...slack.ephemerals.filter((e) => e.channel === channel.id && e.user === me.id),
    ];
    for (const entry of mine) {
      if (!dismissed.has(entry.ts))
        timed.push({ at: entry.at, order: timed.length, view: ephemeralView(entry) });
    }
    timed.sort((a, b) => a.at - b.at || a.order - b.order);
    const view: SlackChannelView = { id: channel.id, name: channel.name, messages: timed.map((t) => t.view) };
    if (topic !== undefined) view.topic = topic;
    return view;
  }

  return {
    view(linkedChats) {
      const modals: ModalView[] = [...slack.views.values()]
        .filter((opened) => !opened.closed)
        .map((opened) => ({
          id: opened.id,
          view: opened.view,
          errors: errorsByView.get(opened.id) ?? {},
          submitting: submitting.has(opened.id),
        }));
      const direct = slack.directMessagesTo(me.id);
      const view: SlackView = {
        team,
        me,
        app: options.app,
        shortcuts: options.shortcuts,
        channels: slack.channelList().map((channel) => channelView(channel, linkedChats.get(channel.id))),
        directMessages: direct.map((m) => messageView(m, direct)),
        modals,
      };
      const home = slack.homeViews.get(me.id);
      if (home) view.home = home;
      return view;
    },

    async command({ channel, text }) {
      const name = channelName(channel);
      const response = newResponseUrl(channel);
      options.note("slack → app", `${options.app.command} ${text} in #${name}`);
      const res = await sender.command({
        teamId: team.id,
        userId: me.id,
        channelId: channel,
        command: options.app.command,
        text,
        responseUrl: response.url,
        triggerId: triggerId(),
      });
      const ack = expectOk(res, "command");
      if (ack && (typeof ack.text === "string" || Array.isArray(ack.blocks))) applyResponse(response.id, ack);
      options.changed();
    },

    async shortcut({ channel, ts, callbackId }) {
      const message = messageIn(channel, ts);
      const response = newResponseUrl(channel, message.threadTs);
      const shown: Record<string, unknown> = {
        type: "message",
        ts: message.ts,
        text: message.text ?? "",
        bot_id: "BBOT000001",
        user: BOT_USER_ID,
      };
      if (message.threadTs) shown.thread_ts = message.threadTs;
      if (message.blocks) shown.blocks = message.blocks;
      if (message.metadata) shown.metadata = message.metadata;
      const name = options.shortcuts.find((s) => s.callbackId === callbackId)?.name ?? callbackId;
      options.note("slack → app", `shortcut “${name}” on a message in #${channelName(channel)}`);
      const res = await sender.interaction({
        ...base(),
        type: "message_action",
        action_ts: `${(Date.now() / 1000).toFixed(6)}`,
        callback_id: callbackId,
        trigger_id: triggerId(),
        response_url: response.url,
        channel: { id: channel, name: channelName(channel) },
        message_ts: ts,
        message: shown,
      });
      expectOk(res, "shortcut");
      options.changed();
    },

    async blockAction(input) {
      const action: Record<string, unknown> = {
        type: input.type,
        action_id: input.actionId,
        block_id: input.blockId,
        action_ts: `${(Date.now() / 1000).toFixed(6)}`,
      };
      if (input.value !== undefined) action.value = input.value;
      if (input.selectedOption !== undefined) action.selected_option = input.selectedOption;
      const values = input.values ?? {};
      const payload: Record<string, unknown> = {
        ...base(),
        type: "block_actions",
        trigger_id: triggerId(),
        actions: [action],
        state: { values },
      };
      if (input.viewId !== undefined) {
        const opened = openView(input.viewId);
        payload.container = { type: "view", view_id: opened.id };
        payload.view = viewPayload(opened.id, opened.view, values);
      } else if (input.channel !== undefined && input.ts !== undefined) {
        const message = messageIn(input.channel, input.ts);
        const response = newResponseUrl(input.channel, message.threadTs);
        payload.container = {
          type: "message",
          message_ts: message.ts,
          channel_id: input.channel,
          is_ephemeral: false,
        };
        payload.channel = { id: input.channel, name: channelName(input.channel) };
        payload.message = {
          type: "message",
          ts: message.ts,
          text: message.text ?? "",
          blocks: message.blocks ?? [],
        };
        payload.response_url = response.url;
      } else {
        // The Home tab: a view the person has open, published with views.publish.
        const home = slack.homeViews.get(me.id);
        if (!home) throw new UserInputError("The app has not published its Home tab yet.");
        payload.container = { type: "view", view_id: "VHOME" };
        payload.view = viewPayload("VHOME", home, values);
      }
      options.note("slack → app", `clicked ${input.actionId}`);
      expectOk(await sender.interaction(payload), "click");
      options.changed();
    },

    async submitView({ viewId, values }) {
      const opened = openView(viewId);
      submitting.add(viewId);
      errorsByView.delete(viewId);
      options.changed();
      let answer: Record<string, unknown> | undefined;
      try {
        options.note("slack → app", `submitted “${titleOf(opened.view)}”`);
        const res = await sender.interaction({
          ...base(),
          type: "view_submission",
          trigger_id: triggerId(),
          view: viewPayload(opened.id, opened.view, values),
          response_urls: [],
        });
        answer = expectOk(res, "submission");
      } finally {
        submitting.delete(viewId);
      }
      const action = typeof answer?.response_action === "string" ? answer.response_action : undefined;
      if (action === "errors") {
        errorsByView.set(viewId, (answer?.errors ?? {}) as Record<string, string>);
      } else if (action === "update" && answer?.view) {
        opened.view = answer.view as BlockKit;
      } else if (action === "push" && answer?.view) {
        const id = `V0SANDBOX${String(next()).padStart(6, "0")}`;
        slack.views.set(id, { id, view: answer.view as BlockKit, closed: false });
      } else if (action === "clear") {
        for (const view of slack.views.values()) view.closed = true;
      } else {
        slack.closeView(viewId);
      }
      options.changed();
      return action;
    },

    async closeView(viewId) {
      const opened = openView(viewId);
      slack.closeView(viewId);
      if (opened.view.notify_on_close === true) {
        options.note("slack → app", `closed “${titleOf(opened.view)}”`);
        const res = await sender.interaction({
          ...base(),
          type: "view_closed",
          view: viewPayload(opened.id, opened.view, {}),
          is_cleared: false,
        });
        expectOk(res, "closed modal");
      }
      options.changed();
    },

    async react({ channel, ts, name, on }) {
      const refused = slack.react({ channel, ts, user: me.id, name, on });
      if (refused) throw new UserInputError(`Slack refused the reaction: ${refused}.`);
      options.changed();
      options.note("slack → app", `${on ? "reaction_added" : "reaction_removed"} :${name}:`);
      await sendEvent({
        type: on ? "reaction_added" : "reaction_removed",
        user: me.id,
        reaction: name,
        item_user: BOT_USER_ID,
        item: { type: "message", channel, ts },
      });
    },

    dismiss({ ts }) {
      dismissed.add(ts);
      options.changed();
    },

    async openHome() {
      options.note("slack → app", "app_home_opened");
      await sendEvent({ type: "app_home_opened", user: me.id, channel: `D${me.id.slice(1)}`, tab: "home" });
    },

    close() {
      stopWatching();
    },
  };
}

function titleOf(view: BlockKit): string {
  const title = view.title as { text?: unknown } | undefined;
  return typeof title?.text === "string" ? title.text : "modal";
}

function summarize(body: Record<string, unknown>): string {
  const text = typeof body.text === "string" ? body.text : body.delete_original === true ? "(delete)" : "";
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
