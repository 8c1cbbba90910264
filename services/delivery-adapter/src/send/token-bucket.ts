/**
 * A token bucket per destination: `ratePerSecond` requests on average, bursts up to `burst`.
 * `reserve` never sleeps: it says how long the caller would have to wait, so a lane can decide
 * between waiting (short) and handing the events to a retry tier (long) instead of holding the
 * batch — and with it every other destination's events — behind one slow limit.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes a token if one is free now (returns 0), else takes nothing and returns ms until one will be. */
  reserve(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
  }
}
