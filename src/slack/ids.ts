// Every callback_id, block_id and action_id in one place, shared by the view builders and the
// listener registrations (and by the manifest test).

export const COMMAND = "/wa";

export const ShortcutId = {
  react: "wa_react",
  unreact: "wa_unreact",
  vote: "wa_vote",
} as const;

export const ViewId = {
  react: "wa_react_modal",
  vote: "wa_vote_modal",
  config: "wa_config_modal",
  /** `/wa link` without a chat: pick one of the session's chats. */
  link: "wa_link_modal",
} as const;

export const BlockId = {
  emoji: "emoji",
  options: "options",
  clearVote: "clear_vote",
  apiKey: "api_key",
  session: "session",
  visibility: "visibility",
  quickReactions: "quick_reactions",
  /** The link modal's chat select, its chat id field and its "send Slack reactions" checkbox. */
  linkChat: "link_chat",
  linkChatId: "link_chat_id",
  linkReactions: "link_reactions",
  /** The actions block under a mirrored poll. */
  pollActions: "poll_actions",
} as const;

export const ActionId = {
  emojiInput: "emoji_input",
  quickReaction: "quick_reaction",
  optionsInput: "options_input",
  clearVote: "clear_vote_input",
  apiKeyInput: "api_key_input",
  sessionInput: "session_input",
  visibilityInput: "visibility_input",
  openConfig: "open_config",
  linkChatInput: "link_chat_input",
  linkChatIdInput: "link_chat_id_input",
  linkReactionsInput: "link_reactions_input",
  /** The Vote button on a mirrored poll: opens the poll-vote modal. */
  openPollVote: "open_poll_vote",
} as const;
