/**
 * Which old segments retention deletes, as Kafka's UnifiedLog#deleteRetentionMsBreachedSegments
 * and #deleteRetentionSizeBreachedSegments decide it. Only a prefix of the closed segments can go:
 * the log must stay contiguous from its start offset, so the first segment that must stay stops
 * the deletion even when a later one is old.
 */
import type { LogConfig } from './types';

/** What retention needs to know about a segment. */
export interface SegmentStats {
  size: number;
  maxTimestamp: number;
}

/**
 * How many of the oldest `closed` segments (oldest first; the active segment is never in it) to
 * delete, given the partition's total size including the active segment.
 */
export function segmentsToDelete(closed: readonly SegmentStats[], totalBytes: number, config: LogConfig, now: number): number {
  let byTime = 0;
  if (config.retentionMs >= 0) {
    const cutoff = now - config.retentionMs;
    while (byTime < closed.length && closed[byTime]!.maxTimestamp < cutoff) byTime++;
  }
  let bySize = 0;
  if (config.retentionBytes >= 0) {
    // Delete while what is left stays at or above the limit (Kafka: "diff - segment.size >= 0").
    let excess = totalBytes - config.retentionBytes;
    while (bySize < closed.length && excess - closed[bySize]!.size >= 0) excess -= closed[bySize++]!.size;
  }
  return Math.max(byTime, bySize);
}
