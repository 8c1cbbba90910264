/**
 * Applies the decision (decide.ts) to each due record and counts it. A record found not due here
 * (it cannot be, after hold-until-due, unless the clock stepped back) holds the partition as there.
 */
import { recordStep, ok, retry, type Step } from '@stratum/stream';
import type { DeliveryAttempt } from '@stratum/schemas';
import type { RetryLimits } from '@stratum/delivery';
import { decide, type RetryDecision } from '../decide';
import type { RetryMetrics } from '../metrics';
import type { TierPosition } from '../records';
import { NOT_DUE } from './hold-until-due';
import type { RetryCandidate } from './look-up-state';

export interface DecidedRetry {
  readonly attempt: DeliveryAttempt;
  readonly decision: Exclude<RetryDecision, { kind: 'wait' }>;
  readonly from: TierPosition;
  readonly decidedAt: number;
}

export function decideRetriesStep(deps: { now: () => number; defaults: RetryLimits; tierOf: (topic: string) => string; metrics: RetryMetrics }): Step<RetryCandidate, DecidedRetry> {
  return recordStep('decide', ({ attempt, destination, profile }, ctx) => {
    const now = deps.now();
    const decision = decide(attempt, { destination, profile, now, defaults: deps.defaults });
    if (decision.kind === 'wait') return retry(decision.afterMs, NOT_DUE);
    deps.metrics.decided(deps.tierOf(ctx.topic), decision, (now - attempt.notBefore) / 1000);
    return ok({ attempt, decision, from: { topic: ctx.topic, timestamp: ctx.timestamp }, decidedAt: now });
  });
}
