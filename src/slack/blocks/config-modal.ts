// The workspace settings modal (`/wa config`) and the reading of its submission. The API key field is
// never prefilled: the key is shown again only masked, in the hint.
import type { Visibility } from "../../domain/types.js";
import {
  API_KEY_MAX_LENGTH,
  checkApiKey,
  checkSessionId,
  checkVisibility,
  SESSION_ID_MAX_LENGTH,
} from "../../domain/workspace-settings.js";
import { UserInputError } from "../../errors.js";
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

/**
 * Errors are keyed by block_id, ready for `ack({ response_action: "errors", errors })`; the rules and
 * their words are the workspace-setting rules every other way of configuring uses too.
 */
export function parseConfigSubmission(values: unknown): ConfigParseResult {
  const errors: Record<string, string> = {};
  const check = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof UserInputError) || error.field === undefined) throw error;
      errors[error.field] = error.message;
      return undefined;
    }
  };
  const typedKey = readTextInput(values, BlockId.apiKey, ActionId.apiKeyInput)?.trim() ?? "";
  // An empty key field keeps the stored key.
  const apiKey = typedKey === "" ? undefined : check(() => checkApiKey(typedKey));
  const session = check(() =>
    checkSessionId(readTextInput(values, BlockId.session, ActionId.sessionInput) ?? ""),
  );
  const visibility = check(() =>
    checkVisibility(readSelectedOption(values, BlockId.visibility, ActionId.visibilityInput)),
  );
  if (session === undefined || visibility === undefined || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  const value: ConfigSubmission = { defaultSessionId: session, visibility };
  if (apiKey !== undefined) value.apiKey = apiKey;
  return { ok: true, value };
}
