// The WhatsApp pane: the gateway's mode, the chat list, the open chat's bubbles and the composer,
// where the person at the page writes as any member of the chat or as the company's own account.
import { post } from "./api.js";
import { colourFor, formatDay, formatTime, h, initials, placePopover, replaceRegion } from "./dom.js";
import { updateUi } from "./store.js";
import { createWhatsAppComposer } from "./whatsapp-composer.js";
import { createWhatsAppDialogs } from "./whatsapp-dialogs.js";
import { summary, whatsAppMessage } from "./whatsapp-message.js";

export function createWhatsAppPane(section) {
  const gateway = h("div", { class: "gateway" });
  const banner = h("div", { class: "wa-banner", role: "status", hidden: true });
  const chats = h("nav", { class: "wa-chats", "aria-label": "Chats" });
  const chatHeader = h("header", { class: "wa-chat-header" });
  const messages = h("div", { class: "wa-messages" });
  const scroller = h("div", { class: "wa-scroll" }, messages);
  const dialogLayer = h("div", { class: "modal-layer", hidden: true });
  const dialogs = createWhatsAppDialogs(dialogLayer);
  let current;
  const composer = createWhatsAppComposer({
    newPoll: () => current && dialogs.openPoll(current.chat.jid, current.writer),
  });
  section.append(
    h("header", { class: "wa-topbar" }, h("span", { class: "wa-brand" }, "WhatsApp"), gateway),
    banner,
    h(
      "div",
      { class: "wa-body" },
      chats,
      h("div", { class: "wa-conversation" }, chatHeader, scroller, composer.root),
    ),
    dialogLayer,
  );
  const keys = new Map();

  function changed(region, key) {
    if (keys.get(region) === key) return false;
    keys.set(region, key);
    return true;
  }

  function render(state, ui) {
    const own = ui.whatsapp;
    const { account } = state.whatsapp;
    const chat = state.whatsapp.chats.find((c) => c.jid === own.chat) ?? state.whatsapp.chats[0];
    own.chat = chat?.jid;
    renderGateway(state.gateway);
    markSeen(state.whatsapp.chats, chat, own.seen);
    renderChatList(state.whatsapp.chats, chat, own.seen);
    if (!chat) {
      current = undefined;
      chatHeader.replaceChildren(h("span", { class: "wa-chat-title" }, "No chats yet"));
      messages.replaceChildren();
      composer.update(undefined);
      return;
    }
    const people = writers(chat, account);
    const chosen = own.writers.get(chat.jid);
    const writer =
      people.find((p) => p.jid === chosen) ?? people.find((p) => p.jid !== account.jid) ?? people[0];
    current = { chat, writer };
    renderChatHeader(chat, account);
    renderMessages(chat, writer, own);
    composer.update(chat, people, writer.jid, own);
    placeMenu();
  }

  /** The chat's members, then the company's own account (unless it is listed already). */
  function writers(chat, account) {
    const people = chat.members.map((member) => ({ jid: member.jid, name: member.name, label: member.name }));
    const accountEntry = { jid: account.jid, name: account.name, label: `${account.name} (this account)` };
    return [...people.filter((p) => p.jid !== account.jid), accountEntry];
  }

  function renderGateway(view) {
    const current = view.modes.find((m) => m.mode === view.mode);
    banner.hidden = view.mode === "normal";
    banner.textContent =
      current && view.mode !== "normal" ? `Gateway: ${current.label}. ${current.description}` : "";
    if (!changed(gateway, JSON.stringify(view))) return;
    gateway.replaceChildren(
      h("span", { class: "gateway-label", id: "gateway-label" }, "Gateway"),
      h(
        "div",
        { class: "segmented", role: "radiogroup", "aria-label": "Gateway" },
        view.modes.map((mode) =>
          h(
            "label",
            { class: "segment", title: mode.description },
            h("input", {
              type: "radio",
              name: "gateway-mode",
              value: mode.mode,
              checked: mode.mode === view.mode,
              onchange: () => setMode(mode.mode),
            }),
            h("span", {}, mode.label),
          ),
        ),
      ),
    );
  }

  async function setMode(mode) {
    const answer = await post("/sandbox/gateway/mode", { mode });
    if (!answer.ok) {
      // Back to the mode the sandbox is really in.
      keys.delete(gateway);
      updateUi(() => {});
    }
  }

  function markSeen(list, open, seen) {
    if (seen.size === 0) for (const chat of list) seen.set(chat.jid, chat.messages.length);
    if (open) seen.set(open.jid, open.messages.length);
  }

  function renderChatList(list, open, seen) {
    const rows = list.map((chat) => {
      const last = chat.messages.at(-1);
      return {
        chat,
        preview: last ? `${last.fromMe ? "You" : last.from.name}: ${summary(last)}` : "No messages yet",
        time: last ? formatTime(new Date(last.at)) : "",
        unread: chat.messages.length - (seen.get(chat.jid) ?? 0),
      };
    });
    const key = JSON.stringify([
      open?.jid,
      rows.map((r) => [r.chat.jid, r.chat.name, r.chat.linkedChannel, r.preview, r.time, r.unread]),
    ]);
    if (!changed(chats, key)) return;
    replaceRegion(
      chats,
      rows.map(({ chat, preview, time, unread }) =>
        h(
          "button",
          {
            type: "button",
            class: `wa-chat${chat.jid === open?.jid ? " wa-chat-open" : ""}`,
            "aria-label": chat.name,
            title: chat.name,
            "aria-current": chat.jid === open?.jid ? "true" : undefined,
            onclick: () =>
              updateUi((ui) => {
                ui.whatsapp.chat = chat.jid;
                ui.whatsapp.menu = undefined;
              }),
          },
          avatar(chat),
          h(
            "span",
            { class: "wa-chat-text" },
            h(
              "span",
              { class: "wa-chat-line" },
              h("span", { class: "wa-chat-name" }, chat.name),
              h("span", { class: "wa-chat-time" }, time),
            ),
            h(
              "span",
              { class: "wa-chat-line" },
              h("span", { class: "wa-chat-preview" }, preview),
              unread > 0 && h("span", { class: "wa-unread" }, String(unread)),
            ),
            chat.linkedChannel && h("span", { class: "wa-link-tag" }, `→ #${chat.linkedChannel}`),
          ),
        ),
      ),
    );
  }

  function avatar(chat) {
    return h(
      "span",
      { class: "wa-avatar", style: `background:${colourFor(chat.jid)}`, "aria-hidden": "true" },
      initials(chat.name),
    );
  }

  function renderChatHeader(chat, account) {
    const names = [...chat.members.filter((m) => m.jid !== account.jid).map((m) => m.name), "You"];
    if (!changed(chatHeader, JSON.stringify([chat.jid, chat.name, names, chat.linkedChannel]))) return;
    chatHeader.replaceChildren(
      avatar(chat),
      h(
        "div",
        { class: "wa-chat-heading" },
        h("h2", { class: "wa-chat-title" }, chat.name),
        h("span", { class: "wa-chat-members" }, names.join(", ")),
      ),
      chat.linkedChannel
        ? h(
            "span",
            { class: "wa-link-tag", title: "Mirrored into this Slack channel" },
            `→ #${chat.linkedChannel}`,
          )
        : h("span", { class: "wa-link-tag wa-not-linked" }, "not mirrored"),
    );
  }

  function renderMessages(chat, writer, own) {
    const menu = chat.messages.some((m) => m.id === own.menu) ? own.menu : undefined;
    const switched = keys.get("chat") !== chat.jid;
    keys.set("chat", chat.jid);
    if (!changed(messages, JSON.stringify([chat.jid, chat.messages, writer.jid, menu]))) return;
    const context = {
      chat: chat.jid,
      writer: writer.jid,
      writerName: writer.name,
      byId: new Map(chat.messages.map((m) => [m.id, m])),
      menu,
      reply: (message) =>
        updateUi((ui) => {
          ui.whatsapp.reply = { chat: chat.jid, id: message.id };
          ui.whatsapp.editing = undefined;
        }),
      edit: (message) =>
        updateUi((ui) => {
          ui.whatsapp.editing = { chat: chat.jid, id: message.id };
          ui.whatsapp.reply = undefined;
        }),
      vote: (message) => dialogs.openVote(chat.jid, message, writer),
    };
    const nodes = [];
    let day;
    for (const message of chat.messages) {
      const date = new Date(message.at);
      if (date.toDateString() !== day) {
        day = date.toDateString();
        nodes.push(h("div", { class: "wa-day", role: "separator" }, h("span", {}, formatDay(date))));
      }
      nodes.push(whatsAppMessage(message, context));
    }
    if (nodes.length === 0)
      nodes.push(h("p", { class: "wa-empty" }, "No messages yet. Pick who writes below and say hello."));
    replaceRegion(messages, nodes, scroller, { toBottom: switched });
  }

  let openedMenu;
  function placeMenu() {
    const popover = messages.querySelector(".popover");
    if (!popover) {
      openedMenu = undefined;
      return;
    }
    placePopover(popover, popover.anchor);
    const id = popover.closest("[data-key]")?.dataset.key;
    if (openedMenu !== id) {
      openedMenu = id;
      popover.querySelector("button")?.focus();
    }
  }

  return { render };
}
