// The channel's message box. The sandbox's Slack has nobody in it but the person at the page and the
// app, so the box takes slash commands only: `/wa …` goes to the app; anything else gets a hint.
import { post } from "./api.js";
import { h, icon } from "./dom.js";

export function createSlackComposer() {
  const drafts = new Map();
  const history = [];
  let recalled = history.length;
  let channel;
  let command = "/wa";

  const input = h("input", {
    type: "text",
    class: "composer-input",
    autocomplete: "off",
    spellcheck: "false",
    onkeydown: keydown,
    oninput: () => {
      note.textContent = "";
      drafts.set(channel?.id, input.value);
    },
  });
  const send = h(
    "button",
    { type: "button", class: "icon-button composer-send", "aria-label": "Send command", onclick: submit },
    icon("send"),
  );
  const usage = h("div", { class: "composer-usage" });
  const note = h("div", { class: "composer-note", role: "status" });
  const root = h("div", { class: "composer" }, h("div", { class: "composer-box" }, input, send), usage, note);

  function keydown(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === "ArrowUp" && input.selectionStart === 0 && recalled > 0) {
      event.preventDefault();
      recalled -= 1;
      input.value = history[recalled];
    } else if (event.key === "ArrowDown" && recalled < history.length) {
      event.preventDefault();
      recalled += 1;
      input.value = history[recalled] ?? "";
    }
  }

  async function submit() {
    const text = input.value.trim();
    if (text === "" || channel === undefined) return;
    if (text !== command && !text.startsWith(`${command} `)) {
      const word = text.split(/\s/)[0];
      note.textContent = text.startsWith("/")
        ? `${word} isn't a command in this sandbox: only ${command} is. Try ${command} help.`
        : `Nobody else is in this Slack, so messages go nowhere: only ${command} commands work here. Try ${command} help.`;
      return;
    }
    history.push(text);
    recalled = history.length;
    input.value = "";
    drafts.delete(channel.id);
    const sentTo = channel.id;
    const answer = await post("/sandbox/slack/command", {
      channel: sentTo,
      text: text.slice(command.length).trim(),
    });
    // A refused command comes back to the box, as Slack leaves it there, unless something else was typed.
    if (!answer.ok && input.value === "" && channel?.id === sentTo) input.value = text;
  }

  /** `target`: the open channel ({ id, name }), or undefined where no command can be typed. */
  function update(target, app) {
    command = app.command;
    usage.replaceChildren(h("code", {}, app.command), ` ${app.commandHint}`);
    if (target?.id !== channel?.id) {
      channel = target;
      input.value = drafts.get(target?.id) ?? "";
      note.textContent = "";
    }
    root.hidden = target === undefined;
    if (target) {
      input.setAttribute("aria-label", `Message #${target.name}`);
      input.placeholder = `Message #${target.name} — try ${app.command} help`;
    }
  }

  /** Puts text into the box (a copied link, when the clipboard is not available). */
  function insert(text) {
    input.value = `${input.value}${input.value === "" || input.value.endsWith(" ") ? "" : " "}${text}`;
    input.focus();
  }

  return { root, update, insert };
}
