// Paces posts per Slack channel: Slack allows about one message a second in a channel, with short
// bursts. A token bucket per channel lets a burst of `burst` through at once and then one a
// `intervalMs`; a 429's Retry-After holds the whole channel, since every later post would get one too.
export interface ChannelPacer {
  /** Resolves when the next post to this channel may go out; reserves that slot. */
  slot(channel: string): Promise<void>;
  /** Slack said "not before `ms`" for this channel. */
  holdFor(channel: string, ms: number): void;
  /** How long a post to this channel would wait for its slot now (0: at once); reserves nothing. */
  delayFor(channel: string): number;
}

export interface PacerOptions {
  intervalMs: number;
  burst: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Bucket {
  /** When the next token is free (ms), spread so that `burst` tokens are free at most. */
  nextFreeAt: number;
  heldUntil: number;
  lastUsed: number;
}

/** Buckets idle longer than this are dropped, so a long-running app does not keep one per channel ever seen. */
const IDLE_MS = 10 * 60_000;

export const SLACK_CHANNEL_PACE: PacerOptions = { intervalMs: 1_000, burst: 3 };

/**
 * Slots are spaced this much wider than the interval. Slack counts a post when it arrives, and the time
 * from a slot to the post's arrival varies by a few milliseconds (the client building the request, other
 * work on the event loop): at exactly Slack's rate, N posts then land within Slack's second now and then,
 * and the 429 that follows holds the channel for a whole second of Retry-After.
 */
const SPACING_MARGIN = 0.02;

export function createChannelPacer(options: PacerOptions): ChannelPacer {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  const buckets = new Map<string, Bucket>();
  const spacing = options.intervalMs * (1 + SPACING_MARGIN);

  /** When the bucket's next token is free: never more than `burst` tokens saved up. */
  function earliestOf(bucket: Bucket, now: number): number {
    return Math.max(bucket.nextFreeAt, now - spacing * (options.burst - 1));
  }

  function bucketOf(channel: string): Bucket {
    const now = clock();
    let bucket = buckets.get(channel);
    if (bucket === undefined) {
      if (buckets.size > 1_000) {
        for (const [key, old] of buckets) if (now - old.lastUsed > IDLE_MS) buckets.delete(key);
      }
      bucket = { nextFreeAt: now - spacing * options.burst, heldUntil: 0, lastUsed: now };
      buckets.set(channel, bucket);
    }
    return bucket;
  }

  return {
    async slot(channel) {
      const bucket = bucketOf(channel);
      const now = clock();
      const earliest = earliestOf(bucket, now);
      const at = Math.max(earliest, bucket.heldUntil);
      bucket.nextFreeAt = Math.max(at, earliest) + spacing;
      bucket.lastUsed = now;
      const wait = at - now;
      if (wait > 0) {
        await sleep(wait);
        // Slack counts posts as they arrive, not as they were due. A timer fires late, never early, so the
        // next slot keeps its distance from this one as taken: spaced from the due time instead, a post
        // that went out late and the next one on time came less than an interval apart, N of them in
        // under a second at Slack's rate, and Slack answered 429 with a whole second's Retry-After.
        const late = clock() - at;
        if (late > 0) bucket.nextFreeAt += late;
      }
    },
    holdFor(channel, ms) {
      const bucket = bucketOf(channel);
      bucket.heldUntil = Math.max(bucket.heldUntil, clock() + ms);
    },
    delayFor(channel) {
      const bucket = buckets.get(channel);
      if (bucket === undefined) return 0;
      const now = clock();
      return Math.max(0, Math.max(earliestOf(bucket, now), bucket.heldUntil) - now);
    },
  };
}
