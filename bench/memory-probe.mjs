// Preloaded into the app by the mirror's memory scenario (node --import): on SIGUSR2 it runs a full
// garbage collection and writes process.memoryUsage() to BENCH_MEMORY_PROBE, so the bench reads the heap
// the app really retains (a backlog held in memory would show here), not garbage not yet collected.
// Plain JavaScript because the app runs on plain node, as `npm start` runs it.
import { renameSync, writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const target = process.env.BENCH_MEMORY_PROBE;
if (target) {
  setFlagsFromString("--expose-gc");
  // A fresh context sees the flag: `gc` is defined there, and collects the whole isolate.
  const gc = runInNewContext("gc");
  process.on("SIGUSR2", () => {
    gc();
    const usage = process.memoryUsage();
    // Written aside and renamed, so the bench never reads half a file.
    writeFileSync(`${target}.tmp`, JSON.stringify({ at: Date.now(), ...usage }));
    renameSync(`${target}.tmp`, target);
  });
}
