// How the simulated gateway answers the app, switched from the page: as it should, slowly, refusing
// with 429, or not at all. The app's answers to each are what a Slack user would see in real life.
import type { GatewaySimulator } from "./gateway/simulator.js";
import type { GatewayMode, GatewayView } from "./page-contract.js";

/** Slower than Slack's 3-second deadline, so the app's "Sending…" note shows before the outcome. */
const SLOW_MS = 4_000;
const RETRY_AFTER_SECONDS = 30;

const MODES: GatewayView["modes"] = [
  { mode: "normal", label: "Normal", description: "The gateway answers at once." },
  {
    mode: "slow",
    label: "Slow",
    description: `Every answer takes ${SLOW_MS / 1000} s, longer than Slack's 3-second deadline.`,
  },
  {
    mode: "rate_limited",
    label: "Rate-limited",
    description: `Reactions and votes are refused with 429, retry after ${RETRY_AFTER_SECONDS} s.`,
  },
  {
    mode: "down",
    label: "Down",
    description: "Sends answer 503 and webhook deliveries wait until the gateway is back.",
  },
];

export interface GatewayModes {
  set(mode: GatewayMode): void;
  view(): GatewayView;
}

export function createGatewayModes(deps: { gateway: GatewaySimulator; session: string }): GatewayModes {
  const { gateway, session } = deps;
  let current: GatewayMode = "normal";
  return {
    set(mode) {
      gateway.clearFaults();
      gateway.setLatency(0);
      gateway.resumeDeliveries();
      if (mode === "slow") gateway.setLatency(SLOW_MS);
      if (mode === "rate_limited") {
        gateway.setFault(session, { kind: "rate_limited", retryAfterSeconds: RETRY_AFTER_SECONDS });
      }
      if (mode === "down") {
        gateway.setFault(session, { kind: "unavailable" });
        gateway.pauseDeliveries();
      }
      current = mode;
    },
    view: () => ({ mode: current, modes: MODES }),
  };
}
