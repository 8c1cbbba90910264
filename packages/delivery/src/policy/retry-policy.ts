/**
 * What happens after an attempt fails retryably: another attempt in a delay tier, or the DLQ.
 * Decided where the failure is known (the delivery-adapter), so the dead letter carries the last
 * response and an ordered key is released at once. Pure: the clock and the dice are arguments.
 *
 * Tiers are delay topics (delivery.retry.30s, .5m, .1h): attempt n waits in tier min(n-1, last),
 * and a Retry-After longer than that tier's delay moves it to the first tier that long. The wait
 * is the tier's delay with up to +20% jitter (retries of one outage spread out, and records in a
 * tier stay near due order, which the retry stage relies on), never less than Retry-After.
 */
import type { DeliveryPolicy, DestinationType } from '@stratum/destinations';
import type { DeliveryError } from '@stratum/schemas';

export interface RetryTier {
  readonly topic: string;
  readonly delayMs: number;
}

/** Segment retries for up to four hours; so do we, unless a destination says otherwise. */
export const DEFAULT_DELIVERY_POLICY: RetryLimits = { maxAttempts: 8, maxAgeSeconds: 4 * 3600 };

const JITTER = 0.2;

export type RetryDecision =
  | { readonly kind: 'retry'; readonly tier: RetryTier; readonly notBefore: number }
  | { readonly kind: 'dead_letter'; readonly reason: 'attempts_exhausted' | 'max_age_exceeded' };

export interface FailedAttempt {
  /** The attempt that failed (1 = the first). */
  readonly attempt: number;
  /** Epoch ms of the first attempt. */
  readonly firstAttemptAt: number;
  readonly error: DeliveryError;
}

export type RetryLimits = Required<Pick<DeliveryPolicy, 'maxAttempts' | 'maxAgeSeconds'>>;

export function effectivePolicy(policy: DeliveryPolicy | null | undefined, defaults: RetryLimits = DEFAULT_DELIVERY_POLICY): RetryLimits {
  return { maxAttempts: policy?.maxAttempts ?? defaults.maxAttempts, maxAgeSeconds: policy?.maxAgeSeconds ?? defaults.maxAgeSeconds };
}

/** Types whose platform upserts state (a CRM person), where order matters unless the policy says otherwise. */
const ORDERED_BY_DEFAULT: ReadonlySet<DestinationType> = new Set(['pipedrive']);

/** Whether a destination's events of one profile must arrive in order (see DeliveryPolicy.ordering). */
export function keepsKeyOrder(type: DestinationType, policy: DeliveryPolicy | null | undefined): boolean {
  return (policy?.ordering ?? (ORDERED_BY_DEFAULT.has(type) ? 'per_key' : 'none')) === 'per_key';
}

/** `random` returns [0, 1); tests pass a constant. */
export function decideRetry(failed: FailedAttempt, policy: RetryLimits, tiers: readonly RetryTier[], now: number, random: () => number = Math.random): RetryDecision {
  if (tiers.length === 0) throw new Error('decideRetry needs at least one retry tier');
  if (failed.attempt >= policy.maxAttempts) return { kind: 'dead_letter', reason: 'attempts_exhausted' };
  const retryAfter = Math.max(0, failed.error.retryAfterMs ?? 0);
  let index = Math.min(failed.attempt - 1, tiers.length - 1);
  while (index < tiers.length - 1 && tiers[index]!.delayMs < retryAfter) index++;
  const tier = tiers[index]!;
  const notBefore = now + Math.max(retryAfter, Math.round(tier.delayMs * (1 + JITTER * random())));
  // Dead-letter now rather than wait a tier only to find the event too old to try.
  if (notBefore > failed.firstAttemptAt + policy.maxAgeSeconds * 1000) return { kind: 'dead_letter', reason: 'max_age_exceeded' };
  return { kind: 'retry', tier, notBefore };
}

/** Whether an attempt is already older than the policy allows (a record that waited past it while the retry stage was down). */
export function isPastMaxAge(firstAttemptAt: number | null, policy: RetryLimits, now: number): boolean {
  return firstAttemptAt !== null && now > firstAttemptAt + policy.maxAgeSeconds * 1000;
}

/** The tier to wait `waitMs` in when no attempt failed (quiet hours, a time budget): the longest tier not longer than the wait, else the first. */
export function tierForWait(tiers: readonly RetryTier[], waitMs: number): RetryTier {
  let chosen = tiers[0];
  if (chosen === undefined) throw new Error('tierForWait needs at least one retry tier');
  for (const t of tiers) if (t.delayMs <= waitMs) chosen = t;
  return chosen;
}
