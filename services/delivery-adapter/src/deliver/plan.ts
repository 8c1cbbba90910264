/**
 * What each result writes: an outcome always; for a retryable failure, a record in a delay tier
 * (or, when the policy is spent, a dead letter); for a permanent failure, a dead letter. Pure: the
 * clock and the jitter are arguments. Dead-letter ids are derived from the attempt, so a chunk
 * replayed after a crash writes the same id and the DLQ index keeps one row.
 */
import { decideRetry, deliveryOutcome, tierForWait, type DeliveryHead, type RetryTier } from '@stratum/delivery';
import { stableId } from '@stratum/identity';
import type { DeadLetter, DeliveryAttempt, DeliveryError, DeliveryOutcome, DeliveryStatus } from '@stratum/schemas';
import type { Delivered, WorkItem } from './work';

export interface Plan {
  readonly outcome: DeliveryOutcome;
  readonly retry: { readonly tier: RetryTier; readonly record: DeliveryAttempt } | null;
  readonly deadLetter: DeadLetter | null;
}

/** The delivery head of an item: which event, which destination. */
export const headOf = (item: Pick<WorkItem, 'event' | 'destination'>): DeliveryHead => ({
  tenantId: item.event.tenantId,
  destinationId: item.destination.destinationId,
  destinationType: item.destination.record.type,
  messageId: item.event.messageId,
  profileId: item.event.profileId,
});

export function planFor(d: Delivered, tiers: readonly RetryTier[], random: () => number = Math.random): Plan {
  const { item, result, at } = d;
  const outcome = (status: DeliveryStatus, fields: Parameters<typeof deliveryOutcome>[4] = {}): DeliveryOutcome => deliveryOutcome(headOf(item), item.attempt, status, at, fields);
  switch (result.kind) {
    case 'delivered':
      return { outcome: outcome('delivered', { httpStatus: result.httpStatus, latencyMs: result.latencyMs, externalId: result.externalId }), retry: null, deadLetter: null };
    case 'already_delivered':
      return { outcome: outcome('skipped', { reason: 'already_delivered' }), retry: null, deadLetter: null };
    case 'skipped':
      return { outcome: outcome(result.status, { reason: result.reason }), retry: null, deadLetter: null };
    case 'held':
      return { outcome: outcome('retrying', { reason: 'held_for_order' }), retry: null, deadLetter: null };
    case 'deferred': {
      // Not an attempt: the retry stage's +1 brings it back as this same attempt number.
      const record = attemptRecord(item, item.attempt - 1, result.notBefore, { code: result.reason, message: result.message, httpStatus: null, retryAfterMs: null, retryable: true }, at);
      return { outcome: outcome('retrying', { reason: result.reason, nextAttemptAt: result.notBefore }), retry: { tier: tierForWait(tiers, result.notBefore - at), record }, deadLetter: null };
    }
    case 'failed_permanent':
      return { outcome: outcome('failed', { reason: result.error.code, httpStatus: result.httpStatus }), retry: null, deadLetter: deadLetter(item, result.reason, result.error, at) };
    case 'failed_retryable': {
      const decision = decideRetry({ attempt: item.attempt, firstAttemptAt: item.firstAttemptAt ?? at, error: result.error }, item.destination.limits, tiers, at, random);
      const fields = { httpStatus: result.httpStatus, latencyMs: result.latencyMs };
      if (decision.kind === 'dead_letter') return { outcome: outcome('dead_lettered', { ...fields, reason: decision.reason }), retry: null, deadLetter: deadLetter(item, decision.reason, result.error, at) };
      const record = attemptRecord(item, item.attempt, decision.notBefore, result.error, at);
      return { outcome: outcome('retrying', { ...fields, reason: result.error.code, nextAttemptAt: decision.notBefore }), retry: { tier: decision.tier, record }, deadLetter: null };
    }
  }
}

function attemptRecord(item: WorkItem, attempt: number, notBefore: number, lastError: DeliveryError, at: number): DeliveryAttempt {
  return {
    ...headOf(item),
    attempt,
    notBefore,
    firstAttemptAt: item.firstAttemptAt ?? at,
    lastError,
    replayOf: item.replayOf,
    backfill: item.backfill,
    event: item.event,
  };
}

function deadLetter(item: WorkItem, reason: string, lastError: DeliveryError, at: number): DeadLetter {
  return {
    dlqId: stableId(item.event.tenantId, item.destination.destinationId, item.event.messageId, String(item.attempt), item.replayOf ?? ''),
    ...headOf(item),
    attempts: item.attempt,
    firstAttemptAt: item.firstAttemptAt ?? at,
    lastAttemptAt: at,
    deadLetteredAt: at,
    reason,
    lastError,
    originTopic: item.originTopic,
    event: item.event,
  };
}
