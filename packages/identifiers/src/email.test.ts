import fc from 'fast-check';
import { canonicalEmail } from './email';
import { sha256Hex } from './hash';

it('trims and lower-cases, nothing more', () => {
  expect(canonicalEmail('  Ada.Lovelace+News@Example.COM \n')).toBe('ada.lovelace+news@example.com');
  expect(canonicalEmail('a.b.c@gmail.com')).toBe('a.b.c@gmail.com');
});

it('hashes to the SHA-256 ad platforms expect (the example record of events.valid)', () => {
  expect(sha256Hex(canonicalEmail('Ada.Lovelace@Example.com')!)).toBe('e814ff3dc480a94c7ce9334062ec4733c75a002f4bcec0197f62ffea64059e2f');
});

it.each(['', 'ada', 'ada@', '@example.com', 'ada@example', 'ada@@example.com', 'ada lovelace@example.com', 'ada@example..com', 'ada@.com', 'null@example.com', 'UNDEFINED@example.com', `${'a'.repeat(250)}@x.io`])(
  'refuses %j',
  (value) => {
    expect(canonicalEmail(value)).toBeNull();
  },
);

describe('properties', () => {
  const local = fc.stringMatching(/^[A-Za-z0-9._%+-]{1,20}$/).filter((l) => canonicalEmail(`${l}@x.io`) !== null);
  const domain = fc.stringMatching(/^[A-Za-z0-9-]{1,12}(\.[A-Za-z]{2,6}){1,2}$/);
  const email = fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`);
  const whitespace = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \u00a0');
  const recase = (s: string, flips: boolean[]) => [...s].map((ch, i) => (flips[i % flips.length] ? ch.toUpperCase() : ch.toLowerCase())).join('');

  it('the canonical form is a fixed point', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const once = canonicalEmail(s);
      return once === null || canonicalEmail(once) === once;
    }));
    fc.assert(fc.property(email, (e) => canonicalEmail(canonicalEmail(e)!) === canonicalEmail(e)));
  });

  it('case and surrounding whitespace change neither the canonical form nor the hash', () => {
    fc.assert(
      fc.property(email, whitespace, whitespace, fc.array(fc.boolean(), { minLength: 1 }), (e, before, after, flips) => {
        const variant = `${before}${recase(e, flips)}${after}`;
        const canonical = canonicalEmail(variant);
        return canonical !== null && canonical === canonicalEmail(e) && sha256Hex(canonical) === sha256Hex(canonicalEmail(e.toUpperCase())!);
      }),
    );
  });
});
