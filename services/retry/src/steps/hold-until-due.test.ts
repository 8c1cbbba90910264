import { exampleRecords, type DeliveryAttempt } from '@stratum/schemas';
import type { RecordContext } from '@stratum/stream';
import { NO_RETRY_METRICS } from '../metrics';
import { holdUntilDueStep } from './hold-until-due';

const NOW = 1_000_000;
const due = (notBefore: number): DeliveryAttempt => ({ ...exampleRecords['delivery.attempts'], notBefore });
const ctx = (offset: number): RecordContext => ({ topic: 'delivery.retry.30s', partition: 0, offset: String(offset), timestamp: 0, key: null, headers: {} });

it('passes the due records before the first one not due, and holds it and everything after it', async () => {
  const waits: Array<[string, string, number]> = [];
  const step = holdUntilDueStep({ now: () => NOW, tierOf: () => '30s', metrics: { ...NO_RETRY_METRICS, waiting: (tier, p, s) => void waits.push([tier, p, s]) } });
  const results = await step.run([due(NOW - 5), due(NOW), due(NOW + 250), due(NOW - 1)], [ctx(1), ctx(2), ctx(3), ctx(4)]);
  expect(results.map((r) => r.kind)).toEqual(['ok', 'ok', 'retry', 'retry']);
  expect(results[2]).toEqual({ kind: 'retry', afterMs: 250, reason: 'not_due' });
  expect(waits).toEqual([['30s', 'delivery.retry.30s/0', 0.25]]);
});

it('passes a chunk that is all due', async () => {
  const step = holdUntilDueStep({ now: () => NOW, tierOf: () => '30s', metrics: NO_RETRY_METRICS });
  expect((await step.run([due(NOW - 1), due(NOW - 2)], [ctx(1), ctx(2)])).map((r) => r.kind)).toEqual(['ok', 'ok']);
});
