import fc from 'fast-check';
import { dateFromParts, daysInMonth, isoDate, parseDate } from './date';

const ok = (year: number, month: number, day: number) => ({ value: { year, month, day }, problems: [] });

it.each([
  ['19081209', {}, ok(1908, 12, 9)],
  ['1990-04-03', {}, ok(1990, 4, 3)],
  ['1990-04-03T00:00:00Z', {}, ok(1990, 4, 3)],
  ['1990/4/3', {}, ok(1990, 4, 3)],
  ['03/04/1990', { order: 'dmy' as const }, ok(1990, 4, 3)],
  ['03/04/1990', { order: 'mdy' as const }, ok(1990, 3, 4)],
  ['25.12.1980', {}, ok(1980, 12, 25)], // unambiguous without an order: 25 can only be the day
  ['29/02/2000', { order: 'dmy' as const }, ok(2000, 2, 29)],
])('reads %j (%j)', (input, options, expected) => {
  expect(parseDate(input, 'birth_date', options)).toEqual(expected);
});

it.each([
  ['03/04/1990', {}, 'date_ambiguous_order'],
  ['03/04/90', { order: 'dmy' as const }, 'date_two_digit_year'],
  ['19901301', {}, 'date_month_out_of_range'],
  ['19900431', {}, 'date_day_out_of_range'],
  ['29/02/1900', { order: 'dmy' as const }, 'date_day_out_of_range'],
  ['17000101', {}, 'date_year_out_of_range'],
  ['2030-01-01', { notAfter: { year: 2026, month: 11, day: 24 } }, 'date_in_future'],
  ['yesterday', {}, 'date_unrecognised'],
])('refuses %j (%j) with %s', (input, options, code) => {
  expect(parseDate(input, 'birth_date', options)).toEqual({ value: null, problems: [{ field: 'birth_date', code, input }] });
});

it('validates separate columns', () => {
  expect(dateFromParts(1949, 7, 22, 'birth_date')).toEqual(ok(1949, 7, 22));
  expect(dateFromParts(1949, 2, 30, 'birth_date').problems[0]?.code).toBe('date_day_out_of_range');
});

it('reads back every valid date it writes', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1850, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
      fc.pre(day <= daysInMonth(year, month));
      const iso = isoDate({ year, month, day });
      return parseDate(iso, 'd').value !== null && parseDate(iso.replace(/-/g, ''), 'd').value !== null;
    }),
  );
});
