// `npm run sandbox`: the app, a simulated WhatsApp gateway and a page standing in for Slack, on this
// machine, with nothing to configure. Prints the page's address; Ctrl-C stops everything.
import { startSandbox } from "./start-sandbox.js";

const DEFAULT_PORT = 4000;

function portFromEnvironment(): number {
  const raw = process.env.SANDBOX_PORT;
  if (raw === undefined || raw === "") return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`SANDBOX_PORT must be a port number (0 for any free one), not “${raw}”.`);
    process.exit(2);
  }
  return port;
}

const port = portFromEnvironment();
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
try {
  sandbox = await startSandbox({ port });
} catch (error) {
  const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
  console.error(
    inUse
      ? `Port ${port} is taken. Run it on another: SANDBOX_PORT=4001 npm run sandbox (0 picks a free one).`
      : `The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}

console.log(`\nwa-slack sandbox: open ${sandbox.url}\n`);
console.log("Slack on the left, WhatsApp on the right; the app runs between them. Ctrl-C stops it all.");

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await sandbox.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
