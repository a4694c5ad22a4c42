// The floor: a Bolt 5 app that does nothing but acknowledge `/wa` and view submissions, with the same
// receiver, signing secret and token set-up as the app. Started by run.ts as a child process.
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";

const port = Number(process.env.PORT ?? "3000");
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "",
  customRoutes: [
    {
      path: "/readyz",
      method: "GET",
      handler: (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"status":"ready"}');
      },
    },
  ],
});
const app = new App({
  receiver,
  token: process.env.SLACK_BOT_TOKEN,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  // As the app: no conversation store.
  convoStore: false,
  logLevel: LogLevel.WARN,
});
app.command("/wa", async ({ ack }) => {
  await ack();
});
app.view(/.*/, async ({ ack }) => {
  await ack();
});
// BARE_LISTENERS=12 registers as many listeners as the app does (shortcuts, views, actions, events
// that never match here), to show what Bolt's dispatch costs per registered listener.
const extra = Math.max(0, Number(process.env.BARE_LISTENERS ?? "2") - 2);
for (let i = 0; i < extra; i++) {
  const id = `bench_unused_${i}`;
  const register = [
    () => app.shortcut({ type: "message_action", callback_id: id }, async ({ ack }) => ack()),
    () => app.view({ type: "view_submission", callback_id: id }, async ({ ack }) => ack()),
    () => app.action({ type: "block_actions", action_id: id }, async ({ ack }) => ack()),
    () => app.event(id, async () => undefined),
  ][i % 4];
  register?.();
}
await app.start(port);

const stop = () => {
  app.stop().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
