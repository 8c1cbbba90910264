/**
 * The metrics every stage reports, with the stage label bound. Their names and labels are a
 * public interface (dashboards and alerts use them; docs/observability.md lists them): change
 * them only with the docs and the dashboards.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What a step decided for a record (CONVENTIONS.md), as the `outcome` label. */
export const RECORD_OUTCOMES = ['ok', 'drop', 'quarantine', 'retry'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

/** Batch durations from 1 ms to 30 s. */
export const BATCH_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
/** End-to-end record ages from 10 ms to 1 h. */
export const RECORD_AGE_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] as const;

/** Every stage metric: name, type, labels, meaning. The single source for code, docs and tests. */
export const STAGE_METRICS = {
  recordsIn: { name: 'stratum_stage_records_in_total', type: 'counter', labels: ['stage', 'topic'], help: 'Records consumed from the input topic.' },
  recordsOut: {
    name: 'stratum_stage_records_out_total',
    type: 'counter',
    labels: ['stage', 'output', 'outcome', 'reason'],
    help: "Records decided, by output and outcome (ok, drop, quarantine, retry); reason is a stable code, '' for ok.",
  },
  batchDuration: { name: 'stratum_stage_batch_duration_seconds', type: 'histogram', labels: ['stage'], help: 'Time to process one batch, from fetch to commit.' },
  consumerLag: { name: 'stratum_stage_consumer_lag', type: 'gauge', labels: ['stage', 'topic', 'partition'], help: 'Records between the committed offset and the end of the partition.' },
  rebalances: { name: 'stratum_stage_rebalances_total', type: 'counter', labels: ['stage'], help: 'Consumer group rebalances this stage went through.' },
  commitFailures: { name: 'stratum_stage_commit_failures_total', type: 'counter', labels: ['stage'], help: 'Offset commits that failed (the batch will be replayed).' },
  recordAge: { name: 'stratum_stage_record_age_seconds', type: 'histogram', labels: ['stage'], help: "End-to-end age of records when processed: now minus the record's Kafka timestamp." },
  paused: { name: 'stratum_stage_paused', type: 'gauge', labels: ['stage'], help: '1 while consumption is paused for backpressure or a retry, else 0.' },
  retries: { name: 'stratum_stage_retries_total', type: 'counter', labels: ['stage', 'reason'], help: 'Retries, by stable reason code.' },
} as const;

/** Outside this form a reason is probably a message or an id, which would explode the series count. */
const REASON_LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;
/** The label recorded instead of a reason that is not a stable code. */
export const INVALID_REASON = 'invalid_reason';

function reasonLabel(reason: string): string {
  return REASON_LABEL.test(reason) ? reason : INVALID_REASON;
}

/** How records left the steps: `ok` has no reason; the others carry a stable reason code. */
export type RecordsOutLabels = { output: string; outcome: 'ok' } | { output: string; outcome: Exclude<RecordOutcome, 'ok'>; reason: string };

/** Typed handles on the stage metrics, with `stage` bound. */
export interface StageMetrics {
  readonly stage: string;
  /** `stratum_stage_records_in_total`: `count` records consumed from `topic`. */
  countRecordsIn(topic: string, count?: number): void;
  /** `stratum_stage_records_out_total`: `count` records decided with this output and outcome. */
  countRecordsOut(labels: RecordsOutLabels, count?: number): void;
  /** `stratum_stage_batch_duration_seconds`: one batch took `seconds`. */
  observeBatchDuration(seconds: number): void;
  /** Starts timing a batch; call the result when it is done (it records and returns the seconds). */
  startBatchTimer(): () => number;
  /** `stratum_stage_consumer_lag`: the lag of one assigned partition, in records. */
  setConsumerLag(topic: string, partition: number, records: number): void;
  /** Forgets the lag of a partition this stage no longer owns (after a rebalance), so no stale series stays. */
  clearConsumerLag(topic: string, partition: number): void;
  /** `stratum_stage_rebalances_total`. */
  countRebalance(): void;
  /** `stratum_stage_commit_failures_total`. */
  countCommitFailure(): void;
  /** `stratum_stage_record_age_seconds`: age of a record with this Kafka timestamp (ms) at `nowMs`. */
  observeRecordAge(recordTimestampMs: number, nowMs?: number): void;
  /** `stratum_stage_paused`: 1 while paused, 0 when consuming. */
  setPaused(paused: boolean): void;
  /** `stratum_stage_retries_total`: one retry (or `count`) for a stable reason code. */
  countRetry(reason: string, count?: number): void;
}

