// WhatsApp as the page shows it: the chats, their messages, reactions and poll votes. What people do on
// the page becomes the gateway event WhatsApp would cause (emitted by the gateway simulator, which
// delivers it to the app); what the app does on WhatsApp (a reaction, a vote, through the simulator's
// send routes) shows here as the account's own, as it would on a phone.
import { UserInputError } from "../errors.js";
import {
  type BuiltEvent,
  editedEvent,
  newMessageId,
  type Origin,
  pollMessage,
  pollVoteEvent,
  reactionEvent,
  replyMessage,
  revokedEvent,
  textMessage,
} from "./gateway/event-payloads.js";
import type { GatewaySimulator, SentAction } from "./gateway/simulator.js";
import type { WhatsAppChatView, WhatsAppMessageView, WhatsAppPerson } from "./page-contract.js";

interface WaMessage {
  id: string;
  from: WhatsAppPerson;
  at: number;
  text: string;
  quotedId?: string;
  edited: boolean;
  deleted: boolean;
  /** Reactor's jid → their one emoji (WhatsApp keeps one reaction per person and message). */
  reactions: Map<string, string>;
  poll?: { question: string; options: string[]; selectableCount: 0 | 1; votes: Map<string, string[]> };
}

interface WaChat {
  jid: string;
  name: string;
  members: WhatsAppPerson[];
  messages: WaMessage[];
}

export interface WhatsAppSideOptions {
  gateway: GatewaySimulator;
  org: string;
  session: string;
  account: WhatsAppPerson;
  chats: readonly { jid: string; name: string; members: readonly WhatsAppPerson[] }[];
  /** Called after every change, so the page hears of it. */
  changed: () => void;
  /** A line for the page's activity strip. */
  note: (direction: string, text: string) => void;
}

export interface WhatsAppSide {
  view(linkedChannels: ReadonlyMap<string, string>): { account: WhatsAppPerson; chats: WhatsAppChatView[] };
  post(input: { chat: string; from: string; text: string; replyTo?: string | undefined }): string;
  poll(input: {
    chat: string;
    from: string;
    question: string;
    options: string[];
    selectableCount: 0 | 1;
  }): string;
  react(input: { chat: string; id: string; from: string; emoji: string }): void;
  vote(input: { chat: string; id: string; from: string; options: string[] }): void;
  edit(input: { chat: string; id: string; text: string }): void;
  remove(input: { chat: string; id: string }): void;
  close(): void;
}

