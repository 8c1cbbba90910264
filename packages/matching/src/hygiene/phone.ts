/**
 * Phones to E.164 for matching and identifiers. The number itself comes from
 * @stratum/identifiers' canonicalPhone, the rule ingest applies, so an imported phone hashes to
 * the same identifier as the same phone sent by a live event. This adds the finer reason an
 * import report needs when a number is refused (too short, too long, not a number, …).
 */
import { canonicalPhone } from '@stratum/identifiers';
import { validatePhoneNumberLength } from 'libphonenumber-js/max';
import { presentText } from './fold';
import type { Cleaned, ProblemCode } from './problems';

const LENGTH_PROBLEMS: Readonly<Record<string, ProblemCode>> = {
  INVALID_COUNTRY: 'phone_invalid_country',
  NOT_A_NUMBER: 'phone_not_a_number',
  TOO_SHORT: 'phone_too_short',
  TOO_LONG: 'phone_too_long',
  INVALID_LENGTH: 'phone_invalid_length',
};

/**
 * E.164 of a phone as a source wrote it; `defaultRegion` (ISO 3166-1 alpha-2, the source's
 * setting) reads national numbers. Null with the reason when it is not a dialable number.
 */
export function cleanPhone(raw: string | null | undefined, defaultRegion: string | null): Cleaned<string> {
  const text = presentText(raw);
  if (text === null) return { value: null, problems: [] };
  const result = canonicalPhone(text, defaultRegion);
  if ('e164' in result) return { value: result.e164, problems: [] };
  return { value: null, problems: [{ field: 'phone', code: refusalReason(text, defaultRegion, result.rejected), input: text }] };
}

function refusalReason(text: string, defaultRegion: string | null, rejected: 'invalid_phone' | 'no_phone_region'): ProblemCode {
  if (rejected === 'no_phone_region') return 'phone_no_region';
  const region = defaultRegion?.toUpperCase();
  // validatePhoneNumberLength takes a CountryCode; an unknown one is reported as INVALID_COUNTRY.
  const lengthProblem = validatePhoneNumberLength(text, region as Parameters<typeof validatePhoneNumberLength>[1]);
  // Right length but no such range in the country's plan (e.g. +1 999 …): plainly invalid.
  return (lengthProblem !== undefined ? LENGTH_PROBLEMS[lengthProblem] : undefined) ?? 'phone_invalid';
}
