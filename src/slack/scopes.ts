/** The bot scopes the features use, and no more (manifest.json declares the same list). */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "users:read",
  "channels:history",
  "groups:history",
  "im:history",
  "mpim:history",
] as const;
