/**
 * Why `prepare` did not map an event: stable codes (metric labels, DLQ reasons), each with its
 * outcome decided here once. Expected bad data is a result, never an exception (CONVENTIONS.md).
 */
import type { Skip } from './types';

interface SkipReasonSpec {
  readonly outcome: Skip['outcome'];
  readonly description: string;
}

export const SKIP_REASONS = {
  event_expired: { outcome: 'expired', description: 'older than the platform accepts (Meta 7 days, GA4 72 hours)' },
  event_type_not_supported: { outcome: 'filtered', description: 'the platform takes no events of this type (e.g. identify to Meta)' },
  event_not_triggering: { outcome: 'filtered', description: 'the event is not one the destination is configured to act on' },
  do_not_contact: { outcome: 'filtered', description: 'the profile is on a do-not-contact list (outbound messages only)' },
  consent_denied: { outcome: 'filtered', description: 'the profile denied the consent purpose this destination needs' },
  event_name_invalid: { outcome: 'invalid', description: "the event name breaks the platform's naming rules" },
  missing_website_fields: { outcome: 'invalid', description: 'a website event lacks the page URL or user agent the platform requires' },
  no_user_data: { outcome: 'invalid', description: 'no identifier the platform can match a person with' },
  missing_value: { outcome: 'invalid', description: 'a purchase lacks the value or currency the platform requires' },
  no_email: { outcome: 'invalid', description: 'no cleartext email (the tenant PII policy may hash it away)' },
  no_phone: { outcome: 'invalid', description: 'no cleartext phone number (the tenant PII policy may hash it away)' },
  invalid_phone: { outcome: 'invalid', description: 'the phone number is not a valid E.164 number' },
  body_empty: { outcome: 'invalid', description: 'the message template rendered to nothing' },
  body_too_long: { outcome: 'invalid', description: 'the rendered message exceeds the platform limit' },
  quiet_hours: { outcome: 'deferred', description: "inside the recipient's quiet hours; retry at notBefore" },
} as const satisfies Record<string, SkipReasonSpec>;

export type SkipReason = keyof typeof SKIP_REASONS;

/** A Skip whose outcome comes from the reason registry. */
export function skip(reason: SkipReason, message: string, notBefore: number | null = null): Skip {
  const spec: SkipReasonSpec = SKIP_REASONS[reason];
  return { kind: 'skip', outcome: spec.outcome, reason, message, notBefore };
}
