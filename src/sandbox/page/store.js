// The page's two kinds of state: the sandbox's (replaced whole by every server-sent event) and the
// page's own (which channel is open, which menu…), which survives every new sandbox state.

let sandbox;
const listeners = [];
let scheduled = false;

/** What the person at the page is doing; each pane keeps its own part. */
export const ui = {
  slack: { view: undefined, thread: undefined, menu: undefined, seen: new Map() },
  whatsapp: {
    chat: undefined,
    writers: new Map(),
    menu: undefined,
    reply: undefined,
    editing: undefined,
    seen: new Map(),
  },
};

export function current() {
  return sandbox;
}

export function setSandbox(next) {
  sandbox = next;
  schedule();
}

/** Changes the page's own state and renders again. */
export function updateUi(change) {
  change(ui);
  schedule();
}

export function onRender(listener) {
  listeners.push(listener);
}

/** One render for any number of changes made in the same task. */
function schedule() {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    if (sandbox === undefined) return;
    for (const listener of listeners) listener(sandbox, ui);
  });
}
