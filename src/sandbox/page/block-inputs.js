// A modal's input blocks, and reading them back as Slack's `view.state.values`
// (block_id → action_id → { type, value | selected_option | selected_options }).
import { h } from "./dom.js";
import { plainText, textObject } from "./mrkdwn.js";

let nextId = 0;

function uniqueId(kind) {
  nextId += 1;
  return `bk-${kind}-${nextId}`;
}

function options(element) {
  if (Array.isArray(element.options)) return element.options;
  if (Array.isArray(element.option_groups))
    return element.option_groups.flatMap((group) => group.options ?? []);
  return [];
}

function sameOption(a, b) {
  return a != null && b != null && a.value === b.value;
}

/** The inputs of one modal view; built once per view, so what the user typed stays until the view changes. */
export class ModalForm {
  /** `onDispatch(action)`: a select of an input block with `dispatch_action` changed. */
  constructor(onDispatch) {
    this.onDispatch = onDispatch;
    this.fields = [];
    this.localErrors = new Map();
    this.serverErrors = {};
  }

  /** `view.state.values`; an element without an action_id is not in it, as in Slack. */
  values() {
    const values = {};
    for (const field of this.fields) {
      if (field.actionId === undefined) continue;
      values[field.blockId] ??= {};
      values[field.blockId][field.actionId] = field.read();
    }
    return values;
  }

  /** Slack's own check before a submission: required inputs must be filled. True when all are. */
  checkRequired() {
    this.localErrors.clear();
    for (const field of this.fields) {
      if (!field.optional && field.isEmpty())
        this.localErrors.set(field.blockId, "Please complete this required field.");
    }
    this.showErrors();
    const first = this.fields.find((field) => this.localErrors.has(field.blockId));
    first?.focus();
    return first === undefined;
  }

  setServerErrors(errors) {
    this.serverErrors = errors && typeof errors === "object" ? errors : {};
    this.showErrors();
  }

  showErrors() {
    for (const field of this.fields) {
      const message = this.localErrors.get(field.blockId) ?? this.serverErrors[field.blockId];
      field.error.textContent = typeof message === "string" ? message : "";
      field.error.hidden = typeof message !== "string" || message === "";
      field.container.classList.toggle("bk-invalid", !field.error.hidden);
      for (const control of field.controls())
        control.setAttribute("aria-invalid", String(!field.error.hidden));
    }
  }

  /** Editing a field clears the required-field note Slack put on it. */
  edited(blockId) {
    if (this.localErrors.delete(blockId)) this.showErrors();
  }

  setDisabled(disabled) {
    for (const field of this.fields) for (const control of field.controls()) control.disabled = disabled;
  }
}

/** An input block: label, element, hint and the slot for its error. */
export function inputBlock(block, blockId, form) {
  const element = block.element ?? {};
  const actionId = typeof element.action_id === "string" ? element.action_id : undefined;
  const label = plainText(block.label);
  const labelId = uniqueId("label");
  const controlId = uniqueId("control");
  const hintId = uniqueId("hint");
  const errorId = uniqueId("error");
  const describedBy = `${block.hint ? hintId : ""} ${errorId}`.trim();
  const edited = () => form.edited(blockId);
  const dispatch = block.dispatch_action ? form.onDispatch : undefined;
  const built = buildElement(element, {
    controlId,
    labelId,
    label,
    describedBy,
    edited,
    dispatch,
    blockId,
    actionId,
  });
  const error = h("div", { class: "bk-error", id: errorId, hidden: true });
  const grouped = element.type === "radio_buttons" || element.type === "checkboxes";
  const container = h(
    "div",
    { class: "bk-input", dataset: { blockId } },
    h(
      "div",
      { class: "bk-label-row" },
      grouped || !built.field
        ? h("span", { class: "bk-label", id: labelId }, label)
        : h("label", { class: "bk-label", id: labelId, for: controlId }, label),
      block.optional && h("span", { class: "bk-optional" }, "(optional)"),
    ),
    built.node,
    block.hint && h("div", { class: "bk-hint", id: hintId }, plainText(block.hint)),
    error,
  );
  if (built.field) {
    form.fields.push({
      blockId,
      actionId,
      optional: Boolean(block.optional),
      container,
      error,
      ...built.field,
    });
  }
  return container;
}

function buildElement(element, shape) {
  switch (element.type) {
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input":
      return textInput(element, shape);
    case "radio_buttons":
    case "checkboxes":
      return choiceGroup(element, shape);
    case "static_select":
    case "multi_static_select":
      return select(element, shape);
    default:
      return { node: h("div", { class: "bk-unknown" }, `Unsupported input: ${String(element.type)}`) };
  }
}

