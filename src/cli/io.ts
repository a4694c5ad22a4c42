// What the CLI talks to, passed in so tests run it in-process; and reading the API key from stdin.
import { WaSlackError } from "../errors.js";

export interface TextSink {
  write(chunk: string): unknown;
}

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: TextSink;
  stderr: TextSink;
  env: Record<string, string | undefined>;
  cwd: string;
  stdinIsTTY: boolean;
}

/** The operator pressed Ctrl-C at the prompt. */
export class InterruptedError extends WaSlackError {
  readonly code = "interrupted";
}

/** More than any API key: stops a mistaken pipe (a whole file) from being read into memory. */
const MAX_STDIN_BYTES = 64 * 1024;

/**
 * The secret on stdin: everything piped in, or one line typed at a hidden prompt on a terminal.
 * Returns "" when nothing was given.
 */
export async function readSecret(io: CliIo, prompt: string): Promise<string> {
  if (io.stdinIsTTY) return promptHidden(io, prompt);
  let text = "";
  for await (const chunk of io.stdin) {
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.length > MAX_STDIN_BYTES) break;
  }
  return text.trim();
}

interface RawCapable {
  setRawMode?: (mode: boolean) => unknown;
  isRaw?: boolean;
}

/** Reads one line without echoing it, so the key does not stay on screen or in the terminal's scrollback. */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  io.stderr.write(prompt);
  const stdin = io.stdin as NodeJS.ReadableStream & RawCapable;
  const canHide = typeof stdin.setRawMode === "function";
  const wasRaw = stdin.isRaw === true;
  if (canHide) stdin.setRawMode?.(true);

  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: Error) => {
      stdin.removeListener("data", onData);
      stdin.removeListener("end", onEnd);
      if (canHide) stdin.setRawMode?.(wasRaw);
      stdin.pause();
      io.stderr.write("\n");
      if (error) reject(error);
      else resolve(value.trim());
    };
    const onEnd = () => finish();
    const onData = (chunk: string | Buffer) => {
      for (const ch of typeof chunk === "string" ? chunk : chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") return finish(new InterruptedError("Interrupted: nothing was changed."));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.resume();
  });
}
