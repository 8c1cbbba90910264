/**
 * The retry service's three stages, as DESIGN.md draws it ("retry ──► delivery.attempts,
 * delivery.dlq"):
 *
 *   retry          delivery.retry.30s|5m|1h → hold until due → look up destination and consent now
 *                  → decide → delivery.attempts (attempt N+1) | delivery.outcomes (skipped)
 *                  | delivery.dlq + delivery.outcomes (dead_lettered)                   exactly-once
 *   dlq-index      delivery.dlq → the dead-letter index in PostgreSQL (idempotent by dlqId)
 *   consent-purge  consents.changes → purge the profile's queued attempts on a withdrawal
 *
 * The retry stage is exactly-once: a forwarded retry written twice would cost the destination a
 * second attempt (the adapter's delivered ledger would absorb one that got through, not one that
 * failed). The other two write only PostgreSQL, idempotently, so at-least-once is enough.
 */
import { deliveryKey, type RetryLimits } from '@stratum/delivery';
import type { Db } from '@stratum/db';
import type { ConsentChange, DeadLetter, DeliveryAttempt } from '@stratum/schemas';
import { defineStage, pipeline, type Emission } from '@stratum/stream';
import type { DestinationCache } from './destination-cache';
import { NO_RETRY_METRICS, type RetryMetrics } from './metrics';
import { deadLetteredOutcome, deadLetterOf, nextAttempt, skippedOutcome } from './records';
import { decideRetriesStep, type DecidedRetry } from './steps/decide-retries';
import { holdUntilDueStep } from './steps/hold-until-due';
import { indexDeadLettersStep, type IndexDeadLetters } from './steps/index-dead-letters';
import { lookUpStateStep, type ProfileReader } from './steps/look-up-state';
import { purgeWithdrawnStep } from './steps/purge-withdrawn';

const RETRY_OUTPUTS = { attempts: 'delivery.attempts', outcomes: 'delivery.outcomes', dlq: 'delivery.dlq' } as const;

export interface RetryStageDependencies {
  destinations: DestinationCache;
  readProfiles: ProfileReader;
  /** Limits for destinations whose policy sets none; must match the delivery-adapter's. */
  defaults: RetryLimits;
  /** The tier label (30s, 5m, 1h) of an input topic, for metrics. */
  tierOf: (topic: string) => string;
  metrics?: RetryMetrics;
  now?: () => number;
}

export function retryStage(deps: RetryStageDependencies) {
  const now = deps.now ?? Date.now;
  const metrics = deps.metrics ?? NO_RETRY_METRICS;
  return defineStage({
    name: 'retry',
    input: 'delivery.attempts',
    outputs: RETRY_OUTPUTS,
    delivery: 'exactly-once',
    pipeline: pipeline<DeliveryAttempt>()
      .then(holdUntilDueStep({ now, tierOf: deps.tierOf, metrics }))
      .then(lookUpStateStep({ destinations: deps.destinations, readProfiles: deps.readProfiles }))
      .then(decideRetriesStep({ now, defaults: deps.defaults, tierOf: deps.tierOf, metrics })),
    emit: (r: DecidedRetry): Emission<typeof RETRY_OUTPUTS>[] => {
      const key = deliveryKey(r.attempt);
      switch (r.decision.kind) {
        case 'forward':
          return [{ output: 'attempts', key, value: nextAttempt(r.attempt) }];
        case 'skip':
          return [{ output: 'outcomes', key, value: skippedOutcome(r.attempt, r.decision.reason, r.decidedAt) }];
        case 'dead_letter':
          return [
            { output: 'dlq', key, value: deadLetterOf(r.attempt, r.decision.reason, r.from, r.decidedAt) },
            { output: 'outcomes', key, value: deadLetteredOutcome(r.attempt, r.decision.reason, r.decidedAt) },
          ];
      }
    },
  });
}

export function dlqIndexStage(deps: { db: Db; indexDeadLetters: IndexDeadLetters; metrics?: RetryMetrics }) {
  return defineStage({
    name: 'dlq-index',
    input: 'delivery.dlq',
    outputs: {},
    pipeline: pipeline<DeadLetter>().then(indexDeadLettersStep({ db: deps.db, indexDeadLetters: deps.indexDeadLetters, metrics: deps.metrics ?? NO_RETRY_METRICS })),
    emit: () => [],
  });
}

export function consentPurgeStage(deps: { db: Db; destinations: DestinationCache; metrics?: RetryMetrics }) {
  return defineStage({
    name: 'consent-purge',
    input: 'consents.changes',
    outputs: {},
    pipeline: pipeline<ConsentChange>().then(purgeWithdrawnStep({ db: deps.db, destinations: deps.destinations, metrics: deps.metrics ?? NO_RETRY_METRICS })),
    emit: () => [],
  });
}
