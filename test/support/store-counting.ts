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
    ping: counted("ping", () => inner.ping()),
    close: counted("close", () => inner.close()),
  };
  return { store, calls };
}
