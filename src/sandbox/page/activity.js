// The activity strip: what went between Slack, the app, the gateway and WhatsApp, newest at the
// bottom, so a developer can follow what the app did. Collapsible; it remembers being collapsed.
import { h, replaceRegion } from "./dom.js";

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** A class per direction, so each way through the system has its colour. */
function directionClass(direction) {
  const slug = direction
    .toLowerCase()
    .replace(/[^a-z]+/g, "-")
    .replace(/^-|-$/g, "");
  return `activity-direction activity-${slug}`;
}

export function createActivityStrip(section) {
  const count = h("span", { class: "activity-count" });
  const list = h("ol", { class: "activity-lines", id: "activity-lines" });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "activity-toggle",
      "aria-expanded": "true",
      "aria-controls": "activity-lines",
      onclick: () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        section.classList.toggle("activity-collapsed", !open);
        if (open) list.scrollTop = list.scrollHeight;
      },
    },
    h("span", { class: "activity-chevron", "aria-hidden": "true" }),
    "Activity",
    count,
  );
  section.append(h("h2", { class: "activity-heading" }, toggle), list);
  let shown;

  function render(state) {
    const lines = state.activity;
    const key = JSON.stringify(lines);
    if (key === shown) return;
    shown = key;
    count.textContent = ` · ${lines.length}`;
    replaceRegion(
      list,
      lines.length === 0
        ? [
            h(
              "li",
              { class: "activity-empty" },
              "Nothing yet: act in either pane and what the app does shows here.",
            ),
          ]
        : lines.map((line) =>
            h(
              "li",
              { class: "activity-line" },
              h(
                "time",
                { class: "activity-time", datetime: new Date(line.at).toISOString() },
                timeFormat.format(new Date(line.at)),
              ),
              h("span", { class: directionClass(line.direction) }, line.direction),
              h("span", { class: "activity-text" }, line.text),
            ),
          ),
    );
  }

  return { render };
}
