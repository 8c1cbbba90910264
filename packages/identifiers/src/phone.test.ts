import fc from 'fast-check';
import { getExampleNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { sha256Hex } from './hash';
import { canonicalPhone } from './phone';

it.each([
  ['(415) 555-0132', 'US', '+14155550132'],
  ['415.555.0132', 'US', '+14155550132'],
  ['+1 415 555 0132', null, '+14155550132'],
  ['001 415 555 0132', 'DE', '+14155550132'],
  ['030 901820', 'DE', '+4930901820'],
  ['+49 30 901820', 'US', '+4930901820'],
  ['07400 123456', 'GB', '+447400123456'],
  ['+44 7400 123456 ext. 12', null, '+447400123456'],
])('%s in region %s is %s', (input, region, e164) => {
  expect(canonicalPhone(input, region)).toEqual({ e164 });
});

it('reads JSON numbers as digits', () => {
  expect(canonicalPhone(4155550132, 'US')).toEqual({ e164: '+14155550132' });
  expect(canonicalPhone(-4155550132, 'US')).toEqual({ rejected: 'invalid_phone' });
});

it('needs a region for a national number, and says so', () => {
  expect(canonicalPhone('(415) 555-0132', null)).toEqual({ rejected: 'no_phone_region' });
  expect(canonicalPhone('(415) 555-0132', 'XX')).toEqual({ rejected: 'no_phone_region' });
});

it.each([
  ['555-0132', 'US'],
  ['+1 999 555 0132', null], // no US area code 999
  ['+44 7700 900123', null], // Ofcom's range reserved for drama: never a real line
  ['+1 939 132 2794', null], // right length for Puerto Rico, but no such exchange: the min metadata would accept it
  ['0000000000', 'US'],
  ['n/a', 'US'],
  ['call me on +1 415 555 0132', 'US'],
  ['not a phone', null],
  ['', 'US'],
])('refuses %j (region %s) as invalid_phone', (input, region) => {
  expect(canonicalPhone(input, region)).toEqual({ rejected: 'invalid_phone' });
});

describe('properties', () => {
  const regions: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU', 'ES', 'NL', 'MX', 'ZA'];
  // Valid numbers: each region's example mobile number with its last digits varied, kept when still valid.
  const validNumber = fc
    .tuple(fc.constantFrom(...regions), fc.integer({ min: 0, max: 999 }))
    .map(([region, tail]) => {
      const example = getExampleNumber(region, examples)!;
      const national = String(example.nationalNumber);
      const digits = national.slice(0, -3) + String(tail).padStart(3, '0');
      return { region, parsed: parsePhoneNumberFromString(digits, region) };
    })
    .filter((x) => x.parsed?.isValid() === true)
    .map(({ region, parsed }) => ({ region, e164: parsed!.number as string, national: parsed!.formatNational(), international: parsed!.formatInternational() }));
  const separator = fc.constantFrom('', ' ', '-', '.', '  ');

  /** The digits (and a leading +) of `text`, with a random separator after each character. */
  function reformat(text: string, separators: string[]): string {
    const chars = [...text.replace(/[^\d+]/g, '')];
    return chars.map((ch, i) => ch + (i < chars.length - 1 ? separators[i % separators.length]! : '')).join('');
  }

  it('any formatting of one national number, with its region, gives one E.164 and one hash', () => {
    fc.assert(
      fc.property(validNumber, fc.array(separator, { minLength: 1, maxLength: 8 }), fc.boolean(), ({ region, e164, national, international }, seps, parens) => {
        const variants = [national, international, e164, reformat(national, seps), reformat(international, seps), parens ? `(${national})` : ` ${national} `];
        return variants.every((v) => {
          const result = canonicalPhone(v, region);
          return 'e164' in result && result.e164 === e164 && sha256Hex(result.e164) === sha256Hex(e164);
        });
      }),
    );
  });

  it('E.164 input round-trips, whatever the source region', () => {
    fc.assert(
      fc.property(validNumber, fc.constantFrom<CountryCode | null>(null, ...regions), ({ e164 }, region) => {
        const result = canonicalPhone(e164, region);
        return 'e164' in result && result.e164 === e164;
      }),
    );
  });
});
