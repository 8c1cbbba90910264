/**
 * What hygiene found wrong with a value. Expected bad data is a result, never an exception
 * (CONVENTIONS.md): every cleaner returns its value (null when nothing usable is left) and the
 * problems, whose codes are a closed set so an import report and a metric can count them.
 */

/** Stable problem codes, one per reason a value was changed or refused. */
export const PROBLEM_CODES = [
  // phones
  'phone_no_region',
  'phone_invalid_country',
  'phone_not_a_number',
  'phone_too_short',
  'phone_too_long',
  'phone_invalid_length',
  'phone_invalid',
  // emails and identifiers
  'email_invalid',
  'national_id_placeholder',
  // names
  'name_empty',
  'name_has_digits',
  'name_single_token',
  'name_title_removed',
  'name_suffix_removed',
  // dates
  'date_unrecognised',
  'date_ambiguous_order',
  'date_two_digit_year',
  'date_month_out_of_range',
  'date_day_out_of_range',
  'date_year_out_of_range',
  'date_in_future',
  // addresses
  'postcode_invalid_format',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One problem with one field of a record. */
export interface Problem {
  readonly field: string;
  readonly code: ProblemCode;
  /** The value as given, for a reject file (never logged: it may be PII). */
  readonly input?: string;
}

/** A cleaned value (null when nothing usable is left) and what was wrong with the input. */
export interface Cleaned<T> {
  readonly value: T | null;
  readonly problems: readonly Problem[];
}

/** How many times each problem code occurs: the per-field rejection counts of an import report. */
export function countProblems(problems: Iterable<Problem>): Map<ProblemCode, number> {
  const counts = new Map<ProblemCode, number>();
  for (const p of problems) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
  return counts;
}
