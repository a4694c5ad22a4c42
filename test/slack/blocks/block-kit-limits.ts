// Checks a view or message against Slack's Block Kit limits (reference/slack-notes.md), so a test can
// hold a builder's worst case to what Slack would accept. Returns every violation, for a readable diff.
import { expect } from "vitest";
import type { HomeView, ModalView } from "../../../src/slack/blocks/block-kit.js";
import type { SlackMessage } from "../../../src/slack/blocks/messages.js";

type Surface = ModalView | HomeView | SlackMessage;
type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isNode(value) && typeof value.text === "string") return value.text;
  return undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function blockKitViolations(surface: Surface): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const maxLength = (where: string, text: string | undefined, max: number) => {
    if (text !== undefined) check(text.length <= max, `${where}: ${text.length} chars > ${max}`);
  };

  const kind = "type" in surface ? surface.type : "message";
  const blocks = list(surface.blocks);
  check(blocks.length > 0, `${kind}: no blocks`);
  check(blocks.length <= (kind === "message" ? 50 : 100), `${kind}: ${blocks.length} blocks`);

  if (kind === "modal") {
    const modal = surface as ModalView;
    maxLength("title", modal.title.text, 24);
    maxLength("submit", modal.submit?.text, 24);
    maxLength("close", modal.close?.text, 24);
    check(modal.title.text.length > 0, "title: empty");
    const hasInput = blocks.some((b) => isNode(b) && b.type === "input");
    check(!hasInput || modal.submit !== undefined, "modal with an input block has no submit button");
  }
  if (kind !== "message") {
    const view = surface as ModalView | HomeView;
    maxLength("private_metadata", view.private_metadata, 3000);
    maxLength("callback_id", view.callback_id, 255);
  }
  if (kind === "message") {
    const text = (surface as SlackMessage).text;
    check(text.length > 0, "message: empty fallback text");
    maxLength("message text", text, 40000);
  }

  const blockIds = new Set<string>();
  const actionIds = new Set<string>();

  const checkOption = (where: string, option: unknown) => {
    if (!isNode(option)) {
      check(false, `${where}: option is not an object`);
      return;
    }
    const text = textOf(option.text) ?? "";
    check(text.trim().length > 0, `${where}: option text is blank`);
    maxLength(`${where} option text`, text, 75);
    check(typeof option.value === "string", `${where}: option has no value`);
    maxLength(`${where} option value`, typeof option.value === "string" ? option.value : undefined, 150);
  };

  const checkElement = (where: string, element: unknown) => {
    if (!isNode(element)) {
      check(false, `${where}: element is not an object`);
      return;
    }
    if (typeof element.action_id === "string") {
      maxLength(`${where} action_id`, element.action_id, 255);
      check(!actionIds.has(element.action_id), `${where}: duplicate action_id ${element.action_id}`);
      actionIds.add(element.action_id);
    }
    maxLength(`${where} placeholder`, textOf(element.placeholder), 150);
    const options = list(element.options);
    for (const option of options) checkOption(`${where} ${String(element.type)}`, option);
    if (element.type === "checkboxes" || element.type === "radio_buttons") {
      check(options.length <= 10, `${where}: ${element.type} with ${options.length} options`);
    }
    if (element.type === "static_select" || element.type === "multi_static_select") {
      check(options.length <= 100, `${where}: ${element.type} with ${options.length} options`);
    }
    const values = new Set(options.map((o) => (isNode(o) ? o.value : undefined)));
    check(values.size === options.length, `${where}: option values are not unique`);
    const initial = [element.initial_option, ...list(element.initial_options)].filter((o) => o !== undefined);
    for (const option of initial) {
      const found = options.some((o) => JSON.stringify(o) === JSON.stringify(option));
      check(found, `${where}: initial option is not one of the options`);
    }
    if (element.type === "button") {
      maxLength(`${where} button text`, textOf(element.text), 75);
      maxLength(`${where} button value`, typeof element.value === "string" ? element.value : undefined, 2000);
    }
    if (element.type === "plain_text_input") {
      const max = typeof element.max_length === "number" ? element.max_length : 3000;
      check(max <= 3000, `${where}: max_length ${max} > 3000`);
      maxLength(
        `${where} initial_value`,
        typeof element.initial_value === "string" ? element.initial_value : undefined,
        max,
      );
    }
  };

  for (const [index, block] of blocks.entries()) {
    const where = `block ${index}`;
    if (!isNode(block)) {
      check(false, `${where}: not an object`);
      continue;
    }
    if (typeof block.block_id === "string") {
      maxLength(`${where} block_id`, block.block_id, 255);
      check(!blockIds.has(block.block_id), `${where}: duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case "section": {
        const text = textOf(block.text);
        const fields = list(block.fields);
        check(text !== undefined || fields.length > 0, `${where}: section without text or fields`);
        if (text !== undefined) check(text.length >= 1, `${where}: empty section text`);
        maxLength(`${where} section text`, text, 3000);
        check(fields.length <= 10, `${where}: ${fields.length} fields`);
        for (const field of fields) maxLength(`${where} field`, textOf(field), 2000);
        if (block.accessory !== undefined) checkElement(`${where} accessory`, block.accessory);
        break;
      }
      case "context": {
        const elements = list(block.elements);
        check(elements.length >= 1 && elements.length <= 10, `${where}: ${elements.length} context elements`);
        for (const element of elements) maxLength(`${where} context text`, textOf(element), 3000);
        break;
      }
      case "actions": {
        const elements = list(block.elements);
        check(elements.length >= 1 && elements.length <= 25, `${where}: ${elements.length} actions`);
        for (const [i, element] of elements.entries()) checkElement(`${where} element ${i}`, element);
        break;
      }
      case "input":
        maxLength(`${where} label`, textOf(block.label), 2000);
        maxLength(`${where} hint`, textOf(block.hint), 2000);
        checkElement(`${where} element`, block.element);
        break;
      case "header":
        maxLength(`${where} header`, textOf(block.text), 150);
        break;
      case "divider":
        break;
      default:
        check(false, `${where}: unexpected block type ${String(block.type)}`);
    }
  }
  return problems;
}

export function assertBlockKitLimits(surface: Surface): void {
  expect(blockKitViolations(surface)).toEqual([]);
}
