import { describeFilter, dlqIds, filterOf, pointInTime } from './dlq-filter-flags';

const NOW = Date.UTC(2026, 10, 24, 12);

test('--since/--until take an ISO time or a duration back from now', () => {
  expect(pointInTime('24h', NOW)).toEqual(new Date(NOW - 24 * 3_600_000));
  expect(pointInTime('90m', NOW)).toEqual(new Date(NOW - 90 * 60_000));
  expect(pointInTime('2026-11-20T08:00:00Z', NOW)).toEqual(new Date(Date.UTC(2026, 10, 20, 8)));
  expect(pointInTime('2026-11-20', NOW)).toEqual(new Date(Date.UTC(2026, 10, 20)));
  for (const bad of ['yesterday', '2026-13-45', '24 hours', '']) expect(() => pointInTime(bad, NOW)).toThrow(/ISO time .* or a duration back from now/);
});

test('--dlq-id takes comma-separated UUIDs and accumulates when repeated', () => {
  const [a, b] = ['0b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e', '1b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e'];
  expect(dlqIds(`${a}, ${b}`)).toEqual([a, b]);
  expect(dlqIds(b, [a])).toEqual([a, b]);
  expect(() => dlqIds('dlq-1')).toThrow(/UUIDs/);
});

test('flags become the store filter, naming only what was given', () => {
  expect(filterOf({ tenant: 'acme' })).toEqual({});
  const since = new Date(NOW);
  const filter = filterOf({ tenant: 'acme', destination: 'dst_a', reason: 'permanent_error', since });
  expect(filter).toEqual({ destinationId: 'dst_a', reason: 'permanent_error', since });
  expect(describeFilter(filter)).toBe('destination dst_a, reason permanent_error, since 2026-11-24T12:00:00.000Z');
  expect(describeFilter({})).toBe('no filter');
});
