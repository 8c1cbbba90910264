/**
 * The decision for one record of a retry tier, given what is true *now*: its destination, its
 * profile's current consent and do-not-contact flag, and the clock. Pure, so every rule is a
 * unit test (decide.test.ts). Checked in this order, the first that applies wins:
 *
 *   1. not due yet                          → wait (the partition pauses, then reads it again)
 *   2. destination deleted or disabled      → skip  destination_disabled
 *   3. consent for its purpose not granted  → skip  consent_revoked   (nothing is forwarded: a
 *                                             revocation stops every retry still waiting)
 *   4. do-not-contact, for SMS              → skip  do_not_contact
 *   5. older than the policy's max age      → dead letter max_age_exceeded, unless the destination
 *                                             keeps per-key order: then forward, because only the
 *                                             adapter can dead-letter it *and* release the key's queue
 *   6. otherwise                            → forward as the next attempt
 *
 * The adapter already dead-letters attempts that are exhausted or would be too old when due; rule
 * 5 catches the ones that became too old while they waited longer than planned (this stage down).
 *
 * Skips of an ordered destination's record (it is the head of its key's queue in PostgreSQL):
 * consent_revoked is safe, because the same revocation reaches the consent-purge stage, which
 * empties the profile's queues. destination_disabled and do_not_contact leave the queue behind
 * its head until something else clears it (README, "Limits").
 */
import { consentGrantedNow, doNotContactNow, effectivePolicy, isPastMaxAge, keepsKeyOrder, type CurrentProfile, type RetryLimits } from '@stratum/delivery';
import type { DestinationSummary } from '@stratum/destinations';
import type { DeliveryAttempt } from '@stratum/schemas';

/** The longest a partition pauses at once for a record not yet due; it then looks again. */
export const MAX_WAIT_MS = 30_000;

/** Why a record is dropped with a `skipped` outcome (stable codes: metric labels, outcome reasons). */
export const SKIP_REASONS = ['destination_disabled', 'consent_revoked', 'do_not_contact'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Why a record is forwarded: it is due, or it is too old but its destination's adapter must settle it. */
export const FORWARD_REASONS = ['due', 'ordered_past_max_age'] as const;
export type ForwardReason = (typeof FORWARD_REASONS)[number];

export const DEAD_LETTER_REASONS = ['max_age_exceeded'] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export type RetryDecision =
  | { readonly kind: 'wait'; readonly afterMs: number }
  | { readonly kind: 'forward'; readonly reason: ForwardReason }
  | { readonly kind: 'skip'; readonly reason: SkipReason }
  | { readonly kind: 'dead_letter'; readonly reason: DeadLetterReason };

/** What the decision looks at besides the record. */
export interface DecisionContext {
  /** The tenant's destination of that id; null when it no longer exists. */
  readonly destination: DestinationSummary | null;
  /** The profile's current state; undefined when it was not read (no rule of the destination needs it). */
  readonly profile: CurrentProfile | undefined;
  /** Epoch ms. */
  readonly now: number;
  /** Limits for destinations whose policy leaves them out (DeliveryPolicy: "the retry stage's defaults"). */
  readonly defaults: RetryLimits;
}

/** How long until `attempt` is due (0 when it is), capped at MAX_WAIT_MS. */
export function waitBeforeDue(attempt: Pick<DeliveryAttempt, 'notBefore'>, now: number): number {
  return Math.min(Math.max(0, attempt.notBefore - now), MAX_WAIT_MS);
}

/** Whether a destination's rules need the profile's current state (consent, do-not-contact). */
export function needsProfile(destination: DestinationSummary): boolean {
  return destination.filters.consentPurpose !== undefined || destination.type === 'twilio_sms';
}

export function decide(attempt: DeliveryAttempt, context: DecisionContext): RetryDecision {
  const { destination, profile, now } = context;
  const wait = waitBeforeDue(attempt, now);
  if (wait > 0) return { kind: 'wait', afterMs: wait };
  if (destination === null || !destination.enabled) return { kind: 'skip', reason: 'destination_disabled' };
  const purpose = destination.filters.consentPurpose;
  if (purpose !== undefined && !consentGrantedNow(purpose, attempt.event, profile)) return { kind: 'skip', reason: 'consent_revoked' };
  if (destination.type === 'twilio_sms' && doNotContactNow(attempt.event, profile)) return { kind: 'skip', reason: 'do_not_contact' };
  if (isPastMaxAge(attempt.firstAttemptAt, effectivePolicy(destination.deliveryPolicy, context.defaults), now)) {
    return keepsKeyOrder(destination.type, destination.deliveryPolicy) ? { kind: 'forward', reason: 'ordered_past_max_age' } : { kind: 'dead_letter', reason: 'max_age_exceeded' };
  }
  return { kind: 'forward', reason: 'due' };
}
