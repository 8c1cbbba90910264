import { Registry } from 'prom-client';
import { createStageMetrics, INVALID_REASON, STAGE_METRICS } from './stage-metrics';

/** `{ name: { labels-as-json: value } }` for the metrics of a registry, histograms by their _count. */
async function values(registry: Registry): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const v of metric.values) {
      const name = (v as { metricName?: string }).metricName ?? metric.name;
      if (String(metric.type) === 'histogram' && !name.endsWith('_count')) continue;
      (out[name] ??= {})[JSON.stringify(v.labels)] = v.value;
    }
  }
  return out;
}

it('registers exactly the documented metrics with their types and labels', async () => {
  const registry = new Registry();
  createStageMetrics(registry, { stage: 'ingest' });
  const registered = (await registry.getMetricsAsJSON()).map((m) => [m.name, m.type]);
  expect(registered.map(([name, type]) => [name, String(type)])).toEqual(Object.values(STAGE_METRICS).map((m) => [m.name, m.type]));
  expect(Object.values(STAGE_METRICS).map((m) => [m.name, [...m.labels]])).toEqual([
    ['stratum_stage_records_in_total', ['stage', 'topic']],
    ['stratum_stage_records_out_total', ['stage', 'output', 'outcome', 'reason']],
    ['stratum_stage_batch_duration_seconds', ['stage']],
    ['stratum_stage_consumer_lag', ['stage', 'topic', 'partition']],
    ['stratum_stage_rebalances_total', ['stage']],
    ['stratum_stage_commit_failures_total', ['stage']],
    ['stratum_stage_record_age_seconds', ['stage']],
    ['stratum_stage_paused', ['stage']],
    ['stratum_stage_retries_total', ['stage', 'reason']],
  ]);
});

it('starts every series labelled only by stage at 0, so rate() and alerts work from the first scrape', async () => {
  const registry = new Registry();
  createStageMetrics(registry, { stage: 'ingest' });
  expect(await values(registry)).toEqual({
    stratum_stage_rebalances_total: { '{"stage":"ingest"}': 0 },
    stratum_stage_commit_failures_total: { '{"stage":"ingest"}': 0 },
    stratum_stage_paused: { '{"stage":"ingest"}': 0 },
    stratum_stage_batch_duration_seconds_count: { '{"stage":"ingest"}': 0 },
    stratum_stage_record_age_seconds_count: { '{"stage":"ingest"}': 0 },
  });
});

it('counts with the stage bound, and ok has an empty reason', async () => {
  const registry = new Registry();
  const m = createStageMetrics(registry, { stage: 'ingest' });
  m.countRecordsIn('events.raw', 3);
  m.countRecordsIn('events.raw');
  m.countRecordsOut({ output: 'valid', outcome: 'ok' }, 2);
  m.countRecordsOut({ output: 'invalid', outcome: 'quarantine', reason: 'invalid_envelope' });
  m.countRetry('registry_unavailable');
  m.countRebalance();
  m.countCommitFailure();
  m.setPaused(true);
  m.setConsumerLag('events.raw', 0, 120);
  m.observeBatchDuration(0.02);
  const v = await values(registry);
  expect(v.stratum_stage_records_in_total).toEqual({ '{"stage":"ingest","topic":"events.raw"}': 4 });
  expect(v.stratum_stage_records_out_total).toEqual({
    '{"stage":"ingest","output":"valid","outcome":"ok","reason":""}': 2,
    '{"stage":"ingest","output":"invalid","outcome":"quarantine","reason":"invalid_envelope"}': 1,
  });
  expect(v.stratum_stage_retries_total).toEqual({ '{"stage":"ingest","reason":"registry_unavailable"}': 1 });
  expect([v.stratum_stage_rebalances_total, v.stratum_stage_commit_failures_total, v.stratum_stage_paused]).toEqual([
    { '{"stage":"ingest"}': 1 },
    { '{"stage":"ingest"}': 1 },
    { '{"stage":"ingest"}': 1 },
  ]);
  expect(v.stratum_stage_consumer_lag).toEqual({ '{"stage":"ingest","topic":"events.raw","partition":"0"}': 120 });
  expect(v.stratum_stage_batch_duration_seconds_count).toEqual({ '{"stage":"ingest"}': 1 });
});

it('records a reason that is not a stable code as invalid_reason, so messages cannot explode the series count', async () => {
  const registry = new Registry();
  const m = createStageMetrics(registry, { stage: 'ingest' });
  m.countRecordsOut({ output: 'invalid', outcome: 'drop', reason: 'tenant 42 sent garbage at 12:00' });
  m.countRetry('');
  const v = await values(registry);
  expect(Object.keys(v.stratum_stage_records_out_total!)).toEqual([`{"stage":"ingest","output":"invalid","outcome":"drop","reason":"${INVALID_REASON}"}`]);
  expect(Object.keys(v.stratum_stage_retries_total!)).toEqual([`{"stage":"ingest","reason":"${INVALID_REASON}"}`]);
});

it('forgets the lag of a partition the stage gave up', async () => {
  const registry = new Registry();
  const m = createStageMetrics(registry, { stage: 'ingest' });
  m.setConsumerLag('events.raw', 0, 5);
  m.setConsumerLag('events.raw', 1, 7);
  m.clearConsumerLag('events.raw', 0);
  expect((await values(registry)).stratum_stage_consumer_lag).toEqual({ '{"stage":"ingest","topic":"events.raw","partition":"1"}': 7 });
});

it('observes record age in seconds, and a timestamp from the future as 0', async () => {
  const registry = new Registry();
  const m = createStageMetrics(registry, { stage: 'ingest' });
  m.observeRecordAge(1_000, 3_500);
  m.observeRecordAge(5_000, 3_500);
  const [age] = (await registry.getMetricsAsJSON()).filter((x) => x.name === 'stratum_stage_record_age_seconds');
  const sum = age!.values.find((v) => (v as { metricName?: string }).metricName === 'stratum_stage_record_age_seconds_sum');
  const le0 = age!.values.find((v) => v.labels.le === 0.01);
  expect([sum?.value, le0?.value]).toEqual([2.5, 1]);
});

it('times a batch', async () => {
  const registry = new Registry();
  const m = createStageMetrics(registry, { stage: 'ingest' });
  const end = m.startBatchTimer();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = end();
  expect(seconds).toBeGreaterThanOrEqual(0.015);
  expect((await values(registry)).stratum_stage_batch_duration_seconds_count).toEqual({ '{"stage":"ingest"}': 1 });
});

it('lets several stages share one registry, apart by their stage label', async () => {
  const registry = new Registry();
  createStageMetrics(registry, { stage: 'ingest' }).countRecordsIn('events.raw');
  createStageMetrics(registry, { stage: 'dedup' }).countRecordsIn('events.valid', 2);
  expect((await values(registry)).stratum_stage_records_in_total).toEqual({
    '{"stage":"ingest","topic":"events.raw"}': 1,
    '{"stage":"dedup","topic":"events.valid"}': 2,
  });
});
