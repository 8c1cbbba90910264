import fc from 'fast-check';
import { applyTraitUpdate, goldenTraits, mergeTraits, TRAIT_RULES, type StoredTrait, type TraitRule, type TraitUpdate } from './rules';

const u = (value: TraitUpdate['value'], eventTs: number, messageId = `m${eventTs}`, sourceId: string | null = null): TraitUpdate => ({ value, eventTs, messageId, sourceId });
const fold = (updates: readonly TraitUpdate[], rule: TraitRule, sources: readonly string[] = []) =>
  updates.reduce<StoredTrait | undefined>((t, x) => applyTraitUpdate(t, x, rule, sources), undefined)!;

test('latest: an out-of-order older event never overwrites a newer value', () => {
  expect(fold([u('new@x.com', 200), u('old@x.com', 100)], 'latest').value).toBe('new@x.com');
  expect(fold([u('old@x.com', 100), u('new@x.com', 200)], 'latest').value).toBe('new@x.com');
});

test('null removes a trait as of its time: older values arriving later do not bring it back, newer ones do', () => {
  const removed = fold([u('Ann', 100), u(null, 200)], 'latest');
  expect(removed.value).toBeNull();
  expect(applyTraitUpdate(removed, u('Anne', 150), 'latest').value).toBeNull();
  expect(applyTraitUpdate(removed, u('Annie', 250), 'latest').value).toBe('Annie');
  expect(goldenTraits(new Map([['name', removed], ['plan', fold([u('pro', 1)], 'latest')]]))).toEqual({ plan: 'pro' });
});

test('first_seen keeps the earliest; non_empty ignores empty values; source_priority prefers listed sources', () => {
  expect(fold([u('b', 200), u('a', 100), u('c', 300)], 'first_seen').value).toBe('a');
  expect(fold([u('Ann', 100), u('', 200), u([], 300)], 'non_empty').value).toBe('Ann');
  expect(fold([u('', 100), u('Ann', 50)], 'non_empty').value).toBe('Ann');
  const crm = u('CRM name', 100, 'm1', 'src_crm');
  const web = u('web name', 500, 'm2', 'src_web');
  expect(fold([crm, web], 'source_priority', ['src_crm', 'src_web']).value).toBe('CRM name');
  expect(fold([web, crm], 'source_priority', ['src_crm']).value).toBe('CRM name');
  expect(fold([u('x', 100, 'a', 'src_other'), u('y', 200, 'b', 'src_unlisted')], 'source_priority', ['src_crm']).value).toBe('y');
});

test('a removal discarding a first_seen winner marks the trait stale (the archive holds what it set aside)', () => {
  const t = fold([u('v1', 1), u('v2', 3), u(null, 2)], 'first_seen');
  expect(t.value).toBeNull();
  expect(t.stale).toBe(true);
  expect(fold([u('v1', 1), u('v2', 3), u(null, 2)], 'latest').stale).toBeUndefined();
});

const updateArb = fc.record({
  value: fc.oneof(fc.constantFrom<TraitUpdate['value']>(null, '', 'a', 'b', 'c', 1, true), fc.constant([] as TraitUpdate['value'])),
  eventTs: fc.integer({ min: 0, max: 6 }),
  messageId: fc.constantFrom('m1', 'm2', 'm3', null),
  sourceId: fc.constantFrom('s1', 's2', null),
});
/** A deterministic permutation of `xs` from `seed`. */
function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
const view = (t: StoredTrait) => ({ value: t.value, eventTs: t.eventTs, firstTs: t.firstTs, removed: t.removed });

test('property: folding updates in any order gives the same trait (latest, and every rule when no removal is involved)', () => {
  fc.assert(
    fc.property(fc.array(updateArb, { minLength: 1, maxLength: 8 }), fc.constantFrom(...TRAIT_RULES), fc.integer(), fc.context(), (updates, rule, seed, ctx) => {
      // Identical (ts, messageId) pairs with different values are one event reported twice: keep the first, as dedup would.
      const seen = new Set<string>();
      const distinct = updates.filter((x) => (seen.has(`${x.eventTs}/${x.messageId}`) ? false : (seen.add(`${x.eventTs}/${x.messageId}`), true)));
      if (rule !== 'latest' && distinct.some((x) => x.value === null)) return;
      const forward = fold(distinct, rule, ['s1']);
      for (const order of [[...distinct].reverse(), shuffle(distinct, seed)]) {
        const other = fold(order, rule, ['s1']);
        ctx.log(JSON.stringify({ forward, other }));
        expect(view(other)).toEqual(view(forward));
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: merging two profiles equals folding all their updates (latest)', () => {
  fc.assert(
    fc.property(fc.array(updateArb, { minLength: 1, maxLength: 6 }), fc.array(updateArb, { minLength: 1, maxLength: 6 }), (a, b) => {
      const seen = new Set<string>();
      const keep = (x: TraitUpdate) => (seen.has(`${x.eventTs}/${x.messageId}`) ? false : (seen.add(`${x.eventTs}/${x.messageId}`), true));
      const da = a.filter(keep);
      const db = b.filter(keep);
      if (da.length === 0 || db.length === 0) return;
      const merged = mergeTraits(fold(da, 'latest'), fold(db, 'latest'), 'latest');
      expect(merged.value).toEqual(fold([...da, ...db], 'latest').value);
      expect(mergeTraits(fold(db, 'latest'), fold(da, 'latest'), 'latest').value).toEqual(merged.value);
    }),
    { numRuns: 2000 },
  );
});
