// Every callback_id, block_id and action_id in one place, shared by the view builders and the
// listener registrations (and by the manifest test).

export const COMMAND = "/wa";

export const Shortcut = {
  react: "wa_react",
  unreact: "wa_unreact",
  vote: "wa_vote",
} as const;

export const View = {
  react: "wa_react_modal",
  vote: "wa_vote_modal",
  unreactConfirm: "wa_unreact_modal",
  config: "wa_config_modal",
  /** A modal that asks for the WhatsApp ids when the Slack message has no metadata. */
  target: "wa_target_modal",
} as const;

export const Block = {
  emoji: "emoji",
  options: "options",
  clearVote: "clear_vote",
  apiKey: "api_key",
  session: "session",
  visibility: "visibility",
  quickReactions: "quick_reactions",
  chat: "chat",
  messageId: "message_id",
  sender: "sender",
} as const;

export const Action = {
  emojiInput: "emoji_input",
  quickReaction: "quick_reaction",
  optionsInput: "options_input",
  clearVote: "clear_vote_input",
  apiKeyInput: "api_key_input",
  sessionInput: "session_input",
  visibilityInput: "visibility_input",
  openConfig: "open_config",
  chatInput: "chat_input",
  messageIdInput: "message_id_input",
  senderInput: "sender_input",
} as const;
