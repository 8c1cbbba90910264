/** The synthetic person generator: noise functions, duplicates with ground truth, determinism, streaming. */
import { COLUMNS, csvLines, duplicateOf, generatePersons, modify, originalPerson, type PersonRow } from '../src/import/generate/generator';
import { abbreviateStreet, caseNoise, dateFormat, deleteChar, insertChar, phoneFormat, spaceNoise, substituteChar, transposeChars, typo } from '../src/import/generate/noise';
import { Random } from '../src/import/generate/random';

const levenshtein = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
};

describe('typing errors', () => {
  const random = new Random(42);
  const words = ['pridham', 'smith', 'o', 'ab', 'wagga wagga', '2060'];

  it('insert adds exactly one character', () => {
    for (const w of words) for (let i = 0; i < 20; i++) {
      const out = insertChar(random, w);
      expect(out.length).toBe(w.length + 1);
      expect(levenshtein(out, w)).toBe(1);
    }
  });

  it('delete removes exactly one character, never the last one', () => {
    for (const w of words) for (let i = 0; i < 20; i++) {
      const out = deleteChar(random, w);
      expect(out.length).toBe(w.length < 2 ? w.length : w.length - 1);
    }
    expect(deleteChar(random, 'o')).toBe('o');
  });

  it('substitute changes one letter or digit to another of its kind', () => {
    for (const w of words) for (let i = 0; i < 20; i++) {
      const out = substituteChar(random, w);
      expect(out.length).toBe(w.length);
      expect(levenshtein(out, w)).toBe(1);
      if (/^\d+$/.test(w)) expect(out).toMatch(/^\d+$/);
    }
  });

  it('transpose swaps two different neighbours, and leaves a value without any as is', () => {
    for (let i = 0; i < 20; i++) {
      const out = transposeChars(random, 'smith');
      expect([...out].sort().join('')).toBe([...'smith'].sort().join(''));
      expect(levenshtein(out, 'smith')).toBe(2);
    }
    expect(transposeChars(random, 'aaa')).toBe('aaa');
    expect(typo(random, 'ab', 'transpose')).toBe('ba');
  });
});

describe('formatting noise', () => {
  const random = new Random(7);

  it('phone formats all keep the digits of the same number', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const out = phoneFormat(random, '0412345678');
      seen.add(out);
      expect(out.replace(/\D/g, '').replace(/^61/, '0')).toBe('0412345678');
    }
    expect(seen).toEqual(new Set(['0412 345 678', '0412-345-678', '+61 412 345 678', '+61412345678', '61412345678', '0412345678']));
    expect(phoneFormat(new Random(1), '0298765432')).toMatch(/\d/);
  });

  it('date formats are the same day written differently', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) seen.add(dateFormat(random, '19850312'));
    expect(seen).toEqual(new Set(['1985-03-12', '12/3/1985', '12-03-1985', '12.03.1985', '19850312']));
  });

  it('case, spaces and street types change only the surface', () => {
    for (let i = 0; i < 20; i++) {
      expect(caseNoise(random, "mary o'brien").toLowerCase()).toBe("mary o'brien");
      expect(spaceNoise(random, 'north sydney').replace(/\s+/g, ' ').trim()).toBe('north sydney');
    }
    expect(['pridham st', 'pridham st.', 'pridham str']).toContain(abbreviateStreet(random, 'pridham street'));
    expect(abbreviateStreet(random, 'the esplanade')).toBe('the esplanade');
  });
});

describe('duplicates', () => {
  it('keep the entity, renumber the record, and differ from the original', () => {
    const random = new Random(3);
    for (let n = 0; n < 200; n++) {
      const original = originalPerson(random, n);
      const dup = duplicateOf(random, original, 2);
      expect(dup.entity_id).toBe(`ent-${n}`);
      expect(dup.rec_id).toBe(`rec-${n}-dup-2`);
      expect(original.rec_id).toBe(`rec-${n}-org`);
    }
  });

  it('swap_names swaps given and family name; missing blanks a value', () => {
    const random = new Random(5);
    const row: PersonRow = originalPerson(random, 1);
    const { given_name, surname } = row;
    expect(modify(random, row, 'swap_names')).toBe(true);
    expect([row.given_name, row.surname]).toEqual([surname, given_name]);
    const before = COLUMNS.filter((c) => row[c] !== '').length;
    expect(modify(random, row, 'missing')).toBe(true);
    expect(COLUMNS.filter((c) => row[c] !== '').length).toBe(before - 1);
  });
});

describe('generatePersons', () => {
  const options = { rows: 5000, dupRate: 0.3, maxDups: 5, seed: 1 };

  it('makes exactly the rows asked, about the share of duplicates asked, each duplicate sharing its entity with an original', () => {
    const rows = [...generatePersons(options)];
    expect(rows).toHaveLength(5000);
    const dups = rows.filter((r) => r.rec_id.includes('-dup-'));
    expect(dups.length / rows.length).toBeGreaterThan(0.25);
    expect(dups.length / rows.length).toBeLessThan(0.35);
    const originals = new Set(rows.filter((r) => r.rec_id.endsWith('-org')).map((r) => r.entity_id));
    for (const d of dups) expect(originals.has(d.entity_id)).toBe(true);
    const perEntity = new Map<string, number>();
    for (const d of dups) perEntity.set(d.entity_id, (perEntity.get(d.entity_id) ?? 0) + 1);
    expect(Math.max(...perEntity.values())).toBeLessThanOrEqual(5);
    expect(new Set(rows.map((r) => r.rec_id)).size).toBe(5000);
  });

  it("gives no two people one e-mail address (a namesake who drew a taken one gets the entity's number in it)", () => {
    const originals = [...generatePersons({ ...options, rows: 50_000, maxDups: 0 })].filter((r) => r.email !== '');
    expect(new Set(originals.map((r) => r.email)).size).toBe(originals.length);
    expect(originals.some((r) => r.email.includes(r.entity_id.slice('ent-'.length)))).toBe(true);
  });

  it('is deterministic by seed', () => {
    const a = [...csvLines(generatePersons(options))].join('');
    const b = [...csvLines(generatePersons(options))].join('');
    const c = [...csvLines(generatePersons({ ...options, seed: 2 }))].join('');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('streams: a million rows are not built before the first one comes out', () => {
    const started = Date.now();
    const it = generatePersons({ ...options, rows: 1_000_000, shuffleWindow: 1000 });
    for (let i = 0; i < 100; i++) it.next();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('writes CSV with the ground-truth column, quoting values with commas, quotes or edge spaces', () => {
    const lines = [...csvLines([{ ...originalPerson(new Random(1), 0), given_name: ' ann', address_2: 'a, "b"' }])];
    expect(lines[0]).toBe('rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id,email,phone,entity_id\n');
    expect(lines[1]).toContain('," ann",');
    expect(lines[1]).toContain(',"a, ""b""",');
    expect(lines[1]!.trim().endsWith(',ent-0')).toBe(true);
  });
});
