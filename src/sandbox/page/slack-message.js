// One Slack message: who posted it, its blocks or mrkdwn, its reactions, its thread link, and the hover
// toolbar with the emoji picker and the ⋯ menu of message shortcuts.
import { post } from "./api.js";
import { renderBlocks } from "./block-kit.js";
import { colourFor, formatTime, h, icon, initials } from "./dom.js";
import { mrkdwn } from "./mrkdwn.js";
import { emojiFor } from "./names.js";
import { updateUi } from "./store.js";

/** The picker's choices: Slack's own frequently used ones. */
export const COMMON_EMOJI = ["+1", "heart", "joy", "tada", "eyes", "white_check_mark", "pray", "fire"];

export function slackDate(ts) {
  return new Date(Number(String(ts).split(".")[0]) * 1000);
}

export function topLevel(messages) {
  return messages.filter((message) => !message.threadTs || message.threadTs === message.ts);
}

export function repliesOf(messages, ts) {
  return messages.filter((message) => message.threadTs === ts && message.ts !== ts);
}

function emojiText(name) {
  return emojiFor(name) ?? `:${name}:`;
}

function avatar(message) {
  if (message.fromApp) {
    return h("div", { class: "msg-avatar msg-avatar-app", "aria-hidden": "true" }, icon("thread"));
  }
  return h(
    "div",
    { class: "msg-avatar", style: `background:${colourFor(message.author)}`, "aria-hidden": "true" },
    initials(message.author),
  );
}

function content(message, context) {
  if (Array.isArray(message.blocks) && message.blocks.length > 0) {
    return renderBlocks(message.blocks, {
      readOnly: context.channel === undefined,
      textOnly: context.asParent,
      onAction: (action) =>
        post("/sandbox/slack/block-action", { channel: context.channel, ts: message.ts, ...action }),
    });
  }
  return h("div", { class: "msg-text" }, mrkdwn(message.text ?? ""));
}

function reactionPill(message, reaction, context) {
  const by = reaction.by.length > 0 ? reaction.by.join(", ") : "Someone";
  return h(
    "button",
    {
      type: "button",
      class: reaction.mine ? "reaction reaction-mine" : "reaction",
      "aria-label": `${reaction.name} reaction, ${reaction.count}`,
      "aria-pressed": String(reaction.mine),
      title: `${by} reacted with :${reaction.name}:`,
      disabled: context.channel === undefined,
      onclick: () =>
        post("/sandbox/slack/reaction", {
          channel: context.channel,
          ts: message.ts,
          name: reaction.name,
          on: !reaction.mine,
        }),
    },
    h("span", { class: "emoji" }, emojiText(reaction.name)),
    h("span", { class: "reaction-count" }, String(reaction.count)),
  );
}

function isOpen(context, message, kind) {
  const menu = context.menu;
  return menu?.scope === context.scope && menu.ts === message.ts && menu.kind === kind;
}

function toggleMenu(context, message, kind) {
  updateUi((ui) => {
    ui.slack.menu = isOpen(context, message, kind)
      ? undefined
      : { scope: context.scope, ts: message.ts, kind };
  });
}

function closeMenu() {
  updateUi((ui) => {
    ui.slack.menu = undefined;
  });
}

function emojiPicker(message, context, anchor) {
  const mine = new Set(
    message.reactions.filter((reaction) => reaction.mine).map((reaction) => reaction.name),
  );
  const picker = h(
    "div",
    { class: "popover emoji-picker", role: "group", "aria-label": "Emoji" },
    COMMON_EMOJI.map((name) =>
      h(
        "button",
        {
          type: "button",
          class: "emoji-choice",
          "aria-label": name,
          title: `:${name}:`,
          onclick: () => {
            closeMenu();
            post("/sandbox/slack/reaction", {
              channel: context.channel,
              ts: message.ts,
              name,
              on: !mine.has(name),
            });
          },
        },
        h("span", { class: "emoji" }, emojiText(name)),
      ),
    ),
  );
  picker.anchor = anchor;
  return picker;
}

