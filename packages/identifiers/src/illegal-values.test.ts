import { ILLEGAL_IDENTIFIER_VALUES, isIllegalIdentifier } from './illegal-values';

it.each(ILLEGAL_IDENTIFIER_VALUES)('refuses %j in any case and with surrounding whitespace', (value) => {
  expect(isIllegalIdentifier(value)).toBe(true);
  expect(isIllegalIdentifier(`  ${value.toUpperCase()}\t`)).toBe(true);
});

it.each(['', ' ', '\t\n', '0', '000', '00000000-0000-0000-0000-000000000000'])('refuses blank and all-zero %j', (value) => {
  expect(isIllegalIdentifier(value)).toBe(true);
});

it.each(['user-8812', '5e8f0a6d-2c47-4b1c-9e2a-3f2a9c1e7d4b', '10', 'nullable', 'anonymous-42', 'Undefined Behaviour Ltd', '0-1'])('accepts the real id %j', (value) => {
  expect(isIllegalIdentifier(value)).toBe(false);
});
