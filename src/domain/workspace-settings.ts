// The rules for a workspace's settings, in one place: the configuration modal, the workspace
// directory and the operator CLI all check a key, a session id and a visibility with these words.
// Messages never repeat an API key: what was typed may be a real key with a typo.
import { UserInputError } from "../errors.js";
import type { Visibility } from "./types.js";

/** The block_ids of the configuration modal double as the field names of these errors. */
export type SettingField = "api_key" | "session" | "visibility";

const API_KEY_MIN_LENGTH = 8;
/** Far above any real key; stops a pasted document from reaching the sealer and the gateway. */
export const API_KEY_MAX_LENGTH = 512;
export const SESSION_ID_MAX_LENGTH = 200;
export const VISIBILITIES: readonly Visibility[] = ["ephemeral", "channel"];

function fail(field: SettingField, message: string): UserInputError {
  return new UserInputError(message, { field });
}

/** A gateway API key as pasted (surrounding spaces dropped), or a UserInputError on `api_key`. */
export function checkApiKey(raw: string): string {
  const key = raw.trim();
  if (key === "")
    throw fail("api_key", "The API key is empty. Paste the gateway API key (it starts with wa_).");
  if (!key.startsWith("wa_")) throw fail("api_key", "That is not a gateway API key: keys start with wa_.");
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw fail("api_key", "An API key has no spaces, line breaks or accented letters. Paste it again.");
  }
  if (key.length < API_KEY_MIN_LENGTH)
    throw fail("api_key", "The API key is too short. Paste the whole key.");
  if (key.length > API_KEY_MAX_LENGTH) {
    throw fail(
      "api_key",
      `The API key is too long (at most ${API_KEY_MAX_LENGTH} characters). Paste only the key.`,
    );
  }
  return key;
}

/** A default session id; "" (or only spaces) means "no default session" and gives null. */
export function checkSessionId(raw: string): string | null {
  const session = raw.trim();
  if (session === "") return null;
  if (/\s/.test(session)) throw fail("session", "A session id has no spaces.");
  if (session.length > SESSION_ID_MAX_LENGTH) {
    throw fail("session", `A session id has at most ${SESSION_ID_MAX_LENGTH} characters.`);
  }
  return session;
}

export function checkVisibility(raw: string | undefined): Visibility {
  const found = VISIBILITIES.find((v) => v === raw);
  if (found === undefined) {
    throw fail(
      "visibility",
      'Choose where confirmations go: "ephemeral" (only the person who acted) or "channel".',
    );
  }
  return found;
}
