/** Tracks work still running after Slack got its ack, so a shutdown can let it finish. */
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  readonly size: number;
  /** Resolves true when everything tracked has settled, false when the deadline came first. */
  drain(deadlineMs: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
      return work;
    },
    get size() {
      return pending.size;
    },
    async drain(deadlineMs) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), deadlineMs);
      });
      const loop = async (): Promise<true> => {
        // New work can still be tracked while older work finishes (a reply after a gateway call).
        while (pending.size > 0) await Promise.all([...pending]);
        return true;
      };
      try {
        return await Promise.race([loop(), deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
