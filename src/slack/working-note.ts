// A `/wa` action is acknowledged with a "Sending…" note only its author sees. Whatever ends the action
// (its outcome, or an error caught by the error handler) replaces that note rather than adding a second
// message under it; the request's context remembers that there is one.
import type { Context } from "@slack/bolt";

const KEY = "waWorkingNoteShown";

export function markWorkingNote(context: Context): void {
  context[KEY] = true;
}

export function hasWorkingNote(context: Context | undefined): boolean {
  return context?.[KEY] === true;
}
