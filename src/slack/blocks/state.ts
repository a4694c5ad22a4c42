// Readers for a submitted view's `state.values` ({ [block_id]: { [action_id]: state } }). The payload
// comes from outside, so nothing is assumed about its shape: each reader returns the value it finds
// or undefined, and never throws.

type Entry = Record<string, unknown>;

function isRecord(value: unknown): value is Entry {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own properties only: a block_id such as "constructor" must not find Object.prototype's. */
function own(record: Entry, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function stateEntry(values: unknown, blockId: string, actionId: string): Entry | undefined {
  if (!isRecord(values)) return undefined;
  const block = own(values, blockId);
  if (!isRecord(block)) return undefined;
  const entry = own(block, actionId);
  return isRecord(entry) ? entry : undefined;
}

/** A plain_text_input's `value` (Slack sends null for an empty optional input). */
export function readTextInput(values: unknown, blockId: string, actionId: string): string | undefined {
  const entry = stateEntry(values, blockId, actionId);
  if (!entry) return undefined;
  const value = own(entry, "value");
  return typeof value === "string" ? value : undefined;
}

/** The value of a radio_buttons / static_select choice. */
export function readSelectedOption(values: unknown, blockId: string, actionId: string): string | undefined {
  const entry = stateEntry(values, blockId, actionId);
  if (!entry) return undefined;
  return optionValue(own(entry, "selected_option"));
}

/**
 * The values of a checkboxes / multi_static_select choice; a single `selected_option` is read too,
 * so one reader serves whichever element the modal was built with. An entry that is not an option
 * is reported as `undefined` in the list, for the caller to refuse.
 */
export function readSelectedOptions(
  values: unknown,
  blockId: string,
  actionId: string,
): (string | undefined)[] | undefined {
  const entry = stateEntry(values, blockId, actionId);
  if (!entry) return undefined;
  const many = own(entry, "selected_options");
  if (Array.isArray(many)) return Array.from(many, optionValue);
  const one = own(entry, "selected_option");
  if (one === undefined || one === null) return undefined;
  return [optionValue(one)];
}

function optionValue(option: unknown): string | undefined {
  if (!isRecord(option)) return undefined;
  const value = own(option, "value");
  return typeof value === "string" ? value : undefined;
}
