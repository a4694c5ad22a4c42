// ULIDs (Crockford base32: 48 bits of milliseconds, then 80 random bits) that sort in the order they are
// made, even within one millisecond or when the clock steps back. The gateway's event ids are ULIDs; the
// app makes its own for the account's actions it records in a chat's inbox, so they sort among them.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

export type UlidFactory = () => string;

export function createUlidFactory(now: () => number = Date.now): UlidFactory {
  let lastTime = -1;
  // The random part as 16 base-32 digits, most significant first, so "increment" is digit arithmetic.
  let lastRandom: number[] = [];

  return () => {
    const time = Math.max(now(), lastTime);
    if (time === lastTime) {
      lastRandom = increment(lastRandom);
    } else {
      lastTime = time;
      lastRandom = [...randomBytes(RANDOM_CHARS)].map((byte) => byte % 32);
    }
    return encodeTime(time) + lastRandom.map((digit) => ALPHABET[digit]).join("");
  };
}

function encodeTime(time: number): string {
  let rest = time;
  let out = "";
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    const digit = next[i] ?? 0;
    if (digit < 31) {
      next[i] = digit + 1;
      return next;
    }
    next[i] = 0;
  }
  // 2^80 ids in one millisecond: not something a test can reach.
  throw new Error("ULID random part overflowed within one millisecond");
}
