// The POST routes, and the toasts that say when one failed: an error answer is never swallowed.
import { h, icon } from "./dom.js";

const TOAST_MS = 8000;

function toastArea() {
  return document.getElementById("toasts");
}

/** A failure the person must see: role="alert", so it is also read out. */
export function showError(message) {
  showToast(message, "alert");
}

/** A passing note ("Link copied"). */
export function showNote(message) {
  showToast(message, "status");
}

function showToast(message, role) {
  const toast = h(
    "div",
    { class: `toast toast-${role}`, role },
    h("span", { class: "toast-text" }, message),
    h(
      "button",
      { class: "icon-button toast-close", type: "button", "aria-label": "Hide notification", onclick: hide },
      icon("close"),
    ),
  );
  const timer = setTimeout(hide, TOAST_MS);
  function hide() {
    clearTimeout(timer);
    toast.remove();
  }
  toastArea().append(toast);
}

/**
 * POSTs `body` as JSON; resolves to the answer (`{ ok: true, … }` or `{ ok: false, error }`), having
 * shown any error. It never rejects.
 */
export async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    return fail(`The sandbox server can't be reached (${error.message}).`);
  }
  let answer;
  try {
    answer = await response.json();
  } catch {
    return fail(`The sandbox server answered ${response.status} without saying why.`);
  }
  if (!response.ok || answer?.ok !== true) {
    const reason = typeof answer?.error === "string" && answer.error !== "" ? answer.error : undefined;
    return fail(reason ?? `The sandbox server refused this (${response.status}).`);
  }
  return answer;
}

function fail(error) {
  showError(error);
  return { ok: false, error };
}
