// What names in Slack text stand for: emoji shortcodes (GET /sandbox/emoji), and the users and
// channels a mention points at, from the latest sandbox state.

let emoji = new Map();
const users = new Map();
const channels = new Map();
let me;

export function setEmojiTable(table) {
  emoji = new Map(Object.entries(table ?? {}).filter(([, char]) => typeof char === "string"));
}

/** The character for `name` or `name::skin-tone-N`, falling back to the toneless name; else undefined. */
export function emojiFor(name) {
  return emoji.get(name) ?? emoji.get(name.split("::")[0]);
}

/** `:name:` shortcodes in plain text made characters; unknown names stay as typed. */
export function replaceShortcodes(text) {
  return text.replace(/:([a-z0-9_+-]+):(?::(skin-tone-[2-6]):)?/g, (whole, name, tone) => {
    const char = tone ? emoji.get(`${name}::${tone}`) : undefined;
    return char ?? emoji.get(name) ?? whole;
  });
}

/** Called with each sandbox state, before rendering. */
export function setDirectory(state) {
  users.clear();
  channels.clear();
  me = state.slack.me;
  users.set(me.id, me.name);
  for (const channel of state.slack.channels) channels.set(channel.id, channel.name);
}

export function userName(id) {
  return users.get(id);
}

export function isMe(id) {
  return me?.id === id;
}

export function channelName(id) {
  return channels.get(id);
}
