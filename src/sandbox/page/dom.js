// Building DOM without innerHTML: every string from the state goes in as a text node or an attribute,
// so nothing the app or a WhatsApp user wrote can ever become markup.

/** Set as properties: their attributes only give the initial value. */
const PROPERTIES = new Set(["value", "checked", "selected", "disabled", "multiple", "indeterminate"]);

/**
 * `h("button", { class: "x", "aria-label": "Send", onclick }, "text", child)`. Attributes that are
 * undefined, null or false are left out; `on…` functions become listeners; children may be nested arrays.
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else if (PROPERTIES.has(key)) element[key] = value;
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return parent;
}

const SVG = "http://www.w3.org/2000/svg";

/** Line icons drawn on a 24×24 grid with a 2px stroke. */
const ICONS = {
  reply: [
    ["path", { d: "M10 8 5 12l5 4" }],
    ["path", { d: "M5 12h9a5 5 0 0 1 5 5v1" }],
  ],
  smile: [
    ["circle", { cx: 12, cy: 12, r: 9 }],
    ["path", { d: "M8.5 14.5a4.5 4.5 0 0 0 7 0" }],
    ["path", { d: "M9 9.5h.01M15 9.5h.01" }],
  ],
  edit: [
    ["path", { d: "M4 20h4L19 9l-4-4L4 16z" }],
    ["path", { d: "m13.5 6.5 4 4" }],
  ],
  trash: [
    ["path", { d: "M4 7h16M10 7V4h4v3M6 7l1 13h10l1-13" }],
    ["path", { d: "M10 11v6M14 11v6" }],
  ],
  poll: [["path", { d: "M5 20V10M12 20V4M19 20v-7" }]],
  more: [["path", { d: "M5 12h.01M12 12h.01M19 12h.01" }]],
  close: [["path", { d: "M6 6l12 12M18 6 6 18" }]],
  send: [
    ["path", { d: "M4 12 20 4l-6 16-3-7z" }],
    ["path", { d: "m11 13 9-9" }],
  ],
  home: [["path", { d: "M4 11 12 4l8 7v9h-5v-6H9v6H4z" }]],
  thread: [["path", { d: "M5 5h14v10H9l-4 4z" }]],
  eye: [
    ["path", { d: "M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z" }],
    ["circle", { cx: 12, cy: 12, r: 3 }],
  ],
  link: [
    ["path", { d: "M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1" }],
    ["path", { d: "M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 6l1-1" }],
  ],
};

/** A decorative icon: hidden from assistive technology, the button around it carries the name. */
export function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  for (const [key, value] of Object.entries({
    viewBox: "0 0 24 24",
    width: 18,
    height: 18,
    fill: "none",
    stroke: "currentColor",
    "stroke-width": 2,
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
    "aria-hidden": "true",
    class: "icon",
  })) {
    svg.setAttribute(key, String(value));
  }
  for (const [tag, attributes] of ICONS[name] ?? []) {
    const shape = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) shape.setAttribute(key, String(value));
    svg.append(shape);
  }
  return svg;
}

/** What identifies a focused control across a rebuild: its message (data-key), tag and name. */
function focusKey(element) {
  const owner = element.closest("[data-key]")?.getAttribute("data-key") ?? "";
  const name = element.getAttribute("aria-label") ?? element.textContent ?? "";
  return `${owner}\n${element.tagName}\n${name}`;
}

/**
 * Replaces a region's children, keeping what the user was doing there: the focused control (found
 * again by focusKey) and the scroll position of `scroller`, which sticks to the bottom when it was there.
 */
export function replaceRegion(region, nodes, scroller = region, { toBottom = false } = {}) {
  const active = document.activeElement;
  const focused = active && region.contains(active) ? focusKey(active) : undefined;
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  const top = scroller.scrollTop;
  region.replaceChildren(...nodes);
  scroller.scrollTop = toBottom || atBottom ? scroller.scrollHeight : top;
  if (focused === undefined) return;
  const tag = focused.split("\n")[1] ?? "";
  for (const candidate of region.querySelectorAll(tag)) {
    if (focusKey(candidate) === focused) {
      candidate.focus({ preventScroll: true });
      return;
    }
  }
}

/**
 * Places a popover (position: fixed) beside its anchor, below it when there is room, else above,
 * and inside the window horizontally.
 */
export function placePopover(popover, anchor) {
  const a = anchor.getBoundingClientRect();
  const p = popover.getBoundingClientRect();
  const below = a.bottom + 4;
  const top = below + p.height <= window.innerHeight - 8 ? below : Math.max(8, a.top - 4 - p.height);
  const left = Math.min(Math.max(8, a.right - p.width), window.innerWidth - p.width - 8);
  popover.style.top = `${top}px`;
  popover.style.left = `${left}px`;
}

/** Arrow keys move between a menu's items; Escape runs `close`. */
export function menuKeys(event, menu, close) {
  if (event.key === "Escape") {
    event.preventDefault();
    close();
    return;
  }
  const items = [...menu.querySelectorAll("[role=menuitem], button")];
  const index = items.indexOf(document.activeElement);
  const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
  if (step === undefined || items.length === 0) return;
  event.preventDefault();
  items[(index + step + items.length) % items.length]?.focus();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });

export function formatTime(date) {
  return timeFormat.format(date);
}

/** "Today", "Yesterday" or the date, as both apps write their day separators. */
export function formatDay(date) {
  const today = new Date();
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) return "Today";
  if (date.toDateString() === yesterday.toDateString()) return "Yesterday";
  return dayFormat.format(date);
}

/** A stable colour for a name or id, from a palette readable on white. */
const PALETTE = ["#1f7a8c", "#a4373a", "#6b4fbb", "#2e7d32", "#b35900", "#00838f", "#ad1457", "#4e6a00"];

export function colourFor(key) {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

export function initials(name) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return (
    letters
      .map((word) => [...word][0] ?? "")
      .join("")
      .toUpperCase() || "?"
  );
}
