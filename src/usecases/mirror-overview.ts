// What `/wa status` and the Home tab say about the mirror: how events arrive, when the last one did,
// which chats are mirrored where (and which of those are paused), and events set aside.
import type { EventsMode, LinkRecord } from "../store/mirror-port.js";
import type { Store } from "../store/port.js";

export interface MirrorOverview {
  mode: EventsMode;
  lastEventAt: Date | undefined;
  links: LinkRecord[];
  /** Events waiting to be mirrored, and events set aside because they cannot be. */
  pending: number;
  parked: number;
}

export type OverviewMirror = (workspaceId: string) => Promise<MirrorOverview>;

export function createMirrorOverview(deps: {
  store: Pick<Store, "getEventSettings" | "getEventArrival" | "listLinks" | "inboxCounts">;
}): OverviewMirror {
  return async (workspaceId) => {
    const [settings, arrival, links, counts] = await Promise.all([
      deps.store.getEventSettings(workspaceId),
      deps.store.getEventArrival(workspaceId),
      deps.store.listLinks(workspaceId),
      deps.store.inboxCounts(workspaceId),
    ]);
    return {
      mode: settings?.mode ?? "off",
      lastEventAt: arrival?.lastEventAt,
      links,
      pending: counts.pending,
      parked: counts.parked,
    };
  };
}
