// One WhatsApp message as a bubble: the sender, the message it replies to, its text or poll, its
// reactions, and the hover tools (Reply, React, Edit, Delete, Vote) acting as the current writer.
import { post } from "./api.js";
import { colourFor, formatTime, h, icon } from "./dom.js";
import { updateUi } from "./store.js";
import { whatsAppText } from "./whatsapp-text.js";

/** WhatsApp's default quick reactions, in its order. */
const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

/** A one-line description of a message, for quotes, the chat list and the reply bar. */
export function summary(message) {
  if (message.deleted) return "🚫 This message was deleted";
  if (message.poll) return `📊 ${message.poll.question}`;
  return message.text.replace(/\s+/g, " ").trim();
}

function tool(name, iconName, onclick, extra = {}) {
  return h(
    "button",
    { type: "button", class: "icon-button wa-tool", "aria-label": name, title: name, onclick, ...extra },
    icon(iconName),
  );
}

function reactionPicker(message, context, anchor) {
  const react = (emoji) => {
    updateUi((ui) => {
      ui.whatsapp.menu = undefined;
    });
    post("/sandbox/whatsapp/reaction", { chat: context.chat, id: message.id, from: context.writer, emoji });
  };
  const picker = h(
    "div",
    { class: "popover wa-picker", role: "group", "aria-label": "Reactions to choose from" },
    h(
      "div",
      { class: "wa-picker-emoji" },
      QUICK_REACTIONS.map((emoji) =>
        h(
          "button",
          {
            type: "button",
            class: "emoji-choice",
            "aria-label": emoji,
            onclick: () => react(emoji),
          },
          h("span", { class: "emoji" }, emoji),
        ),
      ),
    ),
    h("button", { type: "button", class: "menu-item", onclick: () => react("") }, "Remove my reaction"),
  );
  picker.anchor = anchor;
  return picker;
}

function tools(message, context) {
  if (message.deleted) return [];
  const own = message.from.jid === context.writer;
  const pickerOpen = context.menu === message.id;
  const react = tool(
    "React",
    "smile",
    () =>
      updateUi((ui) => {
        ui.whatsapp.menu = pickerOpen ? undefined : message.id;
      }),
    { "aria-haspopup": "menu", "aria-expanded": String(pickerOpen), dataset: { menuTrigger: "" } },
  );
  return [
    h(
      "div",
      { class: "wa-tools" },
      tool("Reply", "reply", () => context.reply(message)),
      react,
      message.poll && tool("Vote", "poll", () => context.vote(message)),
      own && !message.poll && tool("Edit", "edit", () => context.edit(message)),
      own &&
        tool("Delete", "trash", () =>
          post("/sandbox/whatsapp/delete", { chat: context.chat, id: message.id }),
        ),
    ),
    pickerOpen && reactionPicker(message, context, react),
  ];
}

function quote(message, context) {
  const quoted = context.byId.get(message.quotedId);
  return h(
    "div",
    { class: "wa-quote", style: `--quote-colour:${quoted ? colourFor(quoted.from.jid) : "#8696a0"}` },
    h(
      "span",
      { class: "wa-quote-name" },
      quoted ? (quoted.fromMe ? "You" : quoted.from.name) : "Quoted message",
    ),
    h(
      "span",
      { class: "wa-quote-text" },
      quoted ? whatsAppText(summary(quoted)) : "This message isn't in the chat.",
    ),
  );
}

function poll(message, writerName) {
  const { question, options, selectableCount } = message.poll;
  const most = Math.max(1, ...options.map((option) => option.voters.length));
  return h(
    "div",
    { class: "wa-poll" },
    h("div", { class: "wa-poll-question" }, question),
    h("div", { class: "wa-poll-rule" }, selectableCount === 1 ? "Select one option" : "Select one or more"),
    h(
      "ul",
      { class: "wa-poll-options" },
      options.map((option) => {
        const mine = option.voters.includes(writerName);
        return h(
          "li",
          { class: "wa-poll-option" },
          h("span", {
            class: `wa-poll-mark${selectableCount === 1 ? " wa-poll-radio" : ""}${mine ? " wa-poll-marked" : ""}`,
            "aria-hidden": "true",
          }),
          h(
            "div",
            { class: "wa-poll-body" },
            h(
              "div",
              { class: "wa-poll-line" },
              h("span", { class: "wa-poll-name" }, option.name),
              h("span", { class: "wa-poll-count" }, String(option.voters.length)),
            ),
            h(
              "div",
              { class: "wa-poll-bar" },
              h("span", { style: `width:${(100 * option.voters.length) / most}%` }),
            ),
            option.voters.length > 0 && h("div", { class: "wa-poll-voters" }, option.voters.join(", ")),
          ),
        );
      }),
    ),
  );
}

function reactions(message) {
  if (message.deleted || message.reactions.length === 0) return undefined;
  const total = message.reactions.reduce((sum, reaction) => sum + reaction.by.length, 0);
  const who = message.reactions.map((reaction) => `${reaction.emoji} ${reaction.by.join(", ")}`).join(" · ");
  return h(
    "div",
    { class: "wa-reactions", role: "group", title: who, "aria-label": `Reactions: ${who}` },
    message.reactions.map((reaction) => h("span", { class: "emoji" }, reaction.emoji)),
    total > 1 && h("span", { class: "wa-reaction-count" }, String(total)),
  );
}

/**
 * `context`: { chat, writer (jid), writerName, byId (id → message), menu (the message id whose picker
 * is open), reply(message), edit(message), vote(message) }.
 */
export function whatsAppMessage(message, context) {
  const body = message.deleted
    ? h("div", { class: "wa-deleted" }, "🚫 This message was deleted")
    : message.poll
      ? poll(message, context.writerName)
      : h("div", { class: "wa-text" }, whatsAppText(message.text));
  const reacted = reactions(message);
  return h(
    "article",
    {
      class: `wa-msg ${message.fromMe ? "wa-out" : "wa-in"}${context.menu === message.id ? " wa-menu-open" : ""}${reacted ? " wa-has-reactions" : ""}`,
      "aria-label": `WhatsApp message from ${message.from.name}`,
      dataset: { id: message.id, key: `wa:${message.id}` },
    },
    h(
      "div",
      { class: "wa-bubble" },
      !message.fromMe &&
        h("div", { class: "wa-sender", style: `color:${colourFor(message.from.jid)}` }, message.from.name),
      message.quotedId && !message.deleted && quote(message, context),
      body,
      h(
        "div",
        { class: "wa-meta" },
        message.edited && !message.deleted && h("span", { class: "wa-edited" }, "edited"),
        h("time", { datetime: new Date(message.at).toISOString() }, formatTime(new Date(message.at))),
        message.fromMe && h("span", { class: "wa-ticks", "aria-hidden": "true" }, "✓✓"),
      ),
      reacted,
    ),
    tools(message, context),
  );
}
