#!/usr/bin/env node
// `npm start`: the app from dist/, rebuilt first only when a source changed since the last build, so a
// start with nothing to build costs a few file times instead of a compile (README, "Start-up").
import { buildIfStale } from "../scripts/build.mjs";

await buildIfStale();
await import("../dist/main.js");
