import { normaliseAddressLine, normalisePostcode, parseStreetAddress } from './address';

it('spells out street types and folds case', () => {
  expect(normaliseAddressLine('12  Smith St.')).toBe('12 smith street');
  expect(normaliseAddressLine('Goldfinch Cct')).toBe('goldfinch circuit');
  expect(normaliseAddressLine('St Kilda Rd')).toBe('saint kilda road');
  expect(normaliseAddressLine('Pacific Hwy')).toBe('pacific highway');
  expect(normaliseAddressLine('   ')).toBeNull();
});

it('takes units and numbers apart', () => {
  expect(parseStreetAddress('5/12 Smith St')).toEqual({ unit: '5', number: '12', street: 'smith street' });
  expect(parseStreetAddress('Unit 5, 12 Smith Street')).toEqual({ unit: '5', number: '12', street: 'smith street' });
  expect(parseStreetAddress('Flat 3B 7 High St')).toEqual({ unit: '3b', number: '7', street: 'high street' });
  expect(parseStreetAddress('12A Smith St')).toEqual({ unit: null, number: '12a', street: 'smith street' });
  expect(parseStreetAddress('tullaroop street', '6')).toEqual({ unit: null, number: '6', street: 'tullaroop street' });
});

it.each([
  ['2617', 'AU', '2617'],
  ['800', 'AU', '0800'],
  [' 10115 ', 'DE', '10115'],
  ['902101234', 'US', '90210-1234'],
  ['sw1a1aa', 'GB', 'SW1A 1AA'],
  ['k1a0b1', 'CA', 'K1A 0B1'],
  ['1012 ab', 'NL', '1012 AB'],
  ['75008', null, '75008'],
])('writes postcode %j in %s as %s', (input, country, expected) => {
  expect(normalisePostcode(input, country)).toEqual({ value: expected, problems: [] });
});

it.each([
  ['26170', 'AU'],
  ['ABCDE', 'DE'],
  ['1234', 'US'],
  ['#12', null],
])('refuses postcode %j in %s', (input, country) => {
  expect(normalisePostcode(input, country)).toEqual({ value: null, problems: [{ field: 'postcode', code: 'postcode_invalid_format', input }] });
});