export function createWhatsAppSide(options: WhatsAppSideOptions): WhatsAppSide {
  const { gateway, account } = options;
  const chats = new Map<string, WaChat>(
    options.chats.map((chat) => [
      chat.jid,
      { jid: chat.jid, name: chat.name, members: [...chat.members], messages: [] },
    ]),
  );

  function chatOf(jid: string): WaChat {
    const chat = chats.get(jid);
    if (!chat) throw new UserInputError(`There is no WhatsApp chat ${jid} in the sandbox.`);
    return chat;
  }

  function personIn(chat: WaChat, jid: string): WhatsAppPerson {
    if (jid === account.jid) return account;
    const person = chat.members.find((member) => member.jid === jid);
    if (!person) throw new UserInputError(`That person is not in “${chat.name}”.`);
    return person;
  }

  function messageIn(chat: WaChat, id: string): WaMessage {
    const message = chat.messages.find((m) => m.id === id);
    if (!message) throw new UserInputError(`That message is not in “${chat.name}”.`);
    return message;
  }

  function origin(chat: WaChat, from: WhatsAppPerson): Origin {
    return {
      chatJid: chat.jid,
      senderJid: from.jid,
      senderLid: undefined,
      pushName: from.name,
      fromMe: from.jid === account.jid,
    };
  }

  function emit(built: BuiltEvent, what: string): void {
    gateway.emit(options.org, built.event, options.session, built.payload);
    options.note("whatsapp", `${what} (${built.event})`);
    options.changed();
  }

  /** A message of the chat that was not deleted: what a reply, reaction, vote or edit can act on. */
  function liveMessage(chat: WaChat, id: string): WaMessage {
    const message = messageIn(chat, id);
    if (message.deleted) throw new UserInputError("That message was deleted.");
    return message;
  }

  /** What the app did on WhatsApp for a Slack user: the account's reaction or vote, as the phone shows it. */
  function applySent(sent: SentAction): void {
    const chat = chats.get(sent.chat);
    const message = chat?.messages.find((m) => m.id === sent.messageId);
    if (!chat || !message) return;
    if (sent.kind === "reaction") message.reactions.set(account.jid, sent.emoji);
    else if (sent.kind === "unreaction") message.reactions.delete(account.jid);
    else if (message.poll) {
      if (sent.options.length === 0) message.poll.votes.delete(account.jid);
      else message.poll.votes.set(account.jid, sent.options);
    }
    options.note("whatsapp", `${account.name} ${describeSent(sent)} in “${chat.name}”`);
    options.changed();
  }
  const stopListening = gateway.onSent(applySent);

  /** Reactions and votes show people's names, as WhatsApp shows the names saved on the phone. */
  const names = new Map<string, string>([[account.jid, account.name]]);
  for (const chat of chats.values()) for (const member of chat.members) names.set(member.jid, member.name);
  const nameOf = (jid: string) => names.get(jid) ?? `+${jid.split("@")[0]}`;

  function messageView(message: WaMessage): WhatsAppMessageView {
    const byEmoji = new Map<string, string[]>();
    for (const [jid, emoji] of message.reactions)
      byEmoji.set(emoji, [...(byEmoji.get(emoji) ?? []), nameOf(jid)]);
    const view: WhatsAppMessageView = {
      id: message.id,
      from: message.from,
      fromMe: message.from.jid === account.jid,
      at: message.at,
      text: message.text,
      edited: message.edited,
      deleted: message.deleted,
      reactions: [...byEmoji].map(([emoji, by]) => ({ emoji, by })),
    };
    if (message.quotedId !== undefined) view.quotedId = message.quotedId;
    const { poll } = message;
    if (poll) {
      view.poll = {
        question: poll.question,
        selectableCount: poll.selectableCount,
        options: poll.options.map((name) => ({
          name,
          voters: [...poll.votes].filter(([, picked]) => picked.includes(name)).map(([jid]) => nameOf(jid)),
        })),
      };
    }
    return view;
  }

  return {
    view(linkedChannels) {
      return {
        account,
        chats: [...chats.values()].map((chat) => {
          const view: WhatsAppChatView = {
            jid: chat.jid,
            name: chat.name,
            members: chat.members,
            messages: chat.messages.map(messageView),
          };
          const channel = linkedChannels.get(chat.jid);
          if (channel !== undefined) view.linkedChannel = channel;
          return view;
        }),
      };
    },

    post({ chat: chatJid, from, text, replyTo }) {
      const chat = chatOf(chatJid);
      const author = personIn(chat, from);
      const quoted = replyTo === undefined ? undefined : liveMessage(chat, replyTo);
      const id = newMessageId();
      const message: WaMessage = {
        id,
        from: author,
        at: Date.now(),
        text,
        edited: false,
        deleted: false,
        reactions: new Map(),
      };
      if (quoted) message.quotedId = quoted.id;
      chat.messages.push(message);
      const fields = { ...origin(chat, author), waMessageId: id, timestamp: message.at, body: text };
      emit(
        quoted
          ? replyMessage({
              ...fields,
              quotedMessageId: quoted.id,
              quotedSenderJid: quoted.from.jid,
              quotedFromMe: quoted.from.jid === account.jid,
              quotedBody: quoted.text,
            })
          : textMessage(fields),
        `${author.name} wrote in “${chat.name}”`,
      );
      return id;
    },

    poll({ chat: chatJid, from, question, options: choices, selectableCount }) {
      const chat = chatOf(chatJid);
      const author = personIn(chat, from);
      if (new Set(choices).size !== choices.length) throw new UserInputError("A poll's options must differ.");
      const id = newMessageId();
      chat.messages.push({
        id,
        from: author,
        at: Date.now(),
        text: question,
        edited: false,
        deleted: false,
        reactions: new Map(),
        poll: { question, options: choices, selectableCount, votes: new Map() },
      });
      emit(
        pollMessage({
          ...origin(chat, author),
          waMessageId: id,
          poll: { name: question, options: choices, selectableCount },
        }),
        `${author.name} started a poll in “${chat.name}”`,
      );
      return id;
    },

    react({ chat: chatJid, id, from, emoji }) {
      const chat = chatOf(chatJid);
      const reactor = personIn(chat, from);
      const message = liveMessage(chat, id);
      if (emoji === "") {
        if (!message.reactions.delete(reactor.jid)) throw new UserInputError("You have no reaction there.");
        emit(
          reactionEvent({ ...origin(chat, reactor), targetId: id }),
          `${reactor.name} took a reaction back`,
        );
        return;
      }
      message.reactions.set(reactor.jid, emoji);
      emit(
        reactionEvent({ ...origin(chat, reactor), targetId: id, emoji }),
        `${reactor.name} reacted ${emoji}`,
      );
    },

    vote({ chat: chatJid, id, from, options: selected }) {
      const chat = chatOf(chatJid);
      const voter = personIn(chat, from);
      const poll = liveMessage(chat, id).poll;
      if (!poll) throw new UserInputError("That message is not a poll.");
      const unknown = selected.filter((option) => !poll.options.includes(option));
      if (unknown.length > 0) throw new UserInputError(`The poll has no option “${unknown[0]}”.`);
      if (poll.selectableCount === 1 && selected.length > 1) {
        throw new UserInputError("This poll takes one answer.");
      }
      if (selected.length === 0) poll.votes.delete(voter.jid);
      else poll.votes.set(voter.jid, selected);
      emit(
        pollVoteEvent({ ...origin(chat, voter), targetId: id, selectedOptions: selected }),
        selected.length === 0
          ? `${voter.name} withdrew their vote`
          : `${voter.name} voted ${selected.join(", ")}`,
      );
    },

    edit({ chat: chatJid, id, text }) {
      const chat = chatOf(chatJid);
      const message = liveMessage(chat, id);
      if (message.poll) throw new UserInputError("WhatsApp does not let anyone edit a poll.");
      message.text = text;
      message.edited = true;
      emit(
        editedEvent({ ...origin(chat, message.from), targetId: id, body: text }),
        `${message.from.name} edited a message`,
      );
    },

    remove({ chat: chatJid, id }) {
      const chat = chatOf(chatJid);
      const message = liveMessage(chat, id);
      message.deleted = true;
      message.text = "";
      message.reactions.clear();
      emit(
        revokedEvent({ ...origin(chat, message.from), targetId: id }),
        `${message.from.name} deleted a message for everyone`,
      );
    },

    close() {
      stopListening();
    },
  };
}

function describeSent(sent: SentAction): string {
  if (sent.kind === "reaction") return `reacted ${sent.emoji}`;
  if (sent.kind === "unreaction") return "took its reaction back";
  return sent.options.length === 0 ? "withdrew its vote" : `voted ${sent.options.join(", ")}`;
}
