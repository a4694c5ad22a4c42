// The WhatsApp pane's two forms: voting in a poll and starting one. Each is built when opened and kept
// until closed, so new states never reset what is being filled in.
import { post } from "./api.js";
import { h } from "./dom.js";

const MAX_OPTIONS = 12;

export function createWhatsAppDialogs(layer) {
  let returnFocus;

  function show(dialog) {
    returnFocus = document.activeElement;
    layer.replaceChildren(h("div", { class: "modal-backdrop" }, dialog));
    layer.hidden = false;
    dialog.querySelector("input, button")?.focus();
  }

  function close() {
    layer.replaceChildren();
    layer.hidden = true;
    if (returnFocus?.isConnected) returnFocus.focus();
  }

  function dialog(label, onsubmit, ...children) {
    return h(
      "form",
      {
        class: "modal wa-dialog",
        role: "dialog",
        "aria-modal": "true",
        "aria-label": label,
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          onsubmit();
        },
        onkeydown: (event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            close();
          }
        },
      },
      ...children,
    );
  }

  /** Votes in `message`'s poll as `writer` ({ jid, name }); an empty selection takes the vote back. */
  function openVote(chat, message, writer) {
    const { question, options, selectableCount } = message.poll;
    const single = selectableCount === 1;
    const inputs = options.map((option) =>
      h("input", {
        type: single ? "radio" : "checkbox",
        name: "wa-vote",
        value: option.name,
        checked: option.voters.includes(writer.name),
      }),
    );
    const submit = async () => {
      const chosen = options.filter((_, index) => inputs[index].checked).map((option) => option.name);
      const answer = await post("/sandbox/whatsapp/vote", {
        chat,
        id: message.id,
        from: writer.jid,
        options: chosen,
      });
      if (answer.ok) close();
    };
    show(
      dialog(
        `Vote: ${question}`,
        submit,
        h("header", { class: "modal-header" }, h("h2", { class: "modal-title" }, question)),
        h(
          "div",
          { class: "modal-body" },
          h(
            "p",
            { class: "wa-dialog-note" },
            `Voting as ${writer.name} · ${single ? "Select one option" : "Select one or more"}`,
          ),
          h(
            "div",
            { class: "bk-choices", role: single ? "radiogroup" : "group", "aria-label": question },
            options.map((option, index) =>
              h(
                "label",
                { class: "bk-choice" },
                inputs[index],
                h("span", { class: "bk-choice-text" }, option.name),
                h("span", { class: "wa-vote-count", "aria-hidden": "true" }, String(option.voters.length)),
              ),
            ),
          ),
          h("p", { class: "wa-dialog-note" }, "Vote with nothing selected to take your vote back."),
        ),
        h(
          "footer",
          { class: "modal-footer" },
          h(
            "button",
            {
              type: "button",
              class: "button button-quiet",
              onclick: () => {
                for (const input of inputs) input.checked = false;
              },
            },
            "Clear selection",
          ),
          h("button", { type: "button", class: "button", onclick: close }, "Cancel"),
          h("button", { type: "submit", class: "button button-whatsapp" }, "Vote"),
        ),
      ),
    );
  }

  /** Starts a poll in `chat` as `writer`: a question, 2 to 12 options, one or many answers. */
  function openPoll(chat, writer) {
    const question = h("input", {
      id: "wa-poll-question",
      class: "bk-text-input",
      maxlength: 255,
      autocomplete: "off",
    });
    const optionList = h("div", { class: "wa-poll-fields" });
    const multiple = h("input", { type: "checkbox", id: "wa-poll-multiple" });
    const error = h("p", { class: "form-error", "aria-live": "polite" });
    const add = h(
      "button",
      { type: "button", class: "button button-quiet", onclick: () => addOption(true) },
      "Add option",
    );

    function fields() {
      return [...optionList.querySelectorAll("input")];
    }

    function renumber() {
      fields().forEach((input, index) => {
        input.setAttribute("aria-label", `Option ${index + 1}`);
        input.placeholder = `Option ${index + 1}`;
        input.nextElementSibling.hidden = fields().length <= 2;
      });
      add.disabled = fields().length >= MAX_OPTIONS;
    }

    function addOption(focus) {
      if (fields().length >= MAX_OPTIONS) return;
      const input = h("input", {
        class: "bk-text-input",
        maxlength: 100,
        autocomplete: "off",
        // As in WhatsApp, typing in the last option offers the next one.
        oninput: () => {
          if (input === fields().at(-1) && input.value !== "") addOption(false);
        },
      });
      const row = h(
        "div",
        { class: "wa-poll-field" },
        input,
        h(
          "button",
          {
            type: "button",
            class: "icon-button",
            // Not "Remove option 2": a label search for "Option 2" would find the button too.
            "aria-label": "Remove this option",
            onclick: () => {
              row.remove();
              renumber();
            },
          },
          "×",
        ),
      );
      optionList.append(row);
      renumber();
      if (focus) input.focus();
    }

    const submit = async () => {
      const options = fields()
        .map((input) => input.value.trim())
        .filter((option) => option !== "");
      const problem =
        question.value.trim() === ""
          ? "Write the poll's question."
          : options.length < 2
            ? "Give at least two options."
            : new Set(options).size !== options.length
              ? "Each option must be different."
              : undefined;
      error.textContent = problem ?? "";
      if (problem) return;
      const answer = await post("/sandbox/whatsapp/poll", {
        chat,
        from: writer.jid,
        question: question.value.trim(),
        options,
        selectableCount: multiple.checked ? 0 : 1,
      });
      if (answer.ok) close();
    };

    addOption(false);
    addOption(false);
    show(
      dialog(
        "New poll",
        submit,
        h("header", { class: "modal-header" }, h("h2", { class: "modal-title" }, "New poll")),
        h(
          "div",
          { class: "modal-body" },
          h("p", { class: "wa-dialog-note" }, `Sending as ${writer.name}`),
          h(
            "div",
            { class: "bk-input" },
            h("label", { class: "bk-label", for: "wa-poll-question" }, "Question"),
            question,
          ),
          h("div", { class: "bk-input" }, h("span", { class: "bk-label" }, "Options"), optionList, add),
          h(
            "label",
            { class: "bk-choice" },
            multiple,
            h("span", { class: "bk-choice-text" }, "Multiple answers"),
          ),
          error,
        ),
        h(
          "footer",
          { class: "modal-footer" },
          h("button", { type: "button", class: "button", onclick: close }, "Cancel"),
          h("button", { type: "submit", class: "button button-whatsapp" }, "Send poll"),
        ),
      ),
    );
  }

  return { openVote, openPoll };
}
