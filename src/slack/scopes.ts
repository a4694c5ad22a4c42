/** The bot scopes the features use, and no more (manifest.json declares the same list). */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  // Mirrored messages are posted under the WhatsApp sender's name.
  "chat:write.customize",
  "users:read",
  "channels:history",
  "groups:history",
  "im:history",
  "mpim:history",
  // WhatsApp reactions shown on mirrored messages, and Slack reactions sent to WhatsApp (`--reactions`).
  "reactions:read",
  "reactions:write",
] as const;
