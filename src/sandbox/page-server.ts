// The sandbox page's routes, served by the Slack stand-in's server beside Slack's own (/api/…,
// /response/…): the page's files at /, its state and live stream under /sandbox/, and the POST routes of
// page-contract.ts, each body checked with its schema before anything happens.
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import { z } from "zod";
import { UserInputError } from "../errors.js";
import {
  type ActionAnswer,
  BlockActionInput,
  CommandInput,
  DismissInput,
  type EmojiTable,
  GatewayModeInput,
  HomeOpenedInput,
  type SandboxState,
  ShortcutInput,
  SlackReactionInput,
  ViewClosedInput,
  ViewSubmissionInput,
  WhatsAppDeleteInput,
  WhatsAppEditInput,
  WhatsAppMessageInput,
  WhatsAppPollInput,
  WhatsAppReactionInput,
  WhatsAppVoteInput,
} from "./page-contract.js";

/** The page's own requests are small; anything larger is not the page. */
const MAX_BODY = 256 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

type Handler = (body: unknown) => Promise<ActionAnswer | undefined> | ActionAnswer | undefined;

export interface PageActions {
  command: (input: z.infer<typeof CommandInput>) => Promise<void>;
  shortcut: (input: z.infer<typeof ShortcutInput>) => Promise<void>;
  blockAction: (input: z.infer<typeof BlockActionInput>) => Promise<void>;
  submitView: (input: z.infer<typeof ViewSubmissionInput>) => Promise<string | undefined>;
  closeView: (input: z.infer<typeof ViewClosedInput>) => Promise<void>;
  slackReaction: (input: z.infer<typeof SlackReactionInput>) => Promise<void>;
  dismiss: (input: z.infer<typeof DismissInput>) => void;
  homeOpened: () => Promise<void>;
  whatsappMessage: (input: z.infer<typeof WhatsAppMessageInput>) => void;
  whatsappPoll: (input: z.infer<typeof WhatsAppPollInput>) => void;
  whatsappReaction: (input: z.infer<typeof WhatsAppReactionInput>) => void;
  whatsappVote: (input: z.infer<typeof WhatsAppVoteInput>) => void;
  whatsappEdit: (input: z.infer<typeof WhatsAppEditInput>) => void;
  whatsappDelete: (input: z.infer<typeof WhatsAppDeleteInput>) => void;
  gatewayMode: (input: z.infer<typeof GatewayModeInput>) => void;
}

