// What a modal must remember between opening and submission, carried in its `private_metadata`.
// Slack allows 3000 characters there, so the wire form uses one-letter keys: a 12-option poll of
// 100-character options must still fit beside the ids and the response_url.
import { z } from "zod";
import type { MessageRef, Poll } from "../../domain/types.js";
import { UserInputError } from "../../errors.js";
import { LIMITS } from "./format.js";

export interface ModalContext {
  workspaceId: string;
  userId: string;
  channelId?: string | undefined;
  messageTs?: string | undefined;
  threadTs?: string | undefined;
  responseUrl?: string | undefined;
  target: MessageRef;
  poll?: Poll | undefined;
}

/** Bumped when the wire form changes, so a form opened before a deploy is told to reopen, not misread. */
const WIRE_VERSION = 1;

const WireSchema = z.object({
  v: z.literal(WIRE_VERSION),
  w: z.string().min(1),
  u: z.string().min(1),
  c: z.string().optional(),
  m: z.string().optional(),
  h: z.string().optional(),
  r: z.string().optional(),
  t: z.object({ s: z.string(), c: z.string(), m: z.string(), f: z.string() }),
  p: z.object({ n: z.string(), o: z.array(z.string()), k: z.int().min(0) }).optional(),
});
type Wire = z.infer<typeof WireSchema>;

const OUT_OF_DATE = "This form is out of date, open it again.";

export function encodeModalContext(ctx: ModalContext): string {
  const wire: Wire = {
    v: WIRE_VERSION,
    w: ctx.workspaceId,
    u: ctx.userId,
    c: ctx.channelId,
    m: ctx.messageTs,
    h: ctx.threadTs,
    r: ctx.responseUrl,
    t: { s: ctx.target.sessionId, c: ctx.target.chat, m: ctx.target.messageId, f: ctx.target.sender },
    p: ctx.poll && { n: ctx.poll.name, o: ctx.poll.options, k: ctx.poll.selectableCount },
  };
  const text = JSON.stringify(wire);
  // Cutting anything here would make the submission vote for text that is not the poll's: refuse instead.
  if (text.length > LIMITS.privateMetadata) {
    throw new UserInputError(
      ctx.poll
        ? 'This poll\'s text is too long to fit in a Slack form. Vote with `/wa vote <link> "option"` instead.'
        : "This message's details are too long to fit in a Slack form. Use the `/wa` command instead.",
    );
  }
  return text;
}

/** Throws UserInputError when the text is not a context this version of the app wrote. */
export function decodeModalContext(text: string): ModalContext {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new UserInputError(OUT_OF_DATE, { cause });
  }
  const parsed = WireSchema.safeParse(json);
  if (!parsed.success) throw new UserInputError(OUT_OF_DATE, { cause: parsed.error });
  const wire = parsed.data;
  const ctx: ModalContext = {
    workspaceId: wire.w,
    userId: wire.u,
    target: { sessionId: wire.t.s, chat: wire.t.c, messageId: wire.t.m, sender: wire.t.f },
  };
  // Absent keys stay absent rather than becoming `undefined` properties, so a decoded context
  // compares equal to the one that was encoded.
  if (wire.c !== undefined) ctx.channelId = wire.c;
  if (wire.m !== undefined) ctx.messageTs = wire.m;
  if (wire.h !== undefined) ctx.threadTs = wire.h;
  if (wire.r !== undefined) ctx.responseUrl = wire.r;
  if (wire.p !== undefined) ctx.poll = { name: wire.p.n, options: wire.p.o, selectableCount: wire.p.k };
  return ctx;
}
