/**
 * The records a decision writes. Every one is keyed `tenantId:destinationId:profileId`, the key
 * the record had in its tier (topic catalogue), so per-destination-per-profile order holds from
 * the tier into delivery.attempts, delivery.outcomes and delivery.dlq.
 */
import { deliveryOutcome } from '@stratum/delivery';
import { stableId } from '@stratum/identity';
import type { DeadLetter, DeliveryAttempt, DeliveryOutcome } from '@stratum/schemas';
import type { DeadLetterReason, SkipReason } from './decide';

/** Where the record was read, for the dead letter. */
export interface TierPosition {
  readonly topic: string;
  /** The record's Kafka timestamp: when the adapter wrote it to the tier, right after attempt N failed. */
  readonly timestamp: number;
}

/** The next attempt: the same record with its attempt number one higher (the adapter made attempt N). */
export function nextAttempt(attempt: DeliveryAttempt): DeliveryAttempt {
  return { ...attempt, attempt: attempt.attempt + 1 };
}

/** The `skipped` outcome of the attempt that will not be made (N + 1). */
export function skippedOutcome(attempt: DeliveryAttempt, reason: SkipReason, now: number): DeliveryOutcome {
  return deliveryOutcome(attempt, attempt.attempt + 1, 'skipped', now, { reason });
}

/** The `dead_lettered` outcome: given up after attempt N, the last one made. */
export function deadLetteredOutcome(attempt: DeliveryAttempt, reason: DeadLetterReason, now: number): DeliveryOutcome {
  return deliveryOutcome(attempt, attempt.attempt, 'dead_lettered', now, { reason });
}

/**
 * The dead letter of a tier record. Its dlqId is derived from the record (a stable UUID), so
 * reading the same tier record twice — a replayed chunk, a reset consumer group — writes a dead
 * letter the index already has; a replay that fails again is a new record (new notBefore,
 * replayOf set) and gets a new id.
 *
 * The tier record does not say when attempt N was made. lastAttemptAt is the record's Kafka
 * timestamp, which the adapter's producer sets when it writes the failed attempt to the tier,
 * right after the failure; firstAttemptAt falls back to the same when the record has none.
 */
export function deadLetterOf(attempt: DeliveryAttempt, reason: DeadLetterReason, from: TierPosition, now: number): DeadLetter {
  return {
    dlqId: stableId(attempt.tenantId, attempt.destinationId, attempt.messageId, String(attempt.attempt), String(attempt.notBefore), attempt.replayOf ?? '', reason),
    tenantId: attempt.tenantId,
    destinationId: attempt.destinationId,
    destinationType: attempt.destinationType,
    messageId: attempt.messageId,
    profileId: attempt.profileId,
    attempts: attempt.attempt,
    firstAttemptAt: attempt.firstAttemptAt ?? from.timestamp,
    lastAttemptAt: from.timestamp,
    deadLetteredAt: now,
    reason,
    lastError: attempt.lastError,
    originTopic: from.topic,
    event: attempt.event,
  };
}