function moreMenu(message, context, anchor) {
  const shortcuts = context.shortcuts.map((shortcut) =>
    h(
      "button",
      {
        type: "button",
        role: "menuitem",
        class: "menu-item",
        "aria-label": shortcut.name,
        onclick: () => {
          closeMenu();
          post("/sandbox/slack/shortcut", {
            channel: context.channel,
            ts: message.ts,
            callbackId: shortcut.callbackId,
          });
        },
      },
      h("span", { class: "menu-item-name" }, shortcut.name),
      h("span", { class: "menu-item-app", "aria-hidden": "true" }, context.appName),
    ),
  );
  const menu = h(
    "div",
    { class: "popover menu", role: "menu", "aria-label": "More actions" },
    h(
      "button",
      {
        type: "button",
        role: "menuitem",
        class: "menu-item",
        onclick: () => {
          closeMenu();
          context.copyLink(message);
        },
      },
      "Copy link",
    ),
    shortcuts.length > 0 && h("div", { class: "menu-separator", role: "separator" }),
    shortcuts,
  );
  menu.anchor = anchor;
  return menu;
}

function toolbar(message, context) {
  const pickerOpen = isOpen(context, message, "emoji");
  const moreOpen = isOpen(context, message, "more");
  const add = h(
    "button",
    {
      type: "button",
      class: "icon-button",
      "aria-label": "Add reaction",
      title: "Add reaction",
      "aria-haspopup": "menu",
      "aria-expanded": String(pickerOpen),
      dataset: { menuTrigger: "" },
      onclick: () => toggleMenu(context, message, "emoji"),
    },
    icon("smile"),
  );
  const more = h(
    "button",
    {
      type: "button",
      class: "icon-button",
      "aria-label": "More actions",
      title: "More actions",
      "aria-haspopup": "menu",
      "aria-expanded": String(moreOpen),
      dataset: { menuTrigger: "" },
      onclick: () => toggleMenu(context, message, "more"),
    },
    icon("more"),
  );
  return [
    h("div", { class: "msg-toolbar" }, add, more),
    pickerOpen && emojiPicker(message, context, add),
    moreOpen && moreMenu(message, context, more),
  ];
}

/**
 * `context`: { channel (undefined in the app's read-only DMs), scope ("main" | "thread" | "dm"),
 * menu, shortcuts, appName, copyLink(message), openThread(ts), asParent (a thread's parent, shown again) }.
 */
export function slackMessage(message, context) {
  const interactive = context.channel !== undefined && !message.ephemeral && !context.asParent;
  const replies = context.scope === "main" ? message.replyCount : 0;
  const body = h(
    "div",
    { class: "msg-body" },
    message.ephemeral && h("div", { class: "msg-ephemeral-note" }, icon("eye"), "Only visible to you"),
    h(
      "div",
      { class: "msg-head" },
      h("span", { class: "msg-author" }, message.author),
      message.fromApp && h("span", { class: "badge" }, "APP"),
      h(
        "time",
        { class: "msg-time", datetime: slackDate(message.ts).toISOString() },
        formatTime(slackDate(message.ts)),
      ),
    ),
    content(message, context),
    message.reactions.length > 0 &&
      !context.asParent &&
      h(
        "div",
        { class: "reactions" },
        message.reactions.map((reaction) => reactionPill(message, reaction, context)),
      ),
    replies > 0 &&
      h(
        "button",
        { type: "button", class: "thread-link", onclick: () => context.openThread(message.ts) },
        replies === 1 ? "1 reply" : `${replies} replies`,
      ),
    message.ephemeral &&
      context.channel !== undefined &&
      h(
        "button",
        {
          type: "button",
          class: "link-button",
          onclick: () => post("/sandbox/slack/dismiss", { channel: context.channel, ts: message.ts }),
        },
        "Dismiss",
      ),
  );
  if (context.asParent) return h("div", { class: "msg msg-parent" }, avatar(message), body);
  const open = context.menu?.scope === context.scope && context.menu.ts === message.ts;
  return h(
    "article",
    {
      class: `msg${message.ephemeral ? " msg-ephemeral" : ""}${open ? " msg-menu-open" : ""}`,
      "aria-label": `Message from ${message.author}`,
      dataset: { ts: message.ts, key: `${context.scope}:${message.ts}` },
    },
    avatar(message),
    body,
    interactive && toolbar(message, context),
  );
}