export interface PageServer {
  routes(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Something changed: every open page gets the new state (changes close together are sent once). */
  changed(): void;
  close(): void;
}

export function createPageServer(options: {
  pageDir: string;
  state: () => Promise<SandboxState>;
  emoji: () => EmojiTable;
  actions: PageActions;
  /** Told when an action fails for a reason that is not the person's input (the app or the sandbox). */
  failed: (route: string, error: unknown) => void;
}): PageServer {
  const { actions } = options;
  const streams = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;

  const post: Record<string, Handler> = {
    "/sandbox/slack/command": (b) => actions.command(CommandInput.parse(b)).then(ok),
    "/sandbox/slack/shortcut": (b) => actions.shortcut(ShortcutInput.parse(b)).then(ok),
    "/sandbox/slack/block-action": (b) => actions.blockAction(BlockActionInput.parse(b)).then(ok),
    "/sandbox/slack/view-submission": async (b) => {
      const responseAction = await actions.submitView(ViewSubmissionInput.parse(b));
      return responseAction === undefined ? { ok: true } : { ok: true, responseAction };
    },
    "/sandbox/slack/view-closed": (b) => actions.closeView(ViewClosedInput.parse(b)).then(ok),
    "/sandbox/slack/reaction": (b) => actions.slackReaction(SlackReactionInput.parse(b)).then(ok),
    "/sandbox/slack/dismiss": (b) => ok(actions.dismiss(DismissInput.parse(b))),
    "/sandbox/slack/home-opened": (b) => {
      HomeOpenedInput.parse(b);
      return actions.homeOpened().then(ok);
    },
    "/sandbox/whatsapp/message": (b) => ok(actions.whatsappMessage(WhatsAppMessageInput.parse(b))),
    "/sandbox/whatsapp/poll": (b) => ok(actions.whatsappPoll(WhatsAppPollInput.parse(b))),
    "/sandbox/whatsapp/reaction": (b) => ok(actions.whatsappReaction(WhatsAppReactionInput.parse(b))),
    "/sandbox/whatsapp/vote": (b) => ok(actions.whatsappVote(WhatsAppVoteInput.parse(b))),
    "/sandbox/whatsapp/edit": (b) => ok(actions.whatsappEdit(WhatsAppEditInput.parse(b))),
    "/sandbox/whatsapp/delete": (b) => ok(actions.whatsappDelete(WhatsAppDeleteInput.parse(b))),
    "/sandbox/gateway/mode": (b) => ok(actions.gatewayMode(GatewayModeInput.parse(b))),
  };

  async function broadcast(): Promise<void> {
    pending = undefined;
    if (streams.size === 0) return;
    const frame = `event: state\ndata: ${JSON.stringify(await options.state())}\n\n`;
    for (const stream of streams) stream.write(frame);
  }

  async function act(route: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const handler = post[route];
    if (!handler) return json(res, 404, { ok: false, error: `There is no ${route} here.` });
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      const tooLarge = error instanceof BodyTooLarge;
      return json(res, tooLarge ? 413 : 400, {
        ok: false,
        error: tooLarge ? "That request is too large." : "The request's body is not JSON.",
      });
    }
    try {
      json(res, 200, (await handler(body)) ?? { ok: true });
    } catch (error) {
      if (error instanceof z.ZodError) {
        return json(res, 400, { ok: false, error: describeZodError(error) });
      }
      if (error instanceof UserInputError) return json(res, 400, { ok: false, error: error.message });
      options.failed(route, error);
      json(res, 502, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function serveFile(pathname: string, res: ServerResponse): Promise<boolean> {
    const relative = pathname === "/" ? "index.html" : normalize(pathname).replace(/^[/\\]+/, "");
    // Only the page's own files: no dot files, no way out of its folder.
    if (relative.split(/[/\\]/).some((part) => part.startsWith(".") || part === "")) return false;
    const type = CONTENT_TYPES[extname(relative)];
    if (!type) return false;
    try {
      const content = await readFile(join(options.pageDir, relative));
      res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
      res.end(content);
      return true;
    } catch {
      return false;
    }
  }

  return {
    async routes(req, res, url) {
      const { pathname } = url;
      if (req.method === "POST" && pathname.startsWith("/sandbox/")) {
        await act(pathname, req, res);
        return true;
      }
      if (req.method !== "GET") return false;
      if (pathname === "/sandbox/state") {
        json(res, 200, await options.state());
        return true;
      }
      if (pathname === "/sandbox/emoji") {
        res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=3600" });
        res.end(JSON.stringify(options.emoji()));
        return true;
      }
      if (pathname === "/sandbox/stream") {
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-store",
          connection: "keep-alive",
        });
        streams.add(res);
        req.on("close", () => streams.delete(res));
        res.write(`event: state\ndata: ${JSON.stringify(await options.state())}\n\n`);
        return true;
      }
      if (await serveFile(pathname, res)) return true;
      // Slack's own routes are the stand-in's; anything else is not here.
      if (pathname.startsWith("/api/") || pathname.startsWith("/response/")) return false;
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(`There is no ${pathname} in the sandbox.`);
      return true;
    },
    changed() {
      pending ??= setTimeout(() => {
        broadcast().catch((error: unknown) => options.failed("/sandbox/stream", error));
      }, 25);
    },
    close() {
      if (pending) clearTimeout(pending);
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}

/** Whatever the action returned: the page hears only that it was done (and sees its effect in the state). */
function ok(_done?: unknown): ActionAnswer {
  return { ok: true };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "The request is not what this route takes.";
  const where = issue.path.length > 0 ? ` (${issue.path.join(".")})` : "";
  return `The request is not what this route takes${where}: ${issue.message}.`;
}
