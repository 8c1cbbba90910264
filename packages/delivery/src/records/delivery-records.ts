/**
 * What every delivery record has in common, built once for the stages that write them (the
 * delivery-adapter, the retry stage): the key (topic catalogue: `tenantId:destinationId:profileId`,
 * so per-destination-per-profile order holds through every delivery topic) and an outcome.
 */
import type { DeliveryOutcome } from '@stratum/schemas';

/** The fields that say which event went (or did not go) to which destination. */
export type DeliveryHead = Pick<DeliveryOutcome, 'tenantId' | 'destinationId' | 'destinationType' | 'messageId' | 'profileId'>;

export const deliveryKey = (h: Pick<DeliveryHead, 'tenantId' | 'destinationId' | 'profileId'>): string => `${h.tenantId}:${h.destinationId}:${h.profileId}`;

/** An outcome of `attempt` at `occurredAt`; what the answer said (status code, latency, ids) in `fields`. */
export function deliveryOutcome(
  head: DeliveryHead,
  attempt: number,
  status: DeliveryOutcome['status'],
  occurredAt: number,
  fields: Partial<Pick<DeliveryOutcome, 'reason' | 'httpStatus' | 'latencyMs' | 'externalId' | 'nextAttemptAt'>> = {},
): DeliveryOutcome {
  return {
    tenantId: head.tenantId,
    destinationId: head.destinationId,
    destinationType: head.destinationType,
    messageId: head.messageId,
    profileId: head.profileId,
    attempt,
    status,
    reason: null,
    httpStatus: null,
    latencyMs: null,
    externalId: null,
    nextAttemptAt: null,
    occurredAt,
    ...fields,
  };
}
