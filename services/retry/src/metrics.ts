/**
 * What the retry service reports beyond the runtime's stage metrics (those count records in and
 * out per stage and output; `stratum_stage_retries_total{stage="retry",reason="not_due"}` counts
 * the pauses). Labels are closed sets: tier is one of the configured tiers (30s, 5m, 1h).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RetryDecision } from './decide';

export interface RetryMetrics {
  /** A decision was made for a due record of `tier`; `lateSeconds` past its notBefore. */
  decided(tier: string, decision: Exclude<RetryDecision, { kind: 'wait' }>, lateSeconds: number): void;
  /** The head of `partition` (a topic/partition of `tier`) is due in `seconds` (0: it is due). */
  waiting(tier: string, partition: string, seconds: number): void;
  /** Dead letters read from delivery.dlq: how many were new to the index, already there, or invalid. */
  indexed(inserted: number, alreadyIndexed: number, invalid: number): void;
  /** A consent withdrawal was handled: queued attempts purged (0 when none were queued). */
  purged(rows: number): void;
  /** The dead letters in the index awaiting an operator, all tenants, by reason (deadLetterCounter). */
  deadLetters(byReason: ReadonlyMap<string, number>): void;
}

export const RETRY_METRICS = {
  decisions: { name: 'stratum_retry_decisions_total', labels: ['tier', 'decision', 'reason'], help: 'Due retry records by decision (forwarded, skipped, dead_lettered) and reason.' },
  dueLateness: { name: 'stratum_retry_due_lateness_seconds', labels: ['tier'], help: 'How long after its notBefore a retry record was decided: the delay the stage adds.' },
  headWait: { name: 'stratum_retry_head_wait_seconds', labels: ['tier'], help: "The longest wait of a tier's partitions, as last seen: seconds until the record at a partition's head is due." },
  deadLettersIndexed: { name: 'stratum_retry_dead_letters_indexed_total', labels: ['result'], help: 'delivery.dlq records read, by result: inserted, already_indexed, invalid.' },
  queuedPurged: { name: 'stratum_retry_queued_attempts_purged_total', labels: [] as string[], help: 'Queued attempts of ordered destinations removed because their profile withdrew consent.' },
  deadLetters: { name: 'stratum_retry_dead_letters', labels: ['reason'], help: 'Dead letters in the index not purged (what `stratum dlq list` totals), all tenants, by reason; counted every minute.' },
} as const;

export const DECISION_LABELS = { forward: 'forwarded', skip: 'skipped', dead_letter: 'dead_lettered' } as const;

export function promRetryMetrics(registry: Registry, tiers: readonly string[]): RetryMetrics {
  const m = RETRY_METRICS;
  const registers = [registry];
  const decisions = new Counter({ name: m.decisions.name, help: m.decisions.help, labelNames: m.decisions.labels, registers });
  const lateness = new Histogram({ name: m.dueLateness.name, help: m.dueLateness.help, labelNames: m.dueLateness.labels, buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600], registers });
  const headWait = new Gauge({ name: m.headWait.name, help: m.headWait.help, labelNames: m.headWait.labels, registers });
  const indexed = new Counter({ name: m.deadLettersIndexed.name, help: m.deadLettersIndexed.help, labelNames: m.deadLettersIndexed.labels, registers });
  const purged = new Counter({ name: m.queuedPurged.name, help: m.queuedPurged.help, registers });
  const deadLetters = new Gauge({ name: m.deadLetters.name, help: m.deadLetters.help, labelNames: m.deadLetters.labels, registers });
  // Per tier, each partition's head wait as last seen: the gauge shows the longest.
  const headWaits = new Map<string, Map<string, number>>();
  const deadLetterReasons = new Set<string>();
  // Present from the first scrape, so dashboards and alerts see 0 rather than no series.
  for (const tier of tiers) decisions.inc({ tier, decision: DECISION_LABELS.forward, reason: 'due' }, 0);
  for (const result of ['inserted', 'already_indexed', 'invalid']) indexed.inc({ result }, 0);
  purged.inc(0);
  return {
    decided(tier, decision, lateSeconds) {
      decisions.inc({ tier, decision: DECISION_LABELS[decision.kind], reason: decision.reason });
      lateness.observe({ tier }, Math.max(0, lateSeconds));
    },
    waiting(tier, partition, seconds) {
      const waits = headWaits.get(tier) ?? new Map<string, number>();
      headWaits.set(tier, waits.set(partition, seconds));
      headWait.set({ tier }, Math.max(...waits.values()));
    },
    indexed(inserted, already, invalid) {
      if (inserted > 0) indexed.inc({ result: 'inserted' }, inserted);
      if (already > 0) indexed.inc({ result: 'already_indexed' }, already);
      if (invalid > 0) indexed.inc({ result: 'invalid' }, invalid);
    },
    purged: (rows) => purged.inc(rows),
    deadLetters(byReason) {
      // A reason whose last letter was purged goes to 0 rather than keeping its old count.
      for (const r of deadLetterReasons) if (!byReason.has(r)) deadLetters.set({ reason: r }, 0);
      for (const [reason, n] of byReason) {
        deadLetterReasons.add(reason);
        deadLetters.set({ reason }, n);
      }
    },
  };
}

export const NO_RETRY_METRICS: RetryMetrics = {
  decided: () => undefined,
  waiting: () => undefined,
  indexed: () => undefined,
  purged: () => undefined,
  deadLetters: () => undefined,
};
