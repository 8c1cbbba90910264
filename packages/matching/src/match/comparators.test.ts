import { MISSING, compareBirthDates, compareExact, compareSimilar, compareWithTypo } from './comparators';

it('rates names by Jaro-Winkler: exact, close, similar, different', () => {
  expect(compareSimilar('harrington', 'harrington')).toBe(0);
  expect(compareSimilar('harrington', 'harringtno')).toBe(1);
  expect(compareSimilar('kayla', 'kaylee')).toBe(2);
  expect(compareSimilar('harrington', 'mason')).toBe(3);
});

it('birth dates: one slip, two parts, or different', () => {
  expect(compareBirthDates('19081209', '19081209')).toBe(0);
  expect(compareBirthDates('19081209', '19081290')).toBe(1); // neighbouring digits swapped
  expect(compareBirthDates('19081209', '19081208')).toBe(1); // one digit
  expect(compareBirthDates('19080912', '19081209')).toBe(1); // day and month swapped
  expect(compareBirthDates('19590407', '20080407')).toBe(2); // year mistyped beyond a digit, month and day agree
  expect(compareBirthDates('19950201', '19920229')).toBe(3);
});

it('ids: exact, one edit (including swapped neighbours), different', () => {
  expect(compareWithTypo('4137787', '4137787')).toBe(0);
  expect(compareWithTypo('4137787', '4137877')).toBe(1);
  expect(compareWithTypo('4137787', '4137780')).toBe(1);
  expect(compareWithTypo('4137787', '1010993')).toBe(2);
  expect(compareExact('a', 'a')).toBe(0);
  expect(compareExact('a', 'b')).toBe(1);
});

it('a missing value on either side is MISSING, never a disagreement', () => {
  for (const compare of [compareSimilar, compareWithTypo, compareExact, compareBirthDates]) {
    expect(compare(null, '19081209')).toBe(MISSING);
    expect(compare('19081209', null)).toBe(MISSING);
  }
});
