// Small helpers the reliability tests share on top of the app harness: a /wa command with its reply,
// the audit log of a workspace, readiness, a watch on unhandled rejections, and heap after a full GC.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { request } from "undici";
import type { SlackResponse } from "../../src/sandbox/slack/signed-requests.js";
import type { ResponseUrlPost } from "../../src/sandbox/slack/web-api.js";
import { CHANNEL, type Harness, MEMBER, TEAM } from "./app-harness.js";

let replies = 0;

export interface CommandRun {
  res: SlackResponse;
  responseId: string;
  /** The first response_url post of this command (generous wait: the gateway may be slow on purpose). */
  reply(timeoutMs?: number): Promise<ResponseUrlPost>;
}

export async function wa(
  h: Harness,
  text: string,
  options: {
    team?: string;
    user?: string;
    channel?: string;
    enterpriseId?: string;
    isEnterpriseInstall?: boolean;
  } = {},
): Promise<CommandRun> {
  replies += 1;
  const responseId = `rel-${process.pid}-${replies}`;
  const res = await h.send.command({
    teamId: options.team ?? TEAM,
    userId: options.user ?? MEMBER,
    channelId: options.channel ?? CHANNEL,
    text,
    responseUrl: h.slack.responseUrl(responseId),
    enterpriseId: options.enterpriseId,
    isEnterpriseInstall: options.isEnterpriseInstall,
  });
  return {
    res,
    responseId,
    reply: (timeoutMs = 15_000) => h.slack.waitForResponse((p) => p.id === responseId, timeoutMs),
  };
}

/** The reply as one string, for plain-words assertions. */
export function textOf(post: ResponseUrlPost | { body: unknown }): string {
  return JSON.stringify(post.body);
}

export async function auditOf(h: Harness, workspaceId = TEAM) {
  return h.services.store.listAudit({ workspaceId, limit: 1000 });
}

/** The audit entries about one WhatsApp message id. */
export async function auditAbout(h: Harness, messageId: string, workspaceId = TEAM) {
  return (await auditOf(h, workspaceId)).filter((r) => r.messageId === messageId);
}

export async function readyz(baseUrl: string): Promise<number> {
  const res = await request(`${baseUrl}/readyz`);
  await res.body.dump();
  return res.statusCode;
}

/** Polls until `check` holds; fails with `what` after the (generous) timeout. Not a timing assertion. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
  const giveUp = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > giveUp) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Records unhandled rejections and uncaught exceptions while a test runs, so it can assert there were
 * none (vitest would also fail the run, but without saying which input caused it).
 */
export function watchUnhandled(): { readonly seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => void seen.push(reason);
  const onException = (error: unknown) => void seen.push(error);
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtExceptionMonitor", onException);
  return {
    seen,
    stop() {
      process.off("unhandledRejection", onRejection);
      process.off("uncaughtExceptionMonitor", onException);
    },
  };
}

let gc: (() => void) | undefined;

/** Heap in use after a full collection; --expose-gc is switched on at run time for this. */
export function heapUsedAfterGc(): number {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
