/**
 * The `Retry-After` header (RFC 9110 §10.2.3):
 *
 *   Retry-After = HTTP-date / delay-seconds
 *   delay-seconds = 1*DIGIT
 *   HTTP-date = IMF-fixdate / obs-date        (§5.6.7; recipients MUST accept all three forms)
 *     IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
 *     rfc850-date  "Sunday, 06-Nov-94 08:49:37 GMT"
 *     asctime-date "Sun Nov  6 08:49:37 1994"
 *
 * Parsed by hand: `Date.parse` reads asctime-date in the server's local zone and accepts many
 * non-HTTP forms, both wrong for a value that schedules retries.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utc(year: number, monthName: string, day: number, hour: number, minute: number, second: number): number | null {
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month === -1 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const time = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls 31 Feb over into March; a date that does not exist is not a date.
  return new Date(time).getUTCDate() === day ? time : null;
}

/** Two-digit years of rfc850-date: "more than 50 years in the future" means the past century (§5.6.7). */
function fullYear(twoDigits: number, now: number): number {
  const current = new Date(now).getUTCFullYear();
  let year = Math.floor(current / 100) * 100 + twoDigits;
  if (year > current + 50) year -= 100;
  return year;
}

/** Epoch milliseconds of an HTTP-date in any of its three forms, or null when it is not one. */
export function parseHttpDate(text: string, now: number): number | null {
  let m = IMF_FIXDATE.exec(text);
  if (m !== null) return utc(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850_DATE.exec(text);
  if (m !== null) return utc(fullYear(Number(m[3]), now), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = ASCTIME_DATE.exec(text);
  if (m !== null) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return null;
}

/**
 * Milliseconds to wait according to a `Retry-After` value: delay-seconds × 1000, or the time from
 * `now` until the HTTP-date (0 when that is already past). Null when absent or malformed, so the
 * caller falls back to its own backoff.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | null {
  if (header === null || header === undefined) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) {
    const seconds = Number(value);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : null;
  }
  const at = parseHttpDate(value, now);
  return at === null ? null : Math.max(0, at - now);
}
