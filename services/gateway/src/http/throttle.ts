/**
 * At most one log line per interval for failures that hit every request while they last (Kafka
 * or PostgreSQL down): the first one is logged at once, the rest are counted by the metrics.
 */
export class Throttle {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True when a line may be written now (and starts a new interval). */
  ready(): boolean {
    const now = this.clock();
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}
