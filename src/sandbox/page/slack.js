// The Slack pane: the sidebar, the open channel (or the app's DMs, or its Home tab), the thread
// panel and the modal layer. Each region is rebuilt only when what it shows changed.
import { post, showNote } from "./api.js";
import { renderBlocks } from "./block-kit.js";
import { formatDay, h, icon, placePopover, replaceRegion } from "./dom.js";
import { createSlackComposer } from "./slack-composer.js";
import { repliesOf, slackDate, slackMessage, topLevel } from "./slack-message.js";
import { createModalLayer } from "./slack-modal.js";
import { updateUi } from "./store.js";

export function createSlackPane(section) {
  const sidebar = h("nav", { class: "slack-sidebar", "aria-label": "Channels" });
  const header = h("header", { class: "channel-header" });
  const messages = h("div", { class: "slack-messages" });
  const scroller = h("div", { class: "slack-scroll" }, messages);
  const composer = createSlackComposer();
  const thread = h("aside", { class: "thread", role: "complementary", "aria-label": "Thread", hidden: true });
  const modalLayer = h("div", { class: "modal-layer", hidden: true });
  section.append(
    sidebar,
    h("div", { class: "slack-main" }, header, scroller, composer.root),
    thread,
    modalLayer,
  );
  const modals = createModalLayer(modalLayer);
  const keys = new Map();
  let openedMenu;

  /** Rebuilds a region when its key changed; true when it did. */
  function changed(region, key) {
    if (keys.get(region) === key) return false;
    keys.set(region, key);
    return true;
  }

  function render(state, ui) {
    const slack = state.slack;
    const view = currentView(slack, ui.slack);
    const channel = view.kind === "channel" ? slack.channels.find((c) => c.id === view.id) : undefined;
    markSeen(slack, view, ui.slack.seen);
    renderSidebar(slack, view, ui.slack.seen);
    renderHeader(slack, view, channel);
    renderMessages(slack, view, channel, ui.slack);
    renderThread(slack, ui.slack);
    composer.update(channel && { id: channel.id, name: channel.name }, slack.app);
    modals.update(slack.modals);
    placeMenus();
  }

  function currentView(slack, own) {
    const view = own.view;
    if (view?.kind === "channel" && slack.channels.some((c) => c.id === view.id)) return view;
    if (view?.kind === "home" && slack.home) return view;
    if (view?.kind === "dm") return view;
    const first = slack.channels[0];
    own.view = first ? { kind: "channel", id: first.id } : slack.home ? { kind: "home" } : { kind: "dm" };
    return own.view;
  }

  /** What each list held when last looked at; a list with more since then shows as unread. */
  function markSeen(slack, view, seen) {
    if (seen.size === 0) {
      for (const channel of slack.channels) seen.set(channel.id, topLevel(channel.messages).length);
      seen.set("dm", slack.directMessages.length);
    }
    if (view.kind === "channel") {
      const channel = slack.channels.find((c) => c.id === view.id);
      seen.set(view.id, topLevel(channel?.messages ?? []).length);
    }
    if (view.kind === "dm") seen.set("dm", slack.directMessages.length);
  }

  function renderSidebar(slack, view, seen) {
    const entries = slack.channels.map((channel) => ({
      key: channel.id,
      label: `#${channel.name}`,
      shown: h("span", { class: "sidebar-name" }, h("span", { class: "sidebar-hash" }, "#"), channel.name),
      unread: topLevel(channel.messages).length - (seen.get(channel.id) ?? 0),
      selected: view.kind === "channel" && view.id === channel.id,
      open: { kind: "channel", id: channel.id },
    }));
    const dm = {
      key: "dm",
      label: `${slack.app.name} (app)`,
      shown: h(
        "span",
        { class: "sidebar-name" },
        h("span", { class: "sidebar-dm-dot" }),
        slack.app.name,
        h("span", { class: "sidebar-app" }, "app"),
      ),
      unread: slack.directMessages.length - (seen.get("dm") ?? 0),
      selected: view.kind === "dm",
      open: { kind: "dm" },
    };
    const key = JSON.stringify([
      slack.team.name,
      Boolean(slack.home),
      view,
      entries.map((e) => [e.key, e.label, e.unread]),
      dm.label,
      dm.unread,
    ]);
    if (!changed(sidebar, key)) return;
    const entry = (item) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: `sidebar-item${item.selected ? " sidebar-selected" : ""}${item.unread > 0 ? " sidebar-unread" : ""}`,
            "aria-label": item.label,
            "aria-current": item.selected ? "page" : undefined,
            onclick: () => open(item.open),
          },
          item.shown,
          item.unread > 0 &&
            h("span", { class: "sidebar-badge", "aria-hidden": "true" }, String(item.unread)),
        ),
      );
    replaceRegion(sidebar, [
      h("div", { class: "workspace-name" }, slack.team.name),
      slack.home &&
        h(
          "button",
          {
            type: "button",
            class: `sidebar-item sidebar-home${view.kind === "home" ? " sidebar-selected" : ""}`,
            "aria-current": view.kind === "home" ? "page" : undefined,
            onclick: () => {
              open({ kind: "home" });
              // As Slack does on opening the tab: the app then publishes it afresh.
              post("/sandbox/slack/home-opened", {});
            },
          },
          icon("home"),
          h("span", { class: "sidebar-name" }, "Home"),
        ),
      h("h2", { class: "sidebar-heading" }, "Channels"),
      h("ul", { class: "sidebar-list" }, entries.map(entry)),
      h("h2", { class: "sidebar-heading" }, "Direct messages"),
      h("ul", { class: "sidebar-list" }, entry(dm)),
    ]);
  }

  function open(view) {
    updateUi((ui) => {
      ui.slack.view = view;
      ui.slack.menu = undefined;
      if (view.kind !== "channel" || ui.slack.thread?.channel !== view.id) ui.slack.thread = undefined;
    });
  }

  function renderHeader(slack, view, channel) {
    const key = JSON.stringify([view, channel?.name, channel?.topic, slack.app.name]);
    if (!changed(header, key)) return;
    const title =
      view.kind === "home"
        ? [h("h1", { class: "channel-name" }, slack.app.name), h("span", { class: "channel-topic" }, "Home")]
        : view.kind === "dm"
          ? [
              h("h1", { class: "channel-name" }, slack.app.name, h("span", { class: "badge" }, "APP")),
              h(
                "span",
                { class: "channel-topic" },
                "The app's messages to you. Its Messages tab is read-only.",
              ),
            ]
          : [
              h("h1", { class: "channel-name" }, `#${channel.name}`),
              h(
                "span",
                { class: "channel-topic" },
                channel.topic
                  ? `Mirrors the WhatsApp chat “${channel.topic}”`
                  : `Not linked yet: ${slack.app.command} link mirrors a WhatsApp chat here`,
              ),
            ];
    header.replaceChildren(...title);
  }

  function messageContext(slack, own, scope, channelId) {
    return {
      channel: channelId,
      scope,
      menu: own.menu,
      shortcuts: slack.shortcuts,
      appName: slack.app.name,
      copyLink: (message) => copyLink(slack, channelId, message),
      openThread: (ts) =>
        updateUi((ui) => {
          ui.slack.thread = { channel: channelId, ts };
          ui.slack.menu = undefined;
        }),
    };
  }

  function renderMessages(slack, view, channel, own) {
    const list =
      view.kind === "channel" ? topLevel(channel.messages) : view.kind === "dm" ? slack.directMessages : [];
    const menu = own.menu?.scope === "main" ? own.menu : undefined;
    const key = JSON.stringify([
      view,
      list,
      view.kind === "home" ? slack.home : undefined,
      menu,
      slack.shortcuts,
    ]);
    const switched = keys.get("view") !== JSON.stringify(view);
    keys.set("view", JSON.stringify(view));
    if (!changed(messages, key)) return;
    if (view.kind === "home") {
      const home = slack.home;
      replaceRegion(
        messages,
        [
          h(
            "div",
            { class: "home" },
            renderBlocks(home.blocks, {
              onAction: (action) =>
                post("/sandbox/slack/block-action", {
                  ...(typeof home.id === "string" ? { viewId: home.id } : {}),
                  ...action,
                }),
            }),
          ),
        ],
        scroller,
      );
      if (switched) scroller.scrollTop = 0;
      return;
    }
    const context = messageContext(slack, own, view.kind === "dm" ? "dm" : "main", channel?.id);
    const nodes = withDays(list, (message) => slackMessage(message, context));
    if (nodes.length === 0) nodes.push(emptyChannel(slack, view, channel));
    replaceRegion(messages, nodes, scroller, { toBottom: switched });
  }

  function emptyChannel(slack, view, channel) {
    if (view.kind === "dm") return h("p", { class: "empty" }, `${slack.app.name} hasn't written to you yet.`);
    return h(
      "div",
      { class: "empty" },
      h("p", { class: "empty-title" }, `This is the very beginning of #${channel.name}`),
      h(
        "p",
        {},
        "Type ",
        h("code", {}, `${slack.app.command} link`),
        " below to mirror a WhatsApp chat here.",
      ),
    );
  }

  function renderThread(slack, own) {
    const open = own.thread;
    const channel = open && slack.channels.find((c) => c.id === open.channel);
    const parent = channel?.messages.find((m) => m.ts === open.ts);
    if (!parent) {
      if (open) own.thread = undefined;
      thread.hidden = true;
      keys.delete(thread);
      return;
    }
    const replies = repliesOf(channel.messages, parent.ts);
    const menu = own.menu?.scope === "thread" ? own.menu : undefined;
    const firstShow = thread.hidden || keys.get("thread-ts") !== parent.ts;
    keys.set("thread-ts", parent.ts);
    thread.hidden = false;
    if (!changed(thread, JSON.stringify([parent, replies, menu, slack.shortcuts]))) return;
    const context = messageContext(slack, own, "thread", channel.id);
    const count = replies.length === 1 ? "1 reply" : `${replies.length} replies`;
    const list = h(
      "div",
      { class: "thread-list" },
      slackMessage(parent, { ...context, asParent: true }),
      h("div", { class: "thread-count" }, h("span", {}, count)),
      replies.map((reply) => slackMessage(reply, context)),
    );
    const previous = thread.querySelector(".thread-list");
    const scrollTop = previous?.scrollTop ?? 0;
    const atBottom = previous
      ? previous.scrollHeight - previous.scrollTop - previous.clientHeight < 48
      : true;
    replaceRegion(thread, [
      h(
        "header",
        { class: "thread-header" },
        h(
          "h2",
          { class: "thread-title" },
          "Thread",
          h("span", { class: "thread-channel" }, `#${channel.name}`),
        ),
        h(
          "button",
          {
            type: "button",
            class: "icon-button",
            "aria-label": "Close thread",
            onclick: () =>
              updateUi((ui) => {
                ui.slack.thread = undefined;
              }),
          },
          icon("close"),
        ),
      ),
      list,
    ]);
    list.scrollTop = firstShow || atBottom ? list.scrollHeight : scrollTop;
  }

  /** Popovers open after a render: beside their button, the first item focused when newly opened. */
  function placeMenus() {
    const popover = section.querySelector(".popover");
    if (!popover) {
      openedMenu = undefined;
      return;
    }
    placePopover(popover, popover.anchor);
    const id = `${popover.closest("[data-key]")?.dataset.key}:${popover.getAttribute("aria-label")}`;
    if (openedMenu !== id) {
      openedMenu = id;
      popover.querySelector("button")?.focus();
    }
  }

  async function copyLink(slack, channelId, message) {
    const domain =
      slack.team.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "") || "sandbox";
    const thread =
      message.threadTs && message.threadTs !== message.ts
        ? `?thread_ts=${message.threadTs}&cid=${channelId}`
        : "";
    const link = `https://${domain}.slack.com/archives/${channelId}/p${message.ts.replace(".", "")}${thread}`;
    try {
      await navigator.clipboard.writeText(link);
      showNote("Link copied. Paste it into a /wa command.");
    } catch {
      composer.insert(link);
      showNote("The clipboard isn't available here: the link went into the message box.");
    }
  }

  return { render };
}

/** Messages with a day separator wherever the day changes, as Slack shows them. */
function withDays(list, render) {
  const nodes = [];
  let day;
  for (const message of list) {
    const date = slackDate(message.ts);
    if (date.toDateString() !== day) {
      day = date.toDateString();
      nodes.push(h("div", { class: "day-divider", role: "separator" }, h("span", {}, formatDay(date))));
    }
    nodes.push(render(message));
  }
  return nodes;
}
