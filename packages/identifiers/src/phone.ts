/**
 * Phones as identifiers: E.164 (`+14155550100`), the form every ad and SMS platform hashes.
 *
 * The `max` metadata of libphonenumber-js, deliberately: with `min`, isValid() only checks a
 * number's length for its country, so `+1 555 000 0000`-style junk and mistyped area codes would
 * become identifiers that match nobody and can wrongly merge profiles. `max` checks the
 * country's actual number ranges; its extra ~100 KB cost nothing on a server.
 */
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isIllegalIdentifier } from './illegal-values';

/** Why a phone was not turned into an identifier (a metric label, so a closed set). */
export type PhoneRejection = 'invalid_phone' | 'no_phone_region';

export type PhoneResult = { readonly e164: string } | { readonly rejected: PhoneRejection };

/**
 * E.164 of a phone number as a client sent it (any punctuation, national or international form;
 * JSON numbers too). `defaultRegion` (ISO 3166-1 alpha-2, the source's setting) reads national
 * numbers; without one only international input (`+…`) can be read. An extension is dropped: the
 * identifier is the line, not the desk.
 */
export function canonicalPhone(value: string | number, defaultRegion: string | null): PhoneResult {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) && value > 0 ? String(value) : '') : value.trim();
  if (isIllegalIdentifier(text)) return { rejected: 'invalid_phone' };
  const upper = defaultRegion?.toUpperCase();
  const region = upper !== undefined && isSupportedCountry(upper) ? upper : null;
  // extract: false — the whole text must be the number, not "call me on …" with a number in it.
  const parsed = parsePhoneNumberFromString(text, { ...(region === null ? {} : { defaultCountry: region }), extract: false });
  if (parsed?.isValid()) return { e164: parsed.number };
  // Digits without a country code and no region to read them in: the source needs a defaultPhoneRegion.
  return { rejected: region === null && /\d/.test(text) && !text.startsWith('+') ? 'no_phone_region' : 'invalid_phone' };
}
