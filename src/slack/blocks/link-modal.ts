// The "Mirror a WhatsApp chat here" modal of `/wa link` without a chat: the session's chats by name when
// the key may read them, a field for the chat id either way, and whether Slack reactions go to WhatsApp.
import { z } from "zod";
import { chatIdRefusal } from "../../domain/chat-id.js";
import { UserInputError } from "../../errors.js";
import type { LinkableChat } from "../../usecases/chat-directory.js";
import { ActionId, BlockId, ViewId } from "../ids.js";
import type { KnownBlock, ModalView } from "./block-kit.js";
import { code, LIMITS, shorten } from "./format.js";
import { readSelectedOption, readSelectedOptions, readTextInput } from "./state.js";

/** What the modal carries from `/wa link` to its submission. */
export interface LinkModalContext {
  channelId: string;
  sessionId: string;
  responseUrl?: string | undefined;
}

const ContextSchema = z.object({ c: z.string().min(1), s: z.string().min(1), r: z.string().optional() });
const REACTIONS_VALUE = "send_reactions";
const TITLE = "Mirror WhatsApp";

function encode(ctx: LinkModalContext): string {
  return JSON.stringify({ c: ctx.channelId, s: ctx.sessionId, r: ctx.responseUrl });
}

export function decodeLinkModalContext(text: string): LinkModalContext {
  try {
    const wire = ContextSchema.parse(JSON.parse(text));
    return { channelId: wire.c, sessionId: wire.s, responseUrl: wire.r };
  } catch (cause) {
    throw new UserInputError("This form is out of date, run /wa link again.", { cause });
  }
}

export function linkModal(input: {
  ctx: LinkModalContext;
  /** The session's chats, or undefined when the key may not list them. */
  chats: readonly LinkableChat[] | undefined;
  sendReactions: boolean;
}): ModalView {
  const { chats } = input;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `New messages of the chat you choose appear in <#${input.ctx.channelId}>, as they arrive (session ${code(input.ctx.sessionId)}).`,
      },
    },
  ];
  if (chats !== undefined && chats.length > 0) {
    const shown = chats.slice(0, LIMITS.staticSelectOptions);
    blocks.push({
      type: "input",
      block_id: BlockId.linkChat,
      optional: true,
      label: { type: "plain_text", text: "WhatsApp chat" },
      ...(chats.length > shown.length
        ? {
            hint: {
              type: "plain_text" as const,
              text: `The first ${shown.length} of ${chats.length} chats; paste the id of another one below.`,
            },
          }
        : {}),
      element: {
        type: "static_select",
        action_id: ActionId.linkChatInput,
        placeholder: { type: "plain_text", text: "Choose a group or a person" },
        options: shown.map((chat) => ({
          text: {
            type: "plain_text" as const,
            text: shorten(`${chat.isGroup ? "👥" : "👤"} ${chat.name}`, LIMITS.optionText),
          },
          value: chat.jid,
        })),
      },
    });
  }
  blocks.push({
    type: "input",
    block_id: BlockId.linkChatId,
    optional: chats !== undefined && chats.length > 0,
    label: {
      type: "plain_text",
      text: chats !== undefined && chats.length > 0 ? "Or the chat id" : "WhatsApp chat id",
    },
    hint: {
      type: "plain_text",
      text:
        chats === undefined
          ? "The gateway key can't list chats (it has no read permission), so paste the chat id, e.g. 120363012345678901@g.us."
          : "A group (…@g.us) or a person (…@s.whatsapp.net, …@lid).",
    },
    element: {
      type: "plain_text_input",
      action_id: ActionId.linkChatIdInput,
      placeholder: { type: "plain_text", text: "120363012345678901@g.us" },
      max_length: 200,
    },
  });
  blocks.push({
    type: "input",
    block_id: BlockId.linkReactions,
    optional: true,
    label: { type: "plain_text", text: "Reactions" },
    element: {
      type: "checkboxes",
      action_id: ActionId.linkReactionsInput,
      options: [
        {
          text: { type: "plain_text", text: "Send reactions added in Slack to WhatsApp" },
          description: { type: "plain_text", text: "Off: a reaction here stays a note among colleagues." },
          value: REACTIONS_VALUE,
        },
      ],
      ...(input.sendReactions
        ? {
            initial_options: [
              {
                text: { type: "plain_text" as const, text: "Send reactions added in Slack to WhatsApp" },
                description: {
                  type: "plain_text" as const,
                  text: "Off: a reaction here stays a note among colleagues.",
                },
                value: REACTIONS_VALUE,
              },
            ],
          }
        : {}),
    },
  });
  return {
    type: "modal",
    callback_id: ViewId.link,
    private_metadata: encode(input.ctx),
    title: { type: "plain_text", text: TITLE },
    submit: { type: "plain_text", text: "Mirror here" },
    close: { type: "plain_text", text: "Cancel" },
    blocks,
  };
}

/** The chat and the reactions choice; throws UserInputError on the field to fix. */
export function readLinkSubmission(values: unknown): { chatJid: string; sendReactions: boolean } {
  const chosen = readSelectedOption(values, BlockId.linkChat, ActionId.linkChatInput);
  const typed = readTextInput(values, BlockId.linkChatId, ActionId.linkChatIdInput)?.trim() ?? "";
  if (chosen !== undefined && typed !== "" && chosen !== typed) {
    throw new UserInputError("Choose a chat or paste its id, not both.", { field: BlockId.linkChatId });
  }
  const chatJid = typed !== "" ? typed : chosen;
  if (chatJid === undefined) {
    throw new UserInputError("Choose the WhatsApp chat to mirror here, or paste its id.", {
      field: BlockId.linkChatId,
    });
  }
  const refusal = chatIdRefusal(chatJid);
  if (refusal !== undefined) throw new UserInputError(refusal, { field: BlockId.linkChatId });
  const reactions = readSelectedOptions(values, BlockId.linkReactions, ActionId.linkReactionsInput) ?? [];
  return { chatJid, sendReactions: reactions.includes(REACTIONS_VALUE) };
}
