import { exampleRecords } from '@stratum/schemas';
import type { DeadLetterSummary } from '@stratum/delivery';
import { describeLastError, table, totalsOf } from './dlq-table';

const { event: _event, tenantId: _tenantId, ...letter } = exampleRecords['delivery.dlq'];
const summary: DeadLetterSummary = { ...letter, replayCount: 0, lastReplayedAt: null };

test('totals per destination and per reason, largest first, ties by name', () => {
  expect(
    totalsOf([
      { destinationId: 'dst_b', reason: 'attempts_exhausted', count: 2 },
      { destinationId: 'dst_a', reason: 'permanent_error', count: 2 },
      { destinationId: 'dst_a', reason: 'attempts_exhausted', count: 1 },
    ]),
  ).toEqual({ total: 5, byDestination: { dst_a: 3, dst_b: 2 }, byReason: { attempts_exhausted: 3, permanent_error: 2 } });
});

test('the last error as code, status and message on one line, cut to fit', () => {
  expect(describeLastError(summary)).toBe('http_5xx 503 Service Unavailable');
  expect(describeLastError({ ...summary, lastError: null })).toBe('-');
  const long = describeLastError({ ...summary, lastError: { ...summary.lastError!, httpStatus: null, message: `line one\nline two ${'x'.repeat(80)}` } });
  expect(long).toHaveLength(60);
  expect(long).toMatch(/^http_5xx line one line two x+…$/);
});

test('columns are padded to their widest cell', () => {
  expect(table(['A', 'LONG'], [['xyz', '1'], ['q', '22']])).toBe('A    LONG\nxyz  1\nq    22\n');
});
