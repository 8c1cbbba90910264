/**
 * Dates (of birth) validated into year, month and day. Accepted: YYYYMMDD, ISO (YYYY-MM-DD, with
 * or without a time), and day/month/year in an order the source declares — 03/04/1990 is the 3rd
 * of April in Sydney and the 4th of March in New York, and no guess is safe, so without an order
 * it is refused as ambiguous. Impossible dates (31 April, 29 February 1900) are refused with a reason.
 */
import { presentText } from './fold';
import type { Cleaned, ProblemCode } from './problems';

/** A calendar date; month and day are 1-based. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** How a source writes separated dates: day-month-year, month-day-year or year-month-day. */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export interface DateOptions {
  /** The order of separated dates (03/04/1990); without it only year-first forms are read. */
  readonly order?: DateOrder | null;
  /** Dates after this one are refused (`date_in_future`): for a birth date, the import's date. */
  readonly notAfter?: CalendarDate | null;
  /** Years before this are refused (`date_year_out_of_range`); default 1850. */
  readonly earliestYear?: number;
}

/** Parses and validates a date written as text. */
export function parseDate(raw: string | null | undefined, field: string, options: DateOptions = {}): Cleaned<CalendarDate> {
  const text = presentText(raw);
  if (text === null) return { value: null, problems: [] };
  const refuse = (code: ProblemCode): Cleaned<CalendarDate> => ({ value: null, problems: [{ field, code, input: text }] });

  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) return dateFromParts(Number(compact[1]), Number(compact[2]), Number(compact[3]), field, options, text);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (iso) return dateFromParts(Number(iso[1]), Number(iso[2]), Number(iso[3]), field, options, text);

  const separated = /^(\d{1,4})[/.\-\s](\d{1,2})[/.\-\s](\d{1,4})$/.exec(text);
  if (!separated) return refuse('date_unrecognised');
  const [a, b, c] = [separated[1]!, separated[2]!, separated[3]!];
  if (a.length === 4) return dateFromParts(Number(a), Number(b), Number(c), field, options, text); // 1990/04/03 is never d/m/y
  if (c.length !== 4) return refuse(c.length === 2 ? 'date_two_digit_year' : 'date_unrecognised');
  const order = options.order ?? null;
  if (order === 'ymd') return refuse('date_unrecognised');
  if (order === null) {
    // Without a declared order only an unambiguous date is safe: a part above 12 must be the day.
    if (Number(a) > 12 && Number(b) <= 12) return dateFromParts(Number(c), Number(b), Number(a), field, options, text);
    if (Number(b) > 12 && Number(a) <= 12) return dateFromParts(Number(c), Number(a), Number(b), field, options, text);
    return refuse('date_ambiguous_order');
  }
  return order === 'dmy'
    ? dateFromParts(Number(c), Number(b), Number(a), field, options, text)
    : dateFromParts(Number(c), Number(a), Number(b), field, options, text);
}

/** Validates a date a source gives in separate year, month and day columns. */
export function dateFromParts(year: number, month: number, day: number, field: string, options: DateOptions = {}, input?: string): Cleaned<CalendarDate> {
  const refuse = (code: ProblemCode): Cleaned<CalendarDate> => ({ value: null, problems: [{ field, code, input: input ?? `${year}-${month}-${day}` }] });
  if (![year, month, day].every(Number.isInteger)) return refuse('date_unrecognised');
  if (year < (options.earliestYear ?? 1850) || year > 9999) return refuse('date_year_out_of_range');
  if (month < 1 || month > 12) return refuse('date_month_out_of_range');
  if (day < 1 || day > daysInMonth(year, month)) return refuse('date_day_out_of_range');
  const date = { year, month, day };
  if (options.notAfter && compareDates(date, options.notAfter) > 0) return refuse('date_in_future');
  return { value: date, problems: [] };
}

/** Days in a month of the Gregorian calendar (1900 was not a leap year, 2000 was). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** YYYY-MM-DD. */
export function isoDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}
