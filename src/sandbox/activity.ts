// The page's activity strip: what crossed between Slack, the app and the gateway, newest last, so a
// developer watching the page sees the calls behind what the panes show.
import type { GatewaySimulator } from "./gateway/simulator.js";
import type { ActivityLine } from "./page-contract.js";
import type { SlackStandIn } from "./slack/web-api.js";

/** Enough to follow the last few minutes; older lines drop off. */
const KEEP = 300;

export interface Activity {
  note(direction: string, text: string): void;
  lines(): ActivityLine[];
  /** Notes the app's Slack calls, its gateway calls and the gateway's webhook deliveries as they happen. */
  watch(sources: { gateway: GatewaySimulator; slack: SlackStandIn; changed: () => void }): { close(): void };
}

export function createActivity(): Activity {
  const lines: ActivityLine[] = [];
  const note = (direction: string, text: string) => {
    lines.push({ at: Date.now(), direction, text });
    if (lines.length > KEEP) lines.splice(0, lines.length - KEEP);
  };
  return {
    note,
    lines: () => [...lines],
    watch({ gateway, slack, changed }) {
      let callsSeen = slack.calls.length;
      const stops = [
        slack.subscribe(() => {
          for (const call of slack.calls.slice(callsSeen)) note("app → slack", call.method);
          callsSeen = slack.calls.length;
        }),
        gateway.onRequest((request) => {
          note("app → gateway", `${request.method} ${request.path.split("?")[0]}`);
          changed();
        }),
        gateway.onDelivery((attempt) => {
          const outcome = attempt.ok ? `${attempt.status}` : (attempt.error ?? `${attempt.status}`);
          note(
            "gateway → app",
            `webhook delivery ${attempt.attempt > 1 ? `(try ${attempt.attempt}) ` : ""}→ ${outcome}`,
          );
          changed();
        }),
      ];
      return {
        close() {
          for (const stop of stops) stop();
        },
      };
    },
  };
}
