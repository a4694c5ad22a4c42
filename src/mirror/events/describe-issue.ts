// Turns zod's first complaint about a gateway body into a short problem that names the field and
// never quotes a value: problems are logged and answered to the sender, and the body may be anything.
import type { z } from "zod";

const MAX_SEGMENT = 40;

/** Keys of records (mentioned JIDs) come from the body: shown only as far as they look like ids. */
function segment(key: PropertyKey): string {
  if (typeof key === "number") return `[${key}]`;
  const shown = String(key)
    .slice(0, MAX_SEGMENT)
    .replace(/[^\w@.:+-]/g, "?");
  return shown === String(key) ? shown : `${shown}…`;
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.reduce<string>((path, key) => {
    const part = segment(key);
    if (path === "") return part;
    return part.startsWith("[") ? `${path}${part}` : `${path}.${part}`;
  }, "");
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "an array",
};

function what(issue: z.core.$ZodIssue): string {
  // Zod reports the input only when asked to (reportInput); it is looked at, never shown.
  if (issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value")) {
    return "is missing";
  }
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === null) return "is null";
      return `is not ${EXPECTED[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `is not ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`;
    case "too_small":
      return issue.origin === "string" ? "is too short" : "is too small";
    case "too_big":
      return issue.origin === "string" ? "is too long" : "is too big";
    default:
      return "is not valid";
  }
}

/** "missing id", "payload.chatJid is not a string", "timestamp is not a whole number". */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = pathOf(issue);
  const verdict = what(issue);
  if (path === "") return `the value ${verdict}`;
  return verdict === "is missing" ? `missing ${path}` : `${path} ${verdict}`;
}
