// The WhatsApp composer: who writes ("Writing as"), the reply or edit bar, the text box and the
// New poll button. Built once, so a draft survives every new state; drafts are kept per chat.
import { post } from "./api.js";
import { h, icon } from "./dom.js";
import { updateUi } from "./store.js";
import { summary } from "./whatsapp-message.js";

export function createWhatsAppComposer({ newPoll }) {
  const drafts = new Map();
  let chat;
  let writer;
  let reply;
  let editing;
  /** The "Writing as" options shown, to rebuild them only when they change. */
  let shownPeople;

  const bar = h("div", { class: "wa-bar", hidden: true });
  const text = h("textarea", {
    class: "wa-input",
    rows: 1,
    "aria-label": "Type a message",
    placeholder: "Type a message",
    onkeydown: (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send();
      } else if (event.key === "Escape" && (reply || editing)) {
        cancel();
      }
    },
    oninput: () => {
      if (!editing) drafts.set(chat?.jid, text.value);
      growToText();
    },
  });
  const writerSelect = h("select", {
    id: "wa-writer",
    class: "wa-writer-select",
    onchange: () =>
      updateUi((ui) => {
        ui.whatsapp.writers.set(chat.jid, writerSelect.value);
      }),
  });
  const root = h(
    "div",
    { class: "wa-composer" },
    bar,
    h(
      "div",
      { class: "wa-compose-row" },
      h(
        "button",
        {
          type: "button",
          class: "icon-button",
          "aria-label": "New poll",
          title: "New poll",
          onclick: () => newPoll(),
        },
        icon("poll"),
      ),
      text,
      h(
        "button",
        { type: "button", class: "icon-button wa-send", "aria-label": "Send", title: "Send", onclick: send },
        icon("send"),
      ),
    ),
    h("div", { class: "wa-writer" }, h("label", { for: "wa-writer" }, "Writing as"), writerSelect),
  );

  /** The box grows with its text, up to a few lines, as WhatsApp's does. */
  function growToText() {
    text.style.height = "auto";
    text.style.height = `${Math.min(text.scrollHeight, 120)}px`;
  }

  function cancel() {
    updateUi((ui) => {
      ui.whatsapp.reply = undefined;
      ui.whatsapp.editing = undefined;
    });
  }

  async function send() {
    const typed = text.value;
    if (typed.trim() === "" || chat === undefined) return;
    if (editing) {
      const answer = await post("/sandbox/whatsapp/edit", { chat: chat.jid, id: editing.id, text: typed });
      if (answer.ok) {
        text.value = "";
        cancel();
      }
      return;
    }
    const sentTo = chat.jid;
    text.value = "";
    drafts.delete(sentTo);
    growToText();
    const answer = await post("/sandbox/whatsapp/message", {
      chat: sentTo,
      from: writer,
      text: typed,
      ...(reply ? { replyTo: reply.id } : {}),
    });
    if (answer.ok) cancel();
    else if (text.value === "" && chat?.jid === sentTo) text.value = typed;
  }

  /**
   * `target`: the open chat; `people`: who may write there (members and the account); `writerJid`;
   * `own`: the page's WhatsApp state (reply, editing).
   */
  function update(target, people, writerJid, own) {
    if (target?.jid !== chat?.jid) {
      text.value = drafts.get(target?.jid) ?? "";
      growToText();
    }
    chat = target;
    root.hidden = target === undefined;
    if (!target) return;
    writer = writerJid;
    const options = JSON.stringify(people);
    if (shownPeople !== options) {
      shownPeople = options;
      writerSelect.replaceChildren(
        ...people.map((person) => h("option", { value: person.jid }, person.label)),
      );
    }
    writerSelect.value = writerJid;
    const replyTo =
      own.reply?.chat === target.jid ? target.messages.find((m) => m.id === own.reply.id) : undefined;
    const edit =
      own.editing?.chat === target.jid ? target.messages.find((m) => m.id === own.editing.id) : undefined;
    if (edit && edit.id !== editing?.id) {
      text.value = edit.text;
      growToText();
      text.focus();
    } else if (!edit && editing) {
      text.value = drafts.get(target.jid) ?? "";
      growToText();
    }
    if (replyTo && replyTo.id !== reply?.id) text.focus();
    reply = edit ? undefined : replyTo;
    editing = edit;
    showBar();
  }

  function showBar() {
    const shown = editing ?? reply;
    bar.hidden = shown === undefined;
    if (!shown) {
      bar.replaceChildren();
      return;
    }
    bar.replaceChildren(
      h(
        "div",
        { class: "wa-bar-quote" },
        h("span", { class: "wa-bar-title" }, editing ? "Edit message" : `Replying to ${shown.from.name}`),
        h("span", { class: "wa-bar-text" }, summary(shown)),
      ),
      h(
        "button",
        {
          type: "button",
          class: "icon-button",
          "aria-label": editing ? "Cancel edit" : "Cancel reply",
          onclick: cancel,
        },
        icon("close"),
      ),
    );
  }

  return { root, update };
}
