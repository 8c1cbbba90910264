/**
 * A dead letter as a new delivery.attempts record. It starts over (attempt 1, due now, no first
 * attempt, no error) so the retry policy gives it its full budget again, and names the dead
 * letter in replayOf. messageId, destination and profile are unchanged: the delivered ledger and
 * the platforms' idempotency keys derive from (tenant, destination, messageId), so a replay of
 * something that did get through, or a replay run twice, sends nothing twice. Pure.
 */
import type { DeliveryAttempt } from '@stratum/schemas';
import type { DeadLetterRow } from './dead-letter';

export interface ReplayOptions {
  /** Mark the attempt historical: adapters that act on people now (SMS) skip it. */
  readonly backfill: boolean;
  /** Epoch ms: when the attempt is due. */
  readonly now: number;
}

export interface ReplayRecord {
  /** delivery.attempts' key, `tenantId:destinationId:profileId`, so the replay keeps per-destination-per-profile order. */
  readonly key: string;
  readonly attempt: DeliveryAttempt;
}

/** The delivery.attempts record (and its key) that replays `row`. */
export function replayAttemptOf(row: DeadLetterRow, options: ReplayOptions): ReplayRecord {
  const attempt: DeliveryAttempt = {
    tenantId: row.tenantId,
    destinationId: row.destinationId,
    destinationType: row.destinationType,
    messageId: row.messageId,
    profileId: row.profileId,
    attempt: 1,
    notBefore: options.now,
    firstAttemptAt: null,
    lastError: null,
    replayOf: row.dlqId,
    backfill: options.backfill,
    event: row.event,
  };
  return { key: `${row.tenantId}:${row.destinationId}:${row.profileId}`, attempt };
}
