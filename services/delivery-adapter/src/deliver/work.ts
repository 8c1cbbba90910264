/**
 * The unit of delivery work — one event for one destination at one attempt — and what became of
 * it. Results are turned into outcome, retry-tier and dead-letter records by emissions.ts.
 */
import type { DeliveryError, ResolvedEvent } from '@stratum/schemas';
import type { LiveDestination } from '../destinations/live-destinations';

export interface WorkItem {
  /** The input record this item came from (its index in the chunk). */
  readonly index: number;
  readonly destination: LiveDestination;
  readonly event: ResolvedEvent;
  /** This attempt's number (1 = the first try). */
  readonly attempt: number;
  /** Epoch ms of the first try; null when this is it. */
  readonly firstAttemptAt: number | null;
  readonly replayOf: string | null;
  readonly backfill: boolean;
  /** The topic the item came from (events.resolved or delivery.attempts). */
  readonly originTopic: string;
}

export type ItemResult =
  | { readonly kind: 'delivered'; readonly externalId: string | null; readonly httpStatus: number | null; readonly latencyMs: number | null; readonly note: string | null }
  /** The ledger says it was delivered before (a replayed chunk, a duplicate retry, a replay of a delivered event). */
  | { readonly kind: 'already_delivered' }
  | { readonly kind: 'skipped'; readonly status: 'skipped' | 'expired'; readonly reason: string; readonly message: string }
  /** A retryable failure (or not sent: breaker open, throttled, time budget): the policy picks a tier or the DLQ. */
  | { readonly kind: 'failed_retryable'; readonly error: DeliveryError; readonly httpStatus: number | null; readonly latencyMs: number | null }
  /** Not sent and not failed: wait until `notBefore` (quiet hours). */
  | { readonly kind: 'deferred'; readonly reason: string; readonly notBefore: number; readonly message: string }
  /** Will never succeed as is: the platform refused the data, or the destination is broken/misconfigured. */
  | { readonly kind: 'failed_permanent'; readonly reason: 'invalid_event' | 'permanent_error' | 'destination_misconfigured'; readonly error: DeliveryError; readonly httpStatus: number | null }
  /** Per-key ordering: parked behind the profile's earlier event that waits for a retry. */
  | { readonly kind: 'held'; readonly behind: string };

export interface Delivered {
  readonly item: WorkItem;
  readonly result: ItemResult;
  /** Epoch ms the attempt was made (or decided). */
  readonly at: number;
}

/** A DeliveryError the service makes itself (not from a platform answer). */
export function serviceError(code: string, message: string, retryable: boolean, retryAfterMs: number | null = null): DeliveryError {
  return { code, message, httpStatus: null, retryAfterMs, retryable };
}
