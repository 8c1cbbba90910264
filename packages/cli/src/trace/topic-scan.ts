/**
 * Reads a bounded window of several topics once, and writes nothing anywhere: not to the topics
 * (no end markers, unlike @stratum/testing's collectToEnd) and not to the group coordinator (no
 * offset commits; the random group goes away when the consumer leaves).
 *
 * The window of each partition is [the offset of the first record at or after `fromTimestamp`
 * (offsets-for-times), its end offset when the scan started). kafkajs' admin lists offsets
 * read_committed, so that end is the last stable offset: a transaction still open at the start is
 * not read (it is not committed yet). One consumer subscribes to every topic with something in
 * its window and seeks each partition to its start, so there is one group join however many
 * topics are read. It reads read_committed too: aborted records and transaction markers take
 * offsets but are never handed out, so a partition counts as done when a batch (records or only
 * markers) reaches the end offset, not when a record with the last offset arrives. A partition
 * that makes no progress for `idleMs` (a broker that stopped answering fetches) is reported as
 * incomplete instead of waited on forever.
 *
 * Generic on purpose: it knows nothing about trace; each target decides what a record is.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/** A record as read: bytes, not decoded yet. */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The record's Kafka timestamp, epoch ms. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer;
}

/** What a target made of one record. */
export type Verdict = 'match' | 'other' | 'undecodable';

export interface ScanTarget {
  /** The Kafka topic name. */
  readonly topic: string;
  /** A cheap test on the bytes: false skips the record undecoded. */
  readonly prefilter: (record: RawRecord) => boolean;
  /** Decodes and keeps what it wants. May throw to abort the scan (e.g. the registry is down). */
  readonly accept: (record: RawRecord) => Promise<Verdict>;
}

export interface PartitionWindow {
  readonly partition: number;
  readonly start: number;
  readonly end: number;
  /** The next offset to read: `end` once the partition is done. */
  reached: number;
}

export interface TopicScanStats {
  readonly topic: string;
  /** False when the topic does not exist: nothing was read. */
  readonly exists: boolean;
  readonly partitions: number;
  /** Records in the window (tombstones included). */
  records: number;
  /** Records that passed the prefilter and were decoded. */
  decoded: number;
  matched: number;
  undecodable: number;
  /** Partitions that stopped short of their end offset (empty when the scan is complete). */
  readonly incomplete: Array<{ partition: number; reached: number; end: number }>;
  readonly windows: PartitionWindow[];
}

export interface ScanOptions {
  /** Epoch ms: records older than this (by their Kafka timestamp) are not read. */
  readonly fromTimestamp: number;
  /** Give up on partitions that made no progress for this long (default 5 s). */
  readonly idleMs?: number;
}

const POLL_MS = 25;

export async function scanTopics(kafka: Kafka, targets: readonly ScanTarget[], options: ScanOptions): Promise<TopicScanStats[]> {
  const stats = await windowsOf(kafka, targets, options.fromTimestamp);
  const pending = stats.filter((s) => s.windows.some((w) => w.reached < w.end));
  if (pending.length > 0) await readWindows(kafka, targets, pending, options.idleMs ?? 5_000);
  for (const s of stats) for (const w of s.windows) if (w.reached < w.end) s.incomplete.push({ partition: w.partition, reached: w.reached, end: w.end });
  return stats;
}

