// The one use case every surface shares: act on a WhatsApp message with the workspace's own key,
// write the attempt to the audit log, and hand back an outcome for Slack to show.
import { checkVoteSelection } from "../domain/poll.js";
import type { Action, Poll, Visibility } from "../domain/types.js";
import { NotConfiguredError, TargetError } from "../errors.js";
import type { GatewayClient, MessageRef, SendResult } from "../gateway/types.js";
import type { Logger } from "../logger.js";
import type { AuditOutcome, Store } from "../store/port.js";
import type { WorkspaceDirectory } from "../store/workspaces.js";
import type { FairLimiter } from "./fair-limiter.js";

export interface ActionRequest {
  workspaceId: string;
  userId: string;
  /** Session may be absent: the workspace's default session is used then. */
  target: Omit<MessageRef, "sessionId" | "sender"> & {
    sessionId?: string | undefined;
    sender?: string | undefined;
  };
  action: Action;
  poll?: Poll | undefined;
}

export type ActionOutcome =
  | { ok: true; target: MessageRef; action: Action; result: SendResult; visibility: Visibility }
  | { ok: false; error: unknown; visibility: Visibility };

export interface ActionRunnerDeps {
  gateway: GatewayClient;
  workspaces: WorkspaceDirectory;
  store: Pick<Store, "appendAudit">;
  limiter: FairLimiter;
  logger: Logger;
  clock?: () => Date;
}

export type ActionRunner = (request: ActionRequest) => Promise<ActionOutcome>;

export function createActionRunner(deps: ActionRunnerDeps): ActionRunner {
  const clock = deps.clock ?? (() => new Date());

  return async function runAction(request) {
    const log = deps.logger.child({ team: request.workspaceId, user: request.userId, op: request.action.op });
    let visibility: Visibility = "ephemeral";
    let target: MessageRef | undefined;
    let outcome: AuditOutcome;
    let result: ActionOutcome;
    try {
      const config = await deps.workspaces.get(request.workspaceId);
      visibility = config?.visibility ?? "ephemeral";
      const sessionId = request.target.sessionId ?? config?.defaultSessionId;
      target = {
        sessionId: sessionId ?? "",
        chat: request.target.chat,
        messageId: request.target.messageId,
        sender: request.target.sender ?? "",
      };
      if (!config?.apiKey) throw new NotConfiguredError(request.workspaceId);
      if (!sessionId) {
        throw new TargetError(
          "no_session",
          "No WhatsApp session was given and the workspace has no default session",
        );
      }
      const apiKey = config.apiKey;
      const action = request.action;
      const ref = target;
      const options =
        action.op === "vote" && action.options.length > 0
          ? checkVoteSelection(request.poll, action.options)
          : [];
      const sent = await deps.limiter.run(request.workspaceId, () => {
        switch (action.op) {
          case "react":
            return deps.gateway.addReaction(apiKey, ref, action.emoji);
          case "unreact":
            return deps.gateway.removeReaction(apiKey, ref);
          case "vote":
            return deps.gateway.vote(apiKey, ref, options);
        }
      });
      const done: Action = action.op === "vote" ? { op: "vote", options } : action;
      outcome = { ok: true, status: sent.status ?? sent.mode };
      result = { ok: true, target: ref, action: done, result: sent, visibility };
      log.info({ chat: ref.chat, status: sent.status }, "WhatsApp action sent");
    } catch (error) {
      const code =
        typeof (error as { code?: unknown })?.code === "string"
          ? (error as { code: string }).code
          : "internal_error";
      outcome = { ok: false, errorCode: code };
      result = { ok: false, error, visibility };
      log.warn({ err: error, code }, "WhatsApp action failed");
    }

    // Every attempt is recorded, the failed ones too. An attempt without a resolvable target
    // (store down before the settings were read) has nothing to record beyond the log line above.
    if (target) {
      try {
        await deps.store.appendAudit({
          workspaceId: request.workspaceId,
          userId: request.userId,
          operation: request.action.op,
          sessionId: target.sessionId,
          chat: target.chat,
          messageId: target.messageId,
          emoji: request.action.op === "react" ? request.action.emoji : undefined,
          options: request.action.op === "vote" ? request.action.options : undefined,
          outcome,
          at: clock(),
        });
      } catch (error) {
        log.error({ err: error }, "could not write the audit log entry");
      }
    }
    return result;
  };
}
