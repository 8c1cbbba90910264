/**
 * The in-memory front of the claim store: the most recent claims this instance saw, so the
 * repeats that come soon after their first copy (SDK retries, producer retries — most of them)
 * are decided without a database round trip. Only live claims are cached, never "not seen": a
 * miss always asks PostgreSQL, because another instance may have claimed the key meanwhile. A
 * live claim never changes (it only expires), so a cached one is as good as the stored one while
 * its window lasts. Least-recently-used entries go first when the cache is full.
 */
import type { Claim } from './claim';

/** Claims this close to expiry are asked of the database instead (clock skew between here and PostgreSQL). */
const EXPIRY_MARGIN_MS = 60_000;

export class FrontCache {
  private readonly entries = new Map<string, Claim>();

  constructor(
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached claim of `key` if it is still live for a window of `windowSeconds`. */
  get(key: string, windowSeconds: number): Claim | undefined {
    const claim = this.entries.get(key);
    if (!claim) return undefined;
    if (this.now() - claim.firstSeenMs >= windowSeconds * 1000 - EXPIRY_MARGIN_MS) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: Map keeps insertion order, so the oldest-used entry is always first.
    this.entries.delete(key);
    this.entries.set(key, claim);
    return claim;
  }

  set(key: string, claim: Claim): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, claim);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
