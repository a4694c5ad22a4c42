// The open modal, drawn over the Slack pane as Slack draws it. Each view in the stack keeps its DOM
// until the view changes (another id, or views.update changed its JSON), so what the user typed survives
// every new state, and survives a pushed view being closed again.
import { post } from "./api.js";
import { ModalForm } from "./block-inputs.js";
import { renderBlocks } from "./block-kit.js";
import { h, icon } from "./dom.js";
import { plainText } from "./mrkdwn.js";

export function createModalLayer(layer) {
  /** view key → { root, form, buttons, pending } */
  const built = new Map();
  let shown;
  /** Where the focus was before the first modal opened; it goes back there when the last one closes. */
  let returnFocus;

  function update(modals) {
    const keys = modals.map((modal) => `${modal.id}\n${JSON.stringify(modal.view)}`);
    for (const key of built.keys()) if (!keys.includes(key)) built.delete(key);
    const top = modals[modals.length - 1];
    if (top === undefined) {
      if (shown === undefined) return;
      layer.replaceChildren();
      layer.hidden = true;
      shown = undefined;
      if (returnFocus?.isConnected) returnFocus.focus();
      return;
    }
    const key = keys[keys.length - 1];
    let entry = built.get(key);
    if (!entry) {
      entry = build(top);
      built.set(key, entry);
    }
    entry.modal = top;
    entry.form.setServerErrors(top.errors);
    refreshBusy(entry);
    if (shown !== key) {
      if (shown === undefined) returnFocus = document.activeElement;
      layer.replaceChildren(entry.root);
      layer.hidden = false;
      shown = key;
      focusFirst(entry);
    }
  }

  function refreshBusy(entry) {
    const busy = entry.pending || entry.modal.submitting === true;
    entry.form.setDisabled(busy);
    for (const button of entry.buttons) button.disabled = busy;
    entry.spinner.hidden = !busy;
    entry.dialog.setAttribute("aria-busy", String(busy));
  }

  function build(modal) {
    const view = modal.view ?? {};
    const viewId = modal.id;
    const title = plainText(view.title) || "Modal";
    const values = () => entry.form.values();
    const action = (fields) => post("/sandbox/slack/block-action", { viewId, ...fields, values: values() });
    const form = new ModalForm(action);
    const close = async () => {
      await post("/sandbox/slack/view-closed", { viewId });
    };
    const submit = async () => {
      if (!form.checkRequired()) return;
      entry.pending = true;
      refreshBusy(entry);
      await post("/sandbox/slack/view-submission", { viewId, values: values() });
      entry.pending = false;
      refreshBusy(entry);
    };
    const spinner = h("span", { class: "spinner", "aria-hidden": "true", hidden: true });
    const closeButton = h(
      "button",
      { type: "button", class: "button", onclick: close },
      plainText(view.close) || "Cancel",
    );
    const submitButton =
      view.submit &&
      h("button", { type: "submit", class: "button button-primary" }, spinner, plainText(view.submit));
    const dialog = h(
      "form",
      {
        class: "modal",
        role: "dialog",
        "aria-modal": "true",
        "aria-label": title,
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (submitButton && !submitButton.disabled) submit();
        },
        onkeydown: (event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            close();
          }
        },
      },
      h(
        "header",
        { class: "modal-header" },
        h("h2", { class: "modal-title" }, title),
        // The footer's close button carries the name; this × is the mouse's shortcut to it.
        h(
          "button",
          { type: "button", class: "icon-button", tabindex: "-1", "aria-hidden": "true", onclick: close },
          icon("close"),
        ),
      ),
      h("div", { class: "modal-body" }, renderBlocks(view.blocks, { form, onAction: action })),
      h("footer", { class: "modal-footer" }, closeButton, submitButton, !submitButton && spinner),
    );
    const entry = {
      root: h("div", { class: "modal-backdrop" }, dialog),
      dialog,
      form,
      spinner,
      buttons: [closeButton, submitButton].filter(Boolean),
      pending: false,
      modal,
    };
    return entry;
  }

  function focusFirst(entry) {
    const target =
      entry.dialog.querySelector(".modal-body input, .modal-body textarea, .modal-body select") ??
      entry.buttons[entry.buttons.length - 1];
    target?.focus();
  }

  return { update };
}
