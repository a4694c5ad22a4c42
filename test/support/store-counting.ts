// Wraps a real store and counts calls, to prove a cache spares the database.
import type { Store } from "../../src/store/port.js";

export type StoreCalls = Record<Exclude<keyof Store, "kind">, number>;

export function countingStore(inner: Store): { store: Store; calls: StoreCalls } {
  const calls: StoreCalls = {
    getWorkspace: 0,
    putWorkspace: 0,
    deleteWorkspace: 0,
    listWorkspaces: 0,
    getInstallation: 0,
    putInstallation: 0,
    deleteInstallation: 0,
    listInstallations: 0,
    appendAudit: 0,
    settleAudit: 0,
    listAudit: 0,
    settleStalePendingAudit: 0,
    getEventSettings: 0,
    putEventSettings: 0,
    listEventSettings: 0,
    recordEventArrival: 0,
    getEventArrival: 0,
    putLink: 0,
    getLink: 0,
    listLinks: 0,
    deleteLinks: 0,
    setChannelPaused: 0,
    acceptEvent: 0,
    pendingEvents: 0,
    chatsWithPendingEvents: 0,
    finishEvent: 0,
    recordEventFailure: 0,
    pruneInbox: 0,
    inboxCounts: 0,
    recordMirrored: 0,
    findMirroredByWhatsApp: 0,
    findMirroredBySlack: 0,
    latestMirrored: 0,
    updateMirroredContent: 0,
    setWhatsAppReaction: 0,
    listWhatsAppReactions: 0,
    setPollVote: 0,
    listPollVotes: 0,
    addSlackReaction: 0,
    removeSlackReaction: 0,
    listSlackReactions: 0,
    markSlackEventSeen: 0,
    pruneSeenSlackEvents: 0,
    ping: 0,
    close: 0,
  };
  const counted =
    <A extends unknown[], R>(name: keyof StoreCalls, fn: (...args: A) => R) =>
    (...args: A): R => {
      calls[name] += 1;
      return fn(...args);
    };
  const store: Store = {
    kind: inner.kind,
    getWorkspace: counted("getWorkspace", (id: string) => inner.getWorkspace(id)),
    putWorkspace: counted("putWorkspace", (r: Parameters<Store["putWorkspace"]>[0]) => inner.putWorkspace(r)),
    deleteWorkspace: counted("deleteWorkspace", (id: string) => inner.deleteWorkspace(id)),
    listWorkspaces: counted("listWorkspaces", () => inner.listWorkspaces()),
    getInstallation: counted("getInstallation", (id: string) => inner.getInstallation(id)),
    putInstallation: counted("putInstallation", (r: Parameters<Store["putInstallation"]>[0]) =>
      inner.putInstallation(r),
    ),
    deleteInstallation: counted("deleteInstallation", (id: string) => inner.deleteInstallation(id)),
    listInstallations: counted("listInstallations", () => inner.listInstallations()),
    appendAudit: counted("appendAudit", (e: Parameters<Store["appendAudit"]>[0]) => inner.appendAudit(e)),
    settleAudit: counted("settleAudit", (id: number, o: Parameters<Store["settleAudit"]>[1]) =>
      inner.settleAudit(id, o),
    ),
    listAudit: counted("listAudit", (q: Parameters<Store["listAudit"]>[0]) => inner.listAudit(q)),
    settleStalePendingAudit: counted(
      "settleStalePendingAudit",
      (...a: Parameters<Store["settleStalePendingAudit"]>) => inner.settleStalePendingAudit(...a),
    ),
    getEventSettings: counted("getEventSettings", (...a: Parameters<Store["getEventSettings"]>) =>
      inner.getEventSettings(...a),
    ),
    putEventSettings: counted("putEventSettings", (...a: Parameters<Store["putEventSettings"]>) =>
      inner.putEventSettings(...a),
    ),
    listEventSettings: counted("listEventSettings", (...a: Parameters<Store["listEventSettings"]>) =>
      inner.listEventSettings(...a),
    ),
    recordEventArrival: counted("recordEventArrival", (...a: Parameters<Store["recordEventArrival"]>) =>
      inner.recordEventArrival(...a),
    ),
    getEventArrival: counted("getEventArrival", (...a: Parameters<Store["getEventArrival"]>) =>
      inner.getEventArrival(...a),
    ),
    putLink: counted("putLink", (...a: Parameters<Store["putLink"]>) => inner.putLink(...a)),
    getLink: counted("getLink", (...a: Parameters<Store["getLink"]>) => inner.getLink(...a)),
    listLinks: counted("listLinks", (...a: Parameters<Store["listLinks"]>) => inner.listLinks(...a)),
    deleteLinks: counted("deleteLinks", (...a: Parameters<Store["deleteLinks"]>) => inner.deleteLinks(...a)),
    setChannelPaused: counted("setChannelPaused", (...a: Parameters<Store["setChannelPaused"]>) =>
      inner.setChannelPaused(...a),
    ),
    acceptEvent: counted("acceptEvent", (...a: Parameters<Store["acceptEvent"]>) => inner.acceptEvent(...a)),
    pendingEvents: counted("pendingEvents", (...a: Parameters<Store["pendingEvents"]>) =>
      inner.pendingEvents(...a),
    ),
    chatsWithPendingEvents: counted(
      "chatsWithPendingEvents",
      (...a: Parameters<Store["chatsWithPendingEvents"]>) => inner.chatsWithPendingEvents(...a),
    ),
    finishEvent: counted("finishEvent", (...a: Parameters<Store["finishEvent"]>) => inner.finishEvent(...a)),
    recordEventFailure: counted("recordEventFailure", (...a: Parameters<Store["recordEventFailure"]>) =>
      inner.recordEventFailure(...a),
    ),
    pruneInbox: counted("pruneInbox", (...a: Parameters<Store["pruneInbox"]>) => inner.pruneInbox(...a)),
    inboxCounts: counted("inboxCounts", (...a: Parameters<Store["inboxCounts"]>) => inner.inboxCounts(...a)),
    recordMirrored: counted("recordMirrored", (...a: Parameters<Store["recordMirrored"]>) =>
      inner.recordMirrored(...a),
    ),
    findMirroredByWhatsApp: counted(
      "findMirroredByWhatsApp",
      (...a: Parameters<Store["findMirroredByWhatsApp"]>) => inner.findMirroredByWhatsApp(...a),
    ),
    findMirroredBySlack: counted("findMirroredBySlack", (...a: Parameters<Store["findMirroredBySlack"]>) =>
      inner.findMirroredBySlack(...a),
    ),
    latestMirrored: counted("latestMirrored", (...a: Parameters<Store["latestMirrored"]>) =>
      inner.latestMirrored(...a),
    ),
    updateMirroredContent: counted(
      "updateMirroredContent",
      (...a: Parameters<Store["updateMirroredContent"]>) => inner.updateMirroredContent(...a),
    ),
    setWhatsAppReaction: counted("setWhatsAppReaction", (...a: Parameters<Store["setWhatsAppReaction"]>) =>
      inner.setWhatsAppReaction(...a),
    ),
    listWhatsAppReactions: counted(
      "listWhatsAppReactions",
      (...a: Parameters<Store["listWhatsAppReactions"]>) => inner.listWhatsAppReactions(...a),
    ),
    setPollVote: counted("setPollVote", (...a: Parameters<Store["setPollVote"]>) => inner.setPollVote(...a)),
    listPollVotes: counted("listPollVotes", (...a: Parameters<Store["listPollVotes"]>) =>
      inner.listPollVotes(...a),
    ),
    addSlackReaction: counted("addSlackReaction", (...a: Parameters<Store["addSlackReaction"]>) =>
      inner.addSlackReaction(...a),
    ),
    removeSlackReaction: counted("removeSlackReaction", (...a: Parameters<Store["removeSlackReaction"]>) =>
      inner.removeSlackReaction(...a),
    ),
    listSlackReactions: counted("listSlackReactions", (...a: Parameters<Store["listSlackReactions"]>) =>
      inner.listSlackReactions(...a),
    ),
    markSlackEventSeen: counted("markSlackEventSeen", (...a: Parameters<Store["markSlackEventSeen"]>) =>
      inner.markSlackEventSeen(...a),
    ),
    pruneSeenSlackEvents: counted("pruneSeenSlackEvents", (...a: Parameters<Store["pruneSeenSlackEvents"]>) =>
      inner.pruneSeenSlackEvents(...a),
    ),
    ping: counted("ping", () => inner.ping()),
    close: counted("close", () => inner.close()),
  };
  return { store, calls };
}