/** Each target topic's partitions with their [start, end) window; missing topics are marked, not fatal. */
async function windowsOf(kafka: Kafka, targets: readonly ScanTarget[], fromTimestamp: number): Promise<TopicScanStats[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    return await Promise.all(
      targets.map(async ({ topic }): Promise<TopicScanStats> => {
        const empty = { topic, records: 0, decoded: 0, matched: 0, undecodable: 0, incomplete: [] };
        if (!existing.has(topic)) return { ...empty, exists: false, partitions: 0, windows: [] };
        // Starts first, then ends: a record written in between is simply not read, and start <= end holds.
        const starts = await admin.fetchTopicOffsetsByTimestamp(topic, fromTimestamp);
        const ends = await admin.fetchTopicOffsets(topic);
        const windows = ends
          .map(({ partition, high }) => {
            const end = Number(high);
            const start = Math.min(Number(starts.find((s) => s.partition === partition)?.offset ?? high), end);
            return { partition, start, end, reached: start };
          })
          .sort((a, b) => a.partition - b.partition);
        return { ...empty, exists: true, partitions: windows.length, windows };
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

async function readWindows(kafka: Kafka, targets: readonly ScanTarget[], pending: TopicScanStats[], idleMs: number): Promise<void> {
  const byTopic = new Map(pending.map((s) => [s.topic, { stats: s, target: targets.find((t) => t.topic === s.topic)!, windows: new Map(s.windows.map((w) => [w.partition, w])) }]));
  const consumer = kafka.consumer({ groupId: `stratum-trace-${randomUUID()}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false, readUncommitted: false });
  let failure: unknown;
  let lastProgress = Date.now();
  const advance = (topic: string, partition: number, firstOffset: number, lastOffset: number) => {
    const w = byTopic.get(topic)?.windows.get(partition);
    // Only a batch that starts inside the window is progress: a fetch made before the seek took
    // effect starts at the log end (fromBeginning: false) and must not mark the window read.
    if (w === undefined || firstOffset >= w.end || lastOffset + 1 <= w.reached) return;
    w.reached = Math.min(w.end, lastOffset + 1);
    lastProgress = Date.now();
    if (w.reached >= w.end) consumer.pause([{ topic, partitions: [partition] }]);
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => (failure ??= payload.error));
  // Emitted for batches of records and for batches holding only markers or aborted records alike.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => advance(payload.topic, payload.partition, Number(payload.firstOffset), Number(payload.lastOffset)));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...byTopic.keys()], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const entry = byTopic.get(batch.topic);
        const w = entry?.windows.get(batch.partition);
        if (entry === undefined || w === undefined || failure !== undefined) return;
        try {
          for (const message of batch.messages) {
            const offset = Number(message.offset);
            // Outside the window, or read already (a fetch that raced the seek).
            if (offset < w.reached || offset >= w.end) continue;
            const record = { topic: batch.topic, partition: batch.partition, offset, timestamp: Number(message.timestamp), key: message.key, value: message.value ?? Buffer.alloc(0) };
            await inspect(entry.target, entry.stats, record, message.value === null);
            w.reached = offset + 1;
            lastProgress = Date.now();
          }
        } catch (err) {
          // Not thrown back to kafkajs, which would retry the batch: the scan stops with it.
          failure ??= err;
          return;
        }
        if (w.reached >= w.end) consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
      },
    });
    for (const { stats } of byTopic.values()) {
      const done = stats.windows.filter((w) => w.reached >= w.end).map((w) => w.partition);
      if (done.length > 0) consumer.pause([{ topic: stats.topic, partitions: done }]);
      for (const w of stats.windows) if (w.reached < w.end) consumer.seek({ topic: stats.topic, partition: w.partition, offset: String(w.start) });
    }
    lastProgress = Date.now();
    for (;;) {
      if (failure !== undefined) throw failure;
      const left = [...byTopic.values()].some(({ stats }) => stats.windows.some((w) => w.reached < w.end));
      if (!left || Date.now() - lastProgress > idleMs) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    await consumer.disconnect();
  }
}

async function inspect(target: ScanTarget, stats: TopicScanStats, record: RawRecord, tombstone: boolean): Promise<void> {
  stats.records++;
  if (tombstone || !target.prefilter(record)) return;
  stats.decoded++;
  const verdict = await target.accept(record);
  if (verdict === 'match') stats.matched++;
  else if (verdict === 'undecodable') stats.undecodable++;
}
