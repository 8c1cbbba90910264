/**
 * The DLQ size of dashboards and alerts (`stratum_retry_dead_letters{reason}`): dead letters in
 * the index that no operator has purged, over all tenants, by reason — what `stratum dlq list`
 * totals. The topic cannot tell it (it keeps replayed and purged letters until retention), and the
 * index is under row-level security, so each tenant is counted in its own read-only transaction.
 * Off the hot path: at start and every intervalMs; a failed count is logged and tried again next
 * time (the gauge keeps its last value). Every retry instance counts the same rows, so dashboards
 * take max(), not sum().
 */
import { withTenant, type Db } from '@stratum/db';
import { countDeadLetters } from '@stratum/delivery';
import type { Logger } from '@stratum/observability';
import type { RetryMetrics } from './metrics';

/** Often enough for a "DLQ growing" alert over tens of minutes; one small query per tenant. */
export const DEAD_LETTER_COUNT_INTERVAL_MS = 60_000;

export interface DeadLetterCounter {
  /** One count now; resolves when the gauge is set (throws what failed). */
  countOnce(): Promise<void>;
  stop(): void;
}

/** Unpurged dead letters of every tenant, by reason. */
export async function deadLettersByReason(db: Db): Promise<Map<string, number>> {
  const byReason = new Map<string, number>();
  const tenants: Array<{ id: string }> = await db('tenants').select('id');
  for (const { id } of tenants) {
    const counts = await withTenant(db, id, (trx) => countDeadLetters(trx, id), { mode: 'snapshot' });
    for (const c of counts) byReason.set(c.reason, (byReason.get(c.reason) ?? 0) + c.count);
  }
  return byReason;
}

export function startDeadLetterCounter(db: Db, options: { metrics: RetryMetrics; logger: Logger; intervalMs?: number }): DeadLetterCounter {
  const { metrics, logger } = options;
  let running: Promise<void> | null = null;
  // A slow count (many tenants) is never run twice at once: the next tick joins it.
  const countOnce = () =>
    (running ??= deadLettersByReason(db)
      .then((byReason) => metrics.deadLetters(byReason))
      .finally(() => (running = null)));
  const timer = setInterval(() => {
    countOnce().catch((err: unknown) => logger.warn({ err }, 'counting dead letters failed; trying again next interval'));
  }, options.intervalMs ?? DEAD_LETTER_COUNT_INTERVAL_MS);
  timer.unref();
  return { countOnce, stop: () => clearInterval(timer) };
}
