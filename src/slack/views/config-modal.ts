// The workspace settings modal (`/wa config`) and the reading of its submission. The API key field is
// never prefilled: the key is shown again only masked, in the hint.
import type { Visibility } from "../../domain/types.js";
import { ActionId, BlockId, ViewId } from "../ids.js";
import type { ModalView, PlainTextOption } from "./block-kit.js";
import { readSelectedOption, readTextInput } from "./state.js";

export interface ConfigModalInput {
  maskedKey?: string | undefined;
  defaultSessionId?: string | undefined;
  visibility: Visibility;
}

export interface ConfigSubmission {
  /** Absent: keep the stored key. */
  apiKey?: string;
  /** null: no default session. */
  defaultSessionId: string | null;
  visibility: Visibility;
}

export type ConfigParseResult =
  | { ok: true; value: ConfigSubmission }
  | { ok: false; errors: Record<string, string> };

export const SESSION_ID_MAX_LENGTH = 200;
/** The store refuses shorter keys too (src/store/workspaces.ts); saying so here puts the error on the field. */
const API_KEY_MIN_LENGTH = 8;
/** Far above any real key; stops a pasted document from reaching the sealer and the gateway. */
const API_KEY_MAX_LENGTH = 512;

const VISIBILITY_OPTIONS: Record<Visibility, PlainTextOption> = {
  channel: { text: { type: "plain_text", text: "Post confirmations in the channel" }, value: "channel" },
  ephemeral: { text: { type: "plain_text", text: "Only to the person who acted" }, value: "ephemeral" },
};

export function configModal(current: ConfigModalInput): ModalView {
  const hasKey = current.maskedKey !== undefined && current.maskedKey !== "";
  return {
    type: "modal",
    callback_id: ViewId.config,
    title: { type: "plain_text", text: "WhatsApp settings" },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: "These settings apply to everyone in this workspace who uses `/wa` and the WhatsApp shortcuts.",
        },
      },
      {
        type: "input",
        block_id: BlockId.apiKey,
        // Without a stored key there is nothing to keep, so Slack itself asks for one.
        optional: hasKey,
        label: { type: "plain_text", text: "WhatsApp gateway API key" },
        hint: {
          type: "plain_text",
          text: hasKey
            ? `Leave empty to keep the current key ${current.maskedKey}. A new key needs the send permission.`
            : "Starts with wa_. The key needs the send permission.",
        },
        element: {
          type: "plain_text_input",
          action_id: ActionId.apiKeyInput,
          placeholder: { type: "plain_text", text: "wa_…" },
          max_length: API_KEY_MAX_LENGTH,
        },
      },
      {
        type: "input",
        block_id: BlockId.session,
        optional: true,
        label: { type: "plain_text", text: "Default WhatsApp session id" },
        hint: {
          type: "plain_text",
          text: "Used when a command has no --session and the Slack message names no session. Leave empty for none.",
        },
        element: {
          type: "plain_text_input",
          action_id: ActionId.sessionInput,
          max_length: SESSION_ID_MAX_LENGTH,
          ...(current.defaultSessionId ? { initial_value: current.defaultSessionId } : {}),
        },
      },
      {
        type: "input",
        block_id: BlockId.visibility,
        label: { type: "plain_text", text: "Confirmations of sent reactions and votes" },
        element: {
          type: "radio_buttons",
          action_id: ActionId.visibilityInput,
          options: [VISIBILITY_OPTIONS.channel, VISIBILITY_OPTIONS.ephemeral],
          initial_option: VISIBILITY_OPTIONS[current.visibility],
        },
      },
    ],
  };
}

/** Errors are keyed by block_id, ready for `ack({ response_action: "errors", errors })`. */
export function parseConfigSubmission(values: unknown): ConfigParseResult {
  const errors: Record<string, string> = {};

  const apiKey = readTextInput(values, BlockId.apiKey, ActionId.apiKeyInput)?.trim() ?? "";
  // The message never repeats what was typed: it may be a real key with a typo.
  if (apiKey !== "" && !/^wa_[\x21-\x7e]+$/.test(apiKey)) {
    errors[BlockId.apiKey] = "That is not a gateway API key: a key starts with wa_ and has no spaces.";
  } else if (apiKey !== "" && apiKey.length < API_KEY_MIN_LENGTH) {
    errors[BlockId.apiKey] = "That is too short for a gateway API key. Paste the whole key.";
  } else if (apiKey.length > API_KEY_MAX_LENGTH) {
    errors[BlockId.apiKey] =
      `That is too long for a gateway API key (at most ${API_KEY_MAX_LENGTH} characters).`;
  }

  const session = readTextInput(values, BlockId.session, ActionId.sessionInput)?.trim() ?? "";
  if (/\s/.test(session)) {
    errors[BlockId.session] = "A session id has no spaces.";
  } else if (session.length > SESSION_ID_MAX_LENGTH) {
    errors[BlockId.session] = `A session id has at most ${SESSION_ID_MAX_LENGTH} characters.`;
  }

  const chosen = readSelectedOption(values, BlockId.visibility, ActionId.visibilityInput);
  const visibility = chosen === "channel" || chosen === "ephemeral" ? chosen : undefined;
  if (visibility === undefined) errors[BlockId.visibility] = "Choose where confirmations go.";

  if (visibility === undefined || Object.keys(errors).length > 0) return { ok: false, errors };
  const value: ConfigSubmission = { defaultSessionId: session === "" ? null : session, visibility };
  if (apiKey !== "") value.apiKey = apiKey;
  return { ok: true, value };
}
