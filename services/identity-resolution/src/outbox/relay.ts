/**
 * The identity outbox relay: publishes what identity resolution and the profile API wrote to
 * `identity_outbox` (profile snapshots and tombstones, operator audits, consent changes), in id
 * order, then deletes it.
 *
 * One relay at a time across all instances: each pass runs in a transaction holding a
 * transaction-level advisory lock, taken with try (an instance that does not get it skips the
 * pass). Per profile, ids follow commit order (migration 202611241230), so the compacted
 * profiles.changes keeps the newest snapshot. At-least-once: a crash between the send and the
 * DELETE publishes the rows again — the same snapshot version, audit id or change id — which
 * consumers and compaction absorb.
 */
import type { Db } from '@stratum/db';
import type { OutboxTopic } from '@stratum/identity';

export interface OutboxRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly topic: OutboxTopic;
  readonly key: string;
  /** The record as JSON of the topic's Avro type; null is a tombstone. */
  readonly value: Record<string, unknown> | null;
}

export interface OutboxRelayOptions {
  /** A pool connected as the tables' owner (the relay reads every tenant's rows). */
  readonly db: Db;
  /** Sends the records, in order, and resolves when they are acknowledged. */
  send(records: readonly OutboxRecord[]): Promise<void>;
  readonly batchSize?: number;
  /** Pause between passes that found nothing (default 100 ms). */
  readonly idleMs?: number;
  /** Pause after a failed pass (default 1 s); the rows stay and are sent again. */
  readonly errorBackoffMs?: number;
  onError?(err: unknown): void;
  onPublished?(records: readonly OutboxRecord[]): void;
}

export interface OutboxPasses {
  /** One pass: returns how many records it published (0 when empty or another relay holds the lock). */
  drainOnce(): Promise<number>;
}

export interface OutboxRelay extends OutboxPasses {
  /** Stops the loop after the pass in flight, then makes one last pass. */
  stop(): Promise<void>;
}

const DEFAULT_BATCH = 500;

/** An arbitrary constant naming the relay's advisory lock (pg_advisory_xact_lock takes a bigint). */
const RELAY_LOCK = 7_356_201_140;

/** Passes on demand (tests, and the loop below). */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxPasses {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const drainOnce = () =>
    options.db.transaction(async (trx) => {
      const { rows: lock } = await trx.raw<{ rows: Array<{ locked: boolean }> }>('SELECT pg_try_advisory_xact_lock(?) AS locked', [RELAY_LOCK]);
      if (!lock[0]?.locked) return 0;
      const { rows } = await trx.raw<{ rows: Array<{ id: string; tenant_id: string; topic: OutboxTopic; record_key: string; value: Record<string, unknown> | null }> }>(
        'SELECT id, tenant_id, topic, record_key, value FROM identity_outbox ORDER BY id LIMIT ?',
        [batchSize],
      );
      if (rows.length === 0) return 0;
      const records = rows.map((r) => ({ id: String(r.id), tenantId: r.tenant_id, topic: r.topic, key: r.record_key, value: r.value }));
      await options.send(records);
      await trx.raw('DELETE FROM identity_outbox WHERE id = ANY(?::bigint[])', [records.map((r) => r.id)]);
      options.onPublished?.(records);
      return records.length;
    });
  return { drainOnce };
}

/** Runs passes until stopped: at once again after a full pass, after idleMs when empty, after a backoff on errors. */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const relay = createOutboxRelay(options);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  let stopped = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => ((wake = null), resolve()), ms);
      wake = () => (clearTimeout(timer), (wake = null), resolve());
    });
  const loop = (async () => {
    while (!stopped) {
      try {
        const n = await relay.drainOnce();
        if (n < batchSize) await sleep(options.idleMs ?? 100);
      } catch (err) {
        options.onError?.(err);
        await sleep(options.errorBackoffMs ?? 1_000);
      }
    }
  })();
  return {
    drainOnce: relay.drainOnce,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      // One last pass, so what committed before the stop does not wait for the next start.
      await relay.drainOnce().catch((err: unknown) => options.onError?.(err));
    },
  };
}
