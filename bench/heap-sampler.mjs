// Preloaded into the app by `BENCH_HEAP_PROF=1 npm run bench` (node --import): samples every allocation
// site, including objects the GC has already collected, and writes a .heapprofile when the process exits.
// Plain JavaScript because the app runs on plain node, as `npm start` runs it.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const target = process.env.BENCH_HEAP_PROFILE;
if (target) {
  const session = new Session();
  session.connect();
  session.post("HeapProfiler.startSampling", {
    samplingInterval: 8192,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  // A session in the same thread answers synchronously, so this completes inside the exit handler.
  process.on("exit", () => {
    session.post("HeapProfiler.stopSampling", (error, result) => {
      if (!error) writeFileSync(target, JSON.stringify(result.profile));
    });
  });
}
