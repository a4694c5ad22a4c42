// The gateway's example events, read where they live beside the repository (../shared/reference from
// the repo root), never copied into the project.
import { readdirSync, readFileSync } from "node:fs";

const EXAMPLES = new URL("../../../../shared/reference/gateway-events/", import.meta.url);

/** Every example file, by name. */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES)
    .filter((name) => name.endsWith(".json"))
    .sort();
}

export function readExample(name: string): string {
  return readFileSync(new URL(name, EXAMPLES), "utf8");
}
