// Block Kit as Slack draws it, for messages, the Home tab and modals. Whatever the app sends, this
// never throws: a block it cannot draw becomes a small grey note naming its type.
import { inputBlock } from "./block-inputs.js";
import { h } from "./dom.js";
import { plainText, safeUrl, textObject } from "./mrkdwn.js";
import { richText } from "./rich-text.js";

/**
 * `context.onAction({ blockId, actionId, type, value, selectedOption })` is called when a button or
 * an actions-block select is used; `context.form` (a modal's) draws input blocks; `context.readOnly`
 * shows buttons that cannot be used; `context.textOnly` leaves buttons and selects out (a copy of a
 * message shown a second time, as a thread's parent is).
 */
export function renderBlocks(blocks, context) {
  const list = Array.isArray(blocks) ? blocks : [];
  return h(
    "div",
    { class: "bk" },
    list.map((block, index) => {
      try {
        return renderBlock(block, blockIdOf(block, index), context);
      } catch {
        return unknown(`Couldn't show this ${String(block?.type ?? "")} block`);
      }
    }),
  );
}

/** Slack gives a block without block_id an id of its own; this one is stable across renders. */
export function blockIdOf(block, index) {
  return typeof block?.block_id === "string" && block.block_id !== "" ? block.block_id : `block-${index}`;
}

function unknown(text) {
  return h("div", { class: "bk-unknown" }, text);
}

function renderBlock(block, blockId, context) {
  switch (block?.type) {
    case "section":
      return section(block, blockId, context);
    case "context":
      return h(
        "div",
        { class: "bk-context" },
        (Array.isArray(block.elements) ? block.elements : []).map((element) =>
          element?.type === "image"
            ? image(element, "bk-context-image")
            : h("span", { class: "bk-context-text" }, textObject(element)),
        ),
      );
    case "divider":
      return h("hr", { class: "bk-divider" });
    case "header":
      return h("h3", { class: "bk-header" }, plainText(block.text));
    case "actions":
      if (context.textOnly) return undefined;
      return h(
        "div",
        { class: "bk-actions" },
        (Array.isArray(block.elements) ? block.elements : []).map((element) =>
          interactive(element, blockId, context),
        ),
      );
    case "image":
      return h(
        "figure",
        { class: "bk-image" },
        block.title && h("figcaption", {}, plainText(block.title)),
        image(block, "bk-image-picture"),
      );
    case "rich_text":
      return richText(block);
    case "input":
      return context.form ? inputBlock(block, blockId, context.form) : unknown("Input block");
    default:
      return unknown(`Unsupported block: ${String(block?.type ?? "unknown")}`);
  }
}

function section(block, blockId, context) {
  const fields = Array.isArray(block.fields) ? block.fields : [];
  return h(
    "div",
    { class: "bk-section" },
    h(
      "div",
      { class: "bk-section-body" },
      block.text && h("div", { class: "bk-text" }, textObject(block.text)),
      fields.length > 0 &&
        h(
          "div",
          { class: "bk-fields" },
          fields.map((field) => h("div", { class: "bk-field" }, textObject(field))),
        ),
    ),
    block.accessory &&
      !(context.textOnly && block.accessory.type !== "image") &&
      h("div", { class: "bk-accessory" }, accessory(block.accessory, blockId, context)),
  );
}

function accessory(element, blockId, context) {
  if (element.type === "image") return image(element, "bk-accessory-image");
  return interactive(element, blockId, context);
}

function image(element, className) {
  const url = safeUrl(String(element.image_url ?? ""));
  const alt = String(element.alt_text ?? "");
  if (!url) return h("span", { class: "bk-unknown" }, alt || "Image");
  return h("img", { class: className, src: url, alt, title: alt || undefined, loading: "lazy" });
}

/** A button or select in an actions block or a section's accessory. */
function interactive(element, blockId, context) {
  const actionId = typeof element?.action_id === "string" ? element.action_id : "";
  if (element?.type === "button") {
    const url = safeUrl(String(element.url ?? ""));
    return h(
      "button",
      {
        type: "button",
        class: `bk-button${element.style === "primary" ? " bk-primary" : ""}${element.style === "danger" ? " bk-danger" : ""}`,
        disabled: context.readOnly,
        title: context.readOnly ? "Not available here" : undefined,
        onclick: () => {
          if (url) window.open(url, "_blank", "noopener");
          context.onAction({
            blockId,
            actionId,
            type: "button",
            ...(typeof element.value === "string" ? { value: element.value } : {}),
          });
        },
      },
      plainText(element.text),
    );
  }
  if (element?.type === "static_select") {
    const options = Array.isArray(element.options) ? element.options : [];
    const select = h(
      "select",
      {
        class: "bk-select",
        "aria-label": plainText(element.placeholder) || "Choose",
        disabled: context.readOnly,
        onchange: () => {
          const option = options[Number(select.value)];
          if (option) context.onAction({ blockId, actionId, type: "static_select", selectedOption: option });
        },
      },
      h("option", { value: "", disabled: true, selected: true }, plainText(element.placeholder) || "Choose"),
      options.map((option, index) => h("option", { value: String(index) }, plainText(option.text))),
    );
    return select;
  }
  return unknown(`Unsupported element: ${String(element?.type ?? "unknown")}`);
}
