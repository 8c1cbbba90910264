/** Public shape of a partition's on-disk log (implemented in partition-log.ts). */
import type { BatchHeader } from './record-batch';

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

/** Per-topic log settings, from topic configs (Kafka names in comments). */
export interface LogConfig {
  /** segment.bytes: roll the active segment beyond this size. */
  segmentBytes: number;
  /** segment.ms: roll a non-empty active segment older than this, so compaction and retention can reach it. */
  segmentMs: number;
  /** retention.ms: delete closed segments whose newest record is older; -1 = keep forever. */
  retentionMs: number;
  /** retention.bytes: delete oldest closed segments while the partition is larger; -1 = unlimited. */
  retentionBytes: number;
  /** cleanup.policy */
  cleanupPolicy: CleanupPolicy;
  /** delete.retention.ms: how long compaction keeps tombstones (null values). */
  deleteRetentionMs: number;
  /** index.interval.bytes: sparse on-disk index spacing. */
  indexIntervalBytes: number;
  /** min.compaction.lag.ms: a batch stays uncompacted until all its records are at least this old. */
  minCompactionLagMs: number;
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 64 * 1024 * 1024,
  segmentMs: 7 * 24 * 3600 * 1000,
  retentionMs: 7 * 24 * 3600 * 1000,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  deleteRetentionMs: 24 * 3600 * 1000,
  indexIntervalBytes: 4096,
  minCompactionLagMs: 0,
};

/** A batch header as found by a scan, with the control marker type when it is a control batch. */
export interface ScannedBatch {
  header: BatchHeader;
  /** 0 abort, 1 commit, null when not a control batch. */
  controlType: number | null;
}

export interface RecoveryReport {
  segments: number;
  batches: number;
  /** Bytes cut from the tail because they were torn or failed CRC-32C. */
  truncatedBytes: number;
}

export interface CompactionReport {
  batchesBefore: number;
  batchesAfter: number;
  recordsRemoved: number;
  bytesBefore: number;
  bytesAfter: number;
}
