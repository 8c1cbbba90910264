import { parseHttpDate, parseRetryAfter } from './retry-after';

const now = Date.UTC(2026, 10, 24, 9, 30, 0);

it.each([
  ['120', 120_000],
  [' 0 ', 0],
  ['Tue, 24 Nov 2026 09:31:30 GMT', 90_000],
  ['Tuesday, 24-Nov-26 09:31:30 GMT', 90_000],
  ['Tue Nov 24 09:31:30 2026', 90_000],
  ['Tue, 24 Nov 2026 09:00:00 GMT', 0],
])('Retry-After %j waits %d ms', (header, ms) => {
  expect(parseRetryAfter(header, now)).toBe(ms);
});

it.each([null, undefined, '', 'soon', '-5', '1.5', 'Tue, 31 Feb 2026 09:31:30 GMT', '2026-11-24T09:31:30Z', 'Tue, 24 Nov 2026 09:31:30 CET'])(
  'Retry-After %j is no answer (the caller backs off on its own)',
  (header) => {
    expect(parseRetryAfter(header, now)).toBeNull();
  },
);

it('reads RFC 850 two-digit years in the nearest century, as RFC 9110 asks', () => {
  expect(new Date(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)!).toISOString()).toBe('1994-11-06T08:49:37.000Z');
  expect(new Date(parseHttpDate('Sunday, 06-Nov-30 08:49:37 GMT', now)!).toISOString()).toBe('2030-11-06T08:49:37.000Z');
});

it('reads the three example dates of RFC 9110 as the same instant', () => {
  const forms = ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994'];
  expect(new Set(forms.map((f) => parseHttpDate(f, now))).size).toBe(1);
  expect(parseHttpDate(forms[0]!, now)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
});
