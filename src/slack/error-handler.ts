// The one place where an error that escaped a listener becomes words for the user. Listeners do not
// swallow errors: whatever they throw after the ack arrives here, is logged with its context, and is
// shown only to the person who acted (in their modal when there is one).
import { AuthorizationError, type Context, ErrorCode, type webApi } from "@slack/bolt";
import {
  ChannelAccessError,
  NotConfiguredError,
  NotInstalledError,
  PermissionError,
  TargetError,
  UserInputError,
} from "../errors.js";
import type { Logger } from "../logger.js";
import { errorMessage } from "./blocks/messages.js";
import { decodeModalContext } from "./blocks/modal-context.js";
import { outcomeModal } from "./blocks/outcome-modal.js";
import type { Deliverer, Destination } from "./deliver.js";
import { hasWorkingNote } from "./working-note.js";

interface ErrorArgs {
  error: Error;
  logger: unknown;
  context: Context;
  body: unknown;
}

type Body = {
  type?: string;
  user_id?: string;
  channel_id?: string;
  response_url?: string;
  command?: string;
  callback_id?: string;
  user?: { id?: string };
  channel?: { id?: string };
  response_urls?: { response_url?: string }[];
  view?: { id?: string; callback_id?: string; private_metadata?: string };
  event?: { type?: string };
};

function isUsersToFix(error: unknown): boolean {
  return (
    error instanceof UserInputError ||
    error instanceof PermissionError ||
    error instanceof ChannelAccessError ||
    error instanceof TargetError ||
    error instanceof NotConfiguredError
  );
}

/** Bolt wraps what listeners throw; find the error that was thrown. */
export function originalError(error: unknown): unknown {
  const wrapped = error as { original?: unknown; originals?: unknown[] };
  if (wrapped?.original !== undefined) return originalError(wrapped.original);
  if (Array.isArray(wrapped?.originals) && wrapped.originals.length > 0)
    return originalError(wrapped.originals[0]);
  return error;
}

function destinationOf(body: Body): Destination | undefined {
  const userId = body.user_id ?? body.user?.id;
  if (!userId) return undefined;
  const to: Destination = {
    userId,
    channelId: body.channel_id ?? body.channel?.id,
    responseUrl: body.response_url ?? body.response_urls?.[0]?.response_url,
  };
  if (body.view?.private_metadata) {
    try {
      const ctx = decodeModalContext(body.view.private_metadata);
      return {
        ...to,
        channelId: to.channelId ?? ctx.channelId,
        responseUrl: to.responseUrl ?? ctx.responseUrl,
      };
    } catch {
      // Not one of our action modals (the config modal keeps other metadata): the user id still serves.
    }
  }
  return to;
}

export function createErrorHandler(deps: {
  logger: Logger;
  deliver: Deliverer;
  clientFor: (token: string) => webApi.WebClient;
}) {
  return async ({ error, context, body }: ErrorArgs): Promise<void> => {
    const cause = originalError(error);
    const b = (body ?? {}) as Body;
    // What a user can fix (a mistake, a missing permission, a channel to invite the app to) is theirs to
    // read, not an operator's alarm: it is logged, but not as an error.
    const level = isUsersToFix(cause) ? "info" : "error";
    deps.logger[level](
      {
        err: cause,
        team: context.teamId ?? context.enterpriseId,
        user: b.user_id ?? b.user?.id,
        type: b.type ?? (b.command ? "slash_command" : b.event?.type),
        callbackId: b.callback_id ?? b.view?.callback_id,
      },
      level === "info" ? "a Slack request was refused; the user is told why" : "a Slack request failed",
    );
    const to = destinationOf(b);
    if (!to) return;
    if (
      error instanceof AuthorizationError ||
      (error as { code?: unknown }).code === ErrorCode.AuthorizationError
    ) {
      // No installation for this workspace, so no token: only a response_url (which needs none) can answer.
      if (to.responseUrl) await deps.deliver.ephemeral(undefined, to, errorMessage(new NotInstalledError()));
      return;
    }
    if (!context.botToken) return;
    const client = deps.clientFor(context.botToken);
    const message = errorMessage(cause);
    if (hasWorkingNote(context)) to.replacesWorkingNote = true;
    if (b.view?.id) {
      await deps.deliver.inModal(client, b.view.id, outcomeModal("WhatsApp", message), to, message);
      return;
    }
    await deps.deliver.ephemeral(client, to, message);
  };
}