interface MetricSpec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labels: readonly L[];
}

// Each returns the metric already in the registry, if another stage of this process made it,
// so several stages can share one registry and differ only by their `stage` label.

function counter<L extends string>(registry: Registry, spec: MetricSpec<L>): Counter<L> {
  const existing = registry.getSingleMetric(spec.name);
  if (existing instanceof Counter) return existing as Counter<L>;
  return new Counter({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });
}

function gauge<L extends string>(registry: Registry, spec: MetricSpec<L>): Gauge<L> {
  const existing = registry.getSingleMetric(spec.name);
  if (existing instanceof Gauge) return existing as Gauge<L>;
  return new Gauge({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });
}

function histogram<L extends string>(registry: Registry, spec: MetricSpec<L>, buckets: readonly number[]): Histogram<L> {
  const existing = registry.getSingleMetric(spec.name);
  if (existing instanceof Histogram) return existing as Histogram<L>;
  return new Histogram({ name: spec.name, help: spec.help, labelNames: spec.labels, buckets: [...buckets], registers: [registry] });
}

/** The stage metrics in `registry` (created there, or shared with another stage of the same process). */
export function createStageMetrics(registry: Registry, options: { stage: string }): StageMetrics {
  const { stage } = options;
  const recordsIn = counter(registry, STAGE_METRICS.recordsIn);
  const recordsOut = counter(registry, STAGE_METRICS.recordsOut);
  const batchDuration = histogram(registry, STAGE_METRICS.batchDuration, BATCH_DURATION_BUCKETS);
  const consumerLag = gauge(registry, STAGE_METRICS.consumerLag);
  const rebalances = counter(registry, STAGE_METRICS.rebalances);
  const commitFailures = counter(registry, STAGE_METRICS.commitFailures);
  const recordAge = histogram(registry, STAGE_METRICS.recordAge, RECORD_AGE_BUCKETS);
  const paused = gauge(registry, STAGE_METRICS.paused);
  const retries = counter(registry, STAGE_METRICS.retries);

  // Series that exist from the start read 0 instead of missing, so rate() and alerts work at once.
  rebalances.inc({ stage }, 0);
  commitFailures.inc({ stage }, 0);
  paused.set({ stage }, 0);
  batchDuration.zero({ stage });
  recordAge.zero({ stage });

  return {
    stage,
    countRecordsIn: (topic, count = 1) => recordsIn.inc({ stage, topic }, count),
    countRecordsOut: (labels, count = 1) =>
      recordsOut.inc({ stage, output: labels.output, outcome: labels.outcome, reason: labels.outcome === 'ok' ? '' : reasonLabel(labels.reason) }, count),
    observeBatchDuration: (seconds) => batchDuration.observe({ stage }, seconds),
    startBatchTimer: () => {
      const end = batchDuration.startTimer({ stage });
      return () => end();
    },
    setConsumerLag: (topic, partition, records) => consumerLag.set({ stage, topic, partition: String(partition) }, records),
    clearConsumerLag: (topic, partition) => consumerLag.remove({ stage, topic, partition: String(partition) }),
    countRebalance: () => rebalances.inc({ stage }),
    countCommitFailure: () => commitFailures.inc({ stage }),
    // A producer clock ahead of ours gives a negative age; it is 0 for our purposes.
    observeRecordAge: (recordTimestampMs, nowMs = Date.now()) => recordAge.observe({ stage }, Math.max(0, nowMs - recordTimestampMs) / 1000),
    setPaused: (isPaused) => paused.set({ stage }, isPaused ? 1 : 0),
    countRetry: (reason, count = 1) => retries.inc({ stage, reason: reasonLabel(reason) }, count),
  };
}
