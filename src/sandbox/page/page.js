// The sandbox's page: loads the emoji table and the state, follows the state's server-sent events,
// and renders the Slack pane, the WhatsApp pane and the activity strip from each new state.
import { createActivityStrip } from "./activity.js";
import { showError } from "./api.js";
import { menuKeys } from "./dom.js";
import { setDirectory, setEmojiTable } from "./names.js";
import { createSlackPane } from "./slack.js";
import { onRender, setSandbox, updateUi } from "./store.js";
import { createWhatsAppPane } from "./whatsapp.js";

const slack = createSlackPane(document.querySelector('section[aria-label="Slack"]'));
const whatsapp = createWhatsAppPane(document.querySelector('section[aria-label="WhatsApp"]'));
const activity = createActivityStrip(document.querySelector('section[aria-label="Activity"]'));
const connection = document.getElementById("connection");

/** One pane that fails to draw must not take the others down, and must not fail silently. */
function guarded(name, render) {
  return (...args) => {
    try {
      render(...args);
    } catch (error) {
      console.error(error);
      showError(`The page couldn't draw the ${name}: ${error.message}`);
    }
  };
}

onRender((state) => setDirectory(state));
onRender(guarded("Slack pane", slack.render));
onRender(guarded("WhatsApp pane", whatsapp.render));
onRender(guarded("activity strip", activity.render));

function closeMenus() {
  updateUi((ui) => {
    ui.slack.menu = undefined;
    ui.whatsapp.menu = undefined;
  });
}

// A click anywhere but in a menu or on the button that opened it closes the open menu.
document.addEventListener("pointerdown", (event) => {
  if (!document.querySelector(".popover")) return;
  if (event.target.closest(".popover, [data-menu-trigger]")) return;
  closeMenus();
});

// Arrow keys move within a menu; Escape closes it and gives the focus back to its button.
document.addEventListener("keydown", (event) => {
  const popover = event.target.closest?.(".popover");
  if (!popover) return;
  menuKeys(event, popover, () => {
    const trigger = popover.anchor;
    const owner = trigger?.closest("[data-key]")?.dataset.key;
    const name = trigger?.getAttribute("aria-label");
    closeMenus();
    setTimeout(() => {
      const again = [...document.querySelectorAll("[data-menu-trigger]")].find(
        (button) =>
          button.closest("[data-key]")?.dataset.key === owner && button.getAttribute("aria-label") === name,
      );
      again?.focus();
    });
  });
});

function showConnected(connected) {
  connection.textContent = connected ? "Live" : "Connecting…";
  connection.classList.toggle("connection-live", connected);
}

async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

async function start() {
  try {
    setEmojiTable(await getJson("/sandbox/emoji"));
  } catch (error) {
    showError(`Emoji can't be shown as pictures: ${error.message}.`);
  }
  let streamed = false;
  const stream = new EventSource("/sandbox/stream");
  stream.addEventListener("open", () => showConnected(true));
  stream.addEventListener("error", () => showConnected(stream.readyState === EventSource.OPEN));
  stream.addEventListener("state", (event) => {
    try {
      setSandbox(JSON.parse(event.data));
      streamed = true;
    } catch (error) {
      showError(`The sandbox sent a state the page can't read: ${error.message}`);
    }
  });
  try {
    const state = await getJson("/sandbox/state");
    // A state that came by the stream meanwhile is newer than this answer.
    if (!streamed) setSandbox(state);
  } catch (error) {
    if (!streamed) showError(`The sandbox's state can't be loaded: ${error.message}`);
  }
}

start();
