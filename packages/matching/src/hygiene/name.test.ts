import fc from 'fast-check';
import { foldForComparison } from './fold';
import { cleanNameParts, displayCase, parsePersonName } from './name';

it.each([
  ['Jane Doe', { given: 'Jane', middle: null, family: 'Doe' }],
  ['JANE QUINN DOE', { given: 'Jane', middle: 'Quinn', family: 'Doe' }],
  ['Doe, Jane Quinn', { given: 'Jane', middle: 'Quinn', family: 'Doe' }],
  ['DOE, JANE', { given: 'Jane', middle: null, family: 'Doe' }],
  ['Dr. Jane Doe Jr.', { given: 'Jane', middle: null, family: 'Doe' }],
  ['Mr John Smith, Jr', { given: 'John', middle: null, family: 'Smith' }],
  ['ludwig van beethoven', { given: 'Ludwig', middle: null, family: 'van Beethoven' }],
  ["sean o'brien", { given: 'Sean', middle: null, family: "O'Brien" }],
  ['ronald mcdonald', { given: 'Ronald', middle: null, family: 'McDonald' }],
  ['JEAN-LUC PICARD', { given: 'Jean-Luc', middle: null, family: 'Picard' }],
  ['José Müller', { given: 'José', middle: null, family: 'Müller' }],
])('parses %j', (input, expected) => {
  expect(parsePersonName(input).value).toEqual(expected);
});

it('reports what it removed and what looks wrong', () => {
  expect(parsePersonName('Dr Jane Doe PhD').problems.map((p) => p.code)).toEqual(['name_title_removed', 'name_suffix_removed']);
  expect(parsePersonName('Madonna')).toEqual({ value: { given: null, middle: null, family: 'Madonna' }, problems: [{ field: 'name', code: 'name_single_token', input: 'Madonna' }] });
  expect(parsePersonName('J0hn Smith').problems.map((p) => p.code)).toEqual(['name_has_digits']);
  expect(parsePersonName('   ')).toEqual({ value: null, problems: [{ field: 'name', code: 'name_empty' }] });
});

it('cleans parts a source already separated', () => {
  expect(cleanNameParts({ given: ' mrs  ANNE ', family: 'SMITH-JONES' }).value).toEqual({ given: 'Anne', middle: null, family: 'Smith-Jones' });
  expect(cleanNameParts({ given: '', family: null }).problems).toEqual([{ field: 'name', code: 'name_empty' }]);
});

it('keeps the case a source chose on purpose', () => {
  expect(displayCase('DeVries')).toBe('DeVries');
  expect(displayCase('VAN')).toBe('van');
});

it('folds diacritics and case for comparison only', () => {
  expect(foldForComparison('Müller')).toBe(foldForComparison('MULLER'));
  expect(foldForComparison('Ærøskøbing Straße')).toBe('aeroskobing strasse');
  expect(foldForComparison("O'Brien")).toBe('obrien');
});

it('folding is idempotent', () => {
  fc.assert(fc.property(fc.string(), (s) => foldForComparison(foldForComparison(s)) === foldForComparison(s)));
});

it('parsing never throws and never returns an empty part', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const { value } = parsePersonName(s);
      if (value === null) return true;
      return [value.given, value.middle, value.family].every((part) => part === null || part.trim() !== '');
    }),
  );
});
