// The one use case every surface shares: act on a WhatsApp message with the workspace's own key,
// record the action in the audit log, and hand back an outcome for Slack to show.
import { checkVoteSelection } from "../domain/poll.js";
import type { Action, MessageRef, Poll, Visibility } from "../domain/types.js";
import { NotConfiguredError, TargetError } from "../errors.js";
import type { GatewayClient, SendResult } from "../gateway/types.js";
import type { Logger } from "../logger.js";
import type { AuditEntry, AuditOutcome, Store } from "../store/port.js";
import type { FairLimiter } from "./fair-limiter.js";
import type { AdmissionTicket } from "./overload-refusal.js";
import type { WorkspaceDirectory } from "./workspace-directory.js";

export interface ActionRequest {
  workspaceId: string;
  userId: string;
  /** An empty or absent session means the workspace's default session; an absent sender, "". */
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
  store: Pick<Store, "appendAudit" | "settleAudit">;
  limiter: FairLimiter;
  logger: Logger;
  /**
   * Told of every action WhatsApp accepted, so a mirrored message shows it as the account's (the gateway
   * sends no event for what the API did). A failure there is logged; the action's outcome stands.
   */
  onSent?: ((workspaceId: string, target: MessageRef, action: Action) => Promise<void>) | undefined;
  clock?: () => Date;
}

/** Runs one admitted action; the ticket proves it passed the overload check (overload-refusal.ts). */
export type ActionRunner = (ticket: AdmissionTicket, request: ActionRequest) => Promise<ActionOutcome>;

/**
 * The audit rule. An action is written to the audit log as pending BEFORE the gateway is called, and
 * settled with its outcome after. When the pending entry cannot be written (the store is down), the
 * action is refused and the gateway is never called: nothing reaches WhatsApp without a record of it,
 * even while the workspace's settings are still served from the cache. When the store goes away during
 * the gateway call, the entry stays pending ("outcome unknown"), so a record may be incomplete but is
 * never missing. Attempts refused before that point (not configured, no session, an option the poll
 * lacks) sent nothing; they are recorded after the fact, and a store that is down loses only that line.
 */
export function createActionRunner(deps: ActionRunnerDeps): ActionRunner {
  const clock = deps.clock ?? (() => new Date());

  function entryOf(request: ActionRequest, target: MessageRef, outcome: AuditEntry["outcome"]): AuditEntry {
    return {
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
    };
  }

  return async function runAction(_ticket, request) {
    // Made when a line is written: a pino child serialises its bindings at once, and at the usual
    // level a successful action writes none (bench/findings.md).
    let child: Logger | undefined;
    const log = () =>
      (child ??= deps.logger.child({
        team: request.workspaceId,
        user: request.userId,
        op: request.action.op,
      }));
    let visibility: Visibility = "ephemeral";
    let target: MessageRef | undefined;
    let pendingId: number | undefined;
    let recordFailed = false;
    try {
      const config = await deps.workspaces.get(request.workspaceId);
      visibility = config?.visibility ?? "ephemeral";
      const sessionId = request.target.sessionId || config?.defaultSessionId;
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
      try {
        pendingId = await deps.store.appendAudit(entryOf(request, ref, { pending: true }));
      } catch (error) {
        recordFailed = true;
        throw error;
      }
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
      if (deps.logger.isLevelEnabled("info"))
        log().info({ chat: ref.chat, status: sent.status }, "WhatsApp action sent");
      await settle(log, pendingId, { ok: true, status: sent.status ?? sent.mode });
      if (deps.onSent) {
        await deps.onSent(request.workspaceId, ref, done).catch((error: unknown) => {
          log().warn({ err: error }, "the action was sent, but its mirrored message may not show it yet");
        });
      }
      return { ok: true, target: ref, action: done, result: sent, visibility };
    } catch (error) {
      const code =
        typeof (error as { code?: unknown })?.code === "string"
          ? (error as { code: string }).code
          : "internal_error";
      const outcome: AuditOutcome = { ok: false, errorCode: code };
      log().warn({ err: error, code }, "WhatsApp action failed");
      if (pendingId !== undefined) await settle(log, pendingId, outcome);
      else if (target && !recordFailed) await recordRefusal(log, entryOf(request, target, outcome));
      return { ok: false, error, visibility };
    }
  };

  async function settle(log: () => Logger, id: number, outcome: AuditOutcome): Promise<void> {
    try {
      await deps.store.settleAudit(id, outcome);
    } catch (error) {
      log().error(
        { err: error, auditId: id, outcome },
        "could not record how the action ended; its audit entry stays pending",
      );
    }
  }

  async function recordRefusal(log: () => Logger, entry: AuditEntry): Promise<void> {
    try {
      await deps.store.appendAudit(entry);
    } catch (error) {
      log().error({ err: error }, "could not write the audit log entry of a refused action");
    }
  }
}