function textInput(element, { controlId, describedBy, edited }) {
  const inputTypes = { email_text_input: "email", url_text_input: "url", number_input: "text" };
  const common = {
    id: controlId,
    class: "bk-text-input",
    "aria-describedby": describedBy,
    placeholder: element.placeholder ? plainText(element.placeholder) : undefined,
    maxlength: Number.isInteger(element.max_length) ? element.max_length : undefined,
    minlength: Number.isInteger(element.min_length) ? element.min_length : undefined,
    value:
      typeof element.initial_value === "string" ? element.initial_value : String(element.initial_value ?? ""),
    oninput: edited,
  };
  const control = element.multiline
    ? h("textarea", { ...common, rows: 4 })
    : h("input", {
        ...common,
        type: inputTypes[element.type] ?? "text",
        inputmode: element.type === "number_input" ? "decimal" : undefined,
      });
  return {
    node: control,
    field: {
      read: () => ({ type: element.type, value: control.value === "" ? null : control.value }),
      isEmpty: () => control.value.trim() === "",
      focus: () => control.focus(),
      controls: () => [control],
    },
  };
}

function choiceGroup(element, { labelId, describedBy, edited, dispatch, blockId, actionId }) {
  const radio = element.type === "radio_buttons";
  const all = options(element);
  const name = uniqueId("group");
  const initial = radio
    ? [element.initial_option]
    : Array.isArray(element.initial_options)
      ? element.initial_options
      : [];
  const inputs = all.map((option) =>
    h("input", {
      type: radio ? "radio" : "checkbox",
      name,
      "aria-describedby": option.description ? uniqueId("description") : undefined,
      checked: initial.some((chosen) => sameOption(chosen, option)),
      onchange: () => {
        edited();
        if (dispatch && radio) dispatch({ blockId, actionId, type: element.type, selectedOption: option });
      },
    }),
  );
  const node = h(
    "div",
    {
      class: "bk-choices",
      role: radio ? "radiogroup" : "group",
      "aria-labelledby": labelId,
      "aria-describedby": describedBy,
    },
    // The description is outside the label: the option's name is its text alone.
    all.map((option, index) =>
      h(
        "div",
        { class: "bk-choice-row" },
        h(
          "label",
          { class: "bk-choice" },
          inputs[index],
          h("span", { class: "bk-choice-text" }, textObject(option.text)),
        ),
        option.description &&
          h(
            "span",
            { class: "bk-choice-description", id: inputs[index].getAttribute("aria-describedby") },
            textObject(option.description),
          ),
      ),
    ),
  );
  const chosen = () => all.filter((_, index) => inputs[index].checked);
  return {
    node,
    field: {
      read: () =>
        radio
          ? { type: element.type, selected_option: chosen()[0] ?? null }
          : { type: element.type, selected_options: chosen() },
      isEmpty: () => chosen().length === 0,
      focus: () => inputs[0]?.focus(),
      controls: () => inputs,
    },
  };
}

function select(element, { controlId, describedBy, edited, dispatch, blockId, actionId }) {
  const multiple = element.type === "multi_static_select";
  const all = options(element);
  const initial = multiple
    ? Array.isArray(element.initial_options)
      ? element.initial_options
      : []
    : [element.initial_option];
  const placeholder = element.placeholder ? plainText(element.placeholder) : "Choose an option";
  const max = Number.isInteger(element.max_selected_items) ? element.max_selected_items : undefined;
  const control = h(
    "select",
    {
      id: controlId,
      class: multiple ? "bk-select bk-multi-select" : "bk-select",
      multiple,
      size: multiple ? Math.min(Math.max(all.length, 2), 6) : undefined,
      "aria-describedby": describedBy,
    },
    !multiple && h("option", { value: "", disabled: true, selected: !initial.some(Boolean) }, placeholder),
    all.map((option, index) =>
      h(
        "option",
        { value: String(index), selected: initial.some((chosen) => sameOption(chosen, option)) },
        plainText(option.text),
      ),
    ),
  );
  const chosen = () =>
    [...control.selectedOptions]
      .filter((option) => option.value !== "")
      .map((option) => all[Number(option.value)]);
  let previous = chosen();
  control.addEventListener("change", () => {
    if (max !== undefined && chosen().length > max) {
      for (const option of control.options) option.selected = previous.includes(all[Number(option.value)]);
      return;
    }
    previous = chosen();
    edited();
    if (dispatch && !multiple && previous[0]) {
      dispatch({ blockId, actionId, type: element.type, selectedOption: previous[0] });
    }
  });
  return {
    node: control,
    field: {
      read: () =>
        multiple
          ? { type: element.type, selected_options: chosen() }
          : { type: element.type, selected_option: chosen()[0] ?? null },
      isEmpty: () => chosen().length === 0,
      focus: () => control.focus(),
      controls: () => [control],
    },
  };
}
