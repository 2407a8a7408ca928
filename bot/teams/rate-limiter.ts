/**
 * Sliding-window rate limiting: a key may be used at most `limit` times in any `windowMs`.
 * Several windows apply at once (Teams allows a conversation 7 sends a second, 8 in two
 * seconds and 60 in thirty). Callers for the same key queue in order.
 */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realLimiterClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class SlidingWindowLimiter {
  private readonly stamps = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly longest: number;

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly clock: LimiterClock = realLimiterClock,
  ) {
    this.longest = Math.max(...windows.map((w) => w.windowMs));
  }

  /** Resolves when one more use of `key` fits in every window, and records that use. */
  acquire(key: string): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.waitForRoom(key));
    const settled = turn.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return turn;
  }

  /** How long a use of `key` would wait now (0 = free). */
  delayFor(key: string): number {
    const now = this.clock.now();
    const stamps = (this.stamps.get(key) ?? []).filter((t) => t > now - this.longest);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = stamps.filter((t) => t > now - w.windowMs);
      if (inWindow.length >= w.limit) wait = Math.max(wait, inWindow[inWindow.length - w.limit]! + w.windowMs - now);
    }
    return wait;
  }

  private async waitForRoom(key: string): Promise<void> {
    for (;;) {
      const wait = this.delayFor(key);
      if (wait <= 0) break;
      await this.clock.sleep(wait);
    }
    const now = this.clock.now();
    const kept = (this.stamps.get(key) ?? []).filter((t) => t > now - this.longest);
    kept.push(now);
    this.stamps.set(key, kept);
  }
}

/**
 * Teams counts a send when it arrives; this limiter counts it when the call starts. Under a burst
 * the first calls of a window take longer to arrive than the later ones (connections opening, a
 * busy event loop), so a send timed to the millisecond can land inside Teams' window and get a
 * 429 and a whole-second Retry-After. Each window is kept this much longer than Teams' own: with
 * it, `npm run bench` (send-rate) sees no 429s and a higher real rate than without it.
 */
export const ARRIVAL_MARGIN_MS = 150;

const withArrivalMargin = (windows: readonly RateWindow[]): readonly RateWindow[] =>
  windows.map((w) => ({ limit: w.limit, windowMs: w.windowMs + ARRIVAL_MARGIN_MS }));

/** Teams' published limits for proactive sends by one bot into one conversation (7/1 s, 8/2 s, 60/30 s, 1,800/h), plus the margin. */
export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = withArrivalMargin([
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
]);

/** Teams' per-app limit across all conversations in a tenant (50/s), plus the margin. */
export const TEAMS_APP_WINDOWS: readonly RateWindow[] = withArrivalMargin([{ limit: 50, windowMs: 1_000 }]);
