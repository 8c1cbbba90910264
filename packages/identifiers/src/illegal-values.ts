/**
 * Values that SDKs, templates and buggy integrations send where an identifier belongs: a
 * stringified null, a placeholder, a JavaScript object coerced to text. Treating them as real ids
 * would merge every visitor who sent "anonymous" into one profile, so ingest never turns them into
 * identifiers. Compared after trimming, case-insensitively. docs/ingest.md lists them.
 */
export const ILLEGAL_IDENTIFIER_VALUES: readonly string[] = [
  'null',
  'undefined',
  'nil',
  'none',
  'nan',
  'n/a',
  'na',
  'false',
  'true',
  '-1',
  'anonymous',
  'anon',
  'unknown',
  'guest',
  'not set',
  '(not set)',
  'not_set',
  '[object object]',
  '{}',
  '[]',
  '""',
  "''",
];

const ILLEGAL = new Set(ILLEGAL_IDENTIFIER_VALUES);

/**
 * Zeros, optionally grouped by dashes: 0, 000, and the nil UUID, which is what iOS returns for the
 * advertising id when the user limited ad tracking.
 */
const ALL_ZEROS = /^0+(-0+)*$/;

/** Whether `value` must not be used as an identifier (blank, a placeholder, or all zeros). */
export function isIllegalIdentifier(value: string): boolean {
  const text = value.trim().toLowerCase();
  return text === '' || ILLEGAL.has(text) || ALL_ZEROS.test(text);
}
