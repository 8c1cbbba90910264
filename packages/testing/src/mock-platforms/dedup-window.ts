/** "Have I seen this key recently?", the way platforms deduplicate events within a time window. */
import type { Clock } from './faults';

/** Remembers keys for `windowMs` (Infinity: forever); a key seen again inside the window is a duplicate. */
export class DedupWindow {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** True the first time `key` arrives within the window (and remembers it); false for a repeat. */
  firstSeen(key: string): boolean {
    const now = this.clock();
    const previous = this.seenAt.get(key);
    if (previous !== undefined && now - previous < this.windowMs) return false;
    this.seenAt.set(key, now);
    return true;
  }
}
