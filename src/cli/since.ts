// `--since`: an ISO date or a duration back from now.
import { UserInputError } from "../errors.js";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export function parseSince(text: string, now: number): Date {
  const value = text.trim();
  const duration = /^(\d{1,6})([mhdw])$/.exec(value);
  if (duration) {
    const unit = duration[2] as keyof typeof UNIT_MS;
    return new Date(now - Number(duration[1]) * UNIT_MS[unit]);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw new UserInputError(
    `--since "${value}" is neither a date (2025-01-31, 2025-01-31T12:00:00Z) nor a duration (30m, 24h, 7d, 2w).`,
  );
}
