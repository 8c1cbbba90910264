import { register as globalRegistry } from 'prom-client';
import { createMetricsRegistry } from './metrics-registry';

it('reports stratum_build_info and the process metrics, unprefixed', async () => {
  const registry = createMetricsRegistry({ service: 'ingest', version: '1.2.3' });
  const text = await registry.metrics();
  expect(text).toContain('# TYPE stratum_build_info gauge\nstratum_build_info{service="ingest",version="1.2.3"} 1\n');
  expect(text).toMatch(/^# TYPE process_cpu_user_seconds_total counter$/m);
  expect(text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
});

it('keeps each registry apart and leaves the global one alone', async () => {
  const a = createMetricsRegistry({ service: 'a', version: '1', processMetrics: false });
  const b = createMetricsRegistry({ service: 'b', version: '1', processMetrics: false });
  expect(await a.metrics()).not.toContain('service="b"');
  expect(await b.metrics()).not.toContain('service="a"');
  expect(a.getMetricsAsArray().map((m) => m.name)).toEqual(['stratum_build_info']);
  expect(globalRegistry.getSingleMetric('stratum_build_info')).toBeUndefined();
});
