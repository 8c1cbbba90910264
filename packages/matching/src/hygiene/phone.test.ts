import { cleanPhone } from './phone';

it.each([
  ['(02) 9876 5432', 'AU', '+61298765432'],
  ['0412 345 678', 'AU', '+61412345678'],
  ['+61 412 345 678', null, '+61412345678'],
  ['(415) 555-0132', 'US', '+14155550132'],
])('reads %s in region %s as %s', (input, region, e164) => {
  expect(cleanPhone(input, region)).toEqual({ value: e164, problems: [] });
});

it.each([
  ['041', 'AU', 'phone_too_short'],
  ['0412 345', 'AU', 'phone_invalid'], // a possible length in Australia (13 numbers), but no such mobile
  ['0412 345 678 999 12', 'AU', 'phone_too_long'],
  ['(02) 9876 5432', null, 'phone_no_region'],
  ['+1 999 555 0132', null, 'phone_invalid'],
  ['call me', 'AU', 'phone_not_a_number'],
])('refuses %s (region %s) with %s', (input, region, code) => {
  expect(cleanPhone(input, region)).toEqual({ value: null, problems: [{ field: 'phone', code, input }] });
});

it('has nothing to say about an empty phone', () => {
  expect(cleanPhone('  ', 'AU')).toEqual({ value: null, problems: [] });
  expect(cleanPhone(null, 'AU')).toEqual({ value: null, problems: [] });
});
