import type { PlannedEvent } from '@stratum/tenancy';
import { ValidatorCache } from './compile';

const planned = (schema: PlannedEvent['schema'], version = '1.0.0'): PlannedEvent => ({ type: 'track', name: 'Order Completed', version, schema });
const totalSchema = () => ({ $id: 'https://acme.example/order.json', type: 'object', properties: { total: { type: 'number' } } });

it('compiles a schema once, however many records it validates', () => {
  const cache = new ValidatorCache();
  const event = planned(totalSchema());
  for (let i = 0; i < 1000; i++) expect(cache.get('t1', 's1', event).validate!({ total: i })).toBe(true);
  expect(cache.compilations).toBe(1);
});

it('does not recompile when the directory reloads an unchanged plan, and does when the schema changed', () => {
  const cache = new ValidatorCache();
  cache.get('t1', 's1', planned(totalSchema()));
  cache.get('t1', 's1', planned(totalSchema())); // a new object with the same text
  expect(cache.compilations).toBe(1);
  const changed = planned({ ...totalSchema(), properties: { total: { type: 'string' } } });
  expect(cache.get('t1', 's1', changed).validate!({ total: 1 })).toBe(false);
  expect(cache.compilations).toBe(2);
});

it('keeps tenants apart, even when their schemas share an $id', () => {
  const cache = new ValidatorCache();
  const a = cache.get('t1', 's1', planned(totalSchema()));
  const b = cache.get('t2', 's1', planned({ ...totalSchema(), properties: { total: { type: 'string' } } }));
  expect([a.validate!({ total: 1 }), b.validate!({ total: 1 })]).toEqual([true, false]);
  expect(cache.size).toBe(2);
});

it('reads draft 2020-12 when the schema says so, and draft-07 otherwise', () => {
  const cache = new ValidatorCache();
  const draft2020 = cache.get('t', 's', planned({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }], items: false }));
  expect([draft2020.validate!(['a']), draft2020.validate!(['a', 'b'])]).toEqual([true, false]);
  const draft07 = cache.get('t', 's', planned({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }], additionalItems: false }, '2.0.0'));
  expect([draft07.validate!(['a']), draft07.validate!(['a', 'b'])]).toEqual([true, false]);
});

it('checks formats (ajv-formats)', () => {
  const compiled = new ValidatorCache().get('t', 's', planned({ type: 'object', properties: { email: { type: 'string', format: 'email' }, at: { type: 'string', format: 'date-time' } } }));
  expect(compiled.validate!({ email: 'ada@example.com', at: '2026-11-24T09:30:00Z' })).toBe(true);
  expect(compiled.validate!({ email: 'ada', at: '2026-11-24T09:30:00Z' })).toBe(false);
});

it('remembers a schema that does not compile, with the reason, instead of throwing', () => {
  const cache = new ValidatorCache();
  const broken = planned({ type: 'object', properties: { a: { $ref: '#/definitions/missing' } } });
  const compiled = cache.get('t', 's', broken);
  expect(compiled.validate).toBeNull();
  expect(compiled.compileError).toMatch(/missing/);
  cache.get('t', 's', broken);
  expect(cache.compilations).toBe(1);
});

it('holds at most maxEntries, forgetting the least recently used', () => {
  const cache = new ValidatorCache({ maxEntries: 2 });
  const schema = totalSchema();
  cache.get('t', 's', planned(schema, '1.0.0'));
  cache.get('t', 's', planned(schema, '2.0.0'));
  cache.get('t', 's', planned(schema, '1.0.0')); // used again: now the most recent
  cache.get('t', 's', planned(schema, '3.0.0')); // evicts 2.0.0
  expect(cache.size).toBe(2);
  cache.get('t', 's', planned(schema, '1.0.0'));
  expect(cache.compilations).toBe(3);
  cache.get('t', 's', planned(schema, '2.0.0'));
  expect(cache.compilations).toBe(4);
});
