import {
  createLogger,
  createMetricsRegistry,
  createStageMetrics,
  readinessFromChecks,
  silentLogger,
  startHealthServer,
  type HealthServer,
  type ReadinessReport,
} from '../src/index';

const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(overrides: Partial<Parameters<typeof startHealthServer>[0]> = {}) {
  const registry = createMetricsRegistry({ service: 'ingest', version: '0.1.0' });
  const server = await startHealthServer({ port: 0, host: '127.0.0.1', registry, readiness: () => ({ checks: {} }), logger: silentLogger(), ...overrides });
  servers.push(server);
  return { server, registry };
}

async function json(url: string, init?: RequestInit): Promise<[number, unknown]> {
  const res = await fetch(url, init);
  return [res.status, await res.json()];
}

it('serves the stage metrics in the Prometheus text format with their types and labels', async () => {
  const { server, registry } = await start();
  const metrics = createStageMetrics(registry, { stage: 'ingest' });
  metrics.countRecordsIn('events.raw', 5);
  metrics.countRecordsOut({ output: 'valid', outcome: 'ok' }, 4);
  metrics.countRecordsOut({ output: 'invalid', outcome: 'quarantine', reason: 'invalid_envelope' });
  metrics.setConsumerLag('events.raw', 2, 17);
  metrics.observeBatchDuration(0.003);
  metrics.observeRecordAge(Date.now() - 1500);
  metrics.setPaused(true);
  metrics.countRetry('broker_unavailable');

  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  const types = Object.fromEntries([...text.matchAll(/^# TYPE (stratum_\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  expect(types).toEqual({
    stratum_build_info: 'gauge',
    stratum_stage_records_in_total: 'counter',
    stratum_stage_records_out_total: 'counter',
    stratum_stage_batch_duration_seconds: 'histogram',
    stratum_stage_consumer_lag: 'gauge',
    stratum_stage_rebalances_total: 'counter',
    stratum_stage_commit_failures_total: 'counter',
    stratum_stage_record_age_seconds: 'histogram',
    stratum_stage_paused: 'gauge',
    stratum_stage_retries_total: 'counter',
  });
  const samples = text.split('\n').filter((line) => line.startsWith('stratum_') && !line.includes('_bucket'));
  expect(samples).toEqual([
    'stratum_build_info{service="ingest",version="0.1.0"} 1',
    'stratum_stage_records_in_total{stage="ingest",topic="events.raw"} 5',
    'stratum_stage_records_out_total{stage="ingest",output="valid",outcome="ok",reason=""} 4',
    'stratum_stage_records_out_total{stage="ingest",output="invalid",outcome="quarantine",reason="invalid_envelope"} 1',
    'stratum_stage_batch_duration_seconds_sum{stage="ingest"} 0.003',
    'stratum_stage_batch_duration_seconds_count{stage="ingest"} 1',
    'stratum_stage_consumer_lag{stage="ingest",topic="events.raw",partition="2"} 17',
    'stratum_stage_rebalances_total{stage="ingest"} 0',
    'stratum_stage_commit_failures_total{stage="ingest"} 0',
    expect.stringMatching(/^stratum_stage_record_age_seconds_sum\{stage="ingest"\} 1\.5\d*$/),
    'stratum_stage_record_age_seconds_count{stage="ingest"} 1',
    'stratum_stage_paused{stage="ingest"} 1',
    'stratum_stage_retries_total{stage="ingest",reason="broker_unavailable"} 1',
  ]);
  expect(text).toContain('stratum_stage_batch_duration_seconds_bucket{le="0.005",stage="ingest"} 1');
  expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
});

it('answers /healthz 200 while liveness holds, 503 when it fails or throws', async () => {
  let alive: boolean | Error = true;
  const { server } = await start({
    liveness: () => {
      if (alive instanceof Error) throw alive;
      return alive;
    },
  });
  expect(await json(`${server.url}/healthz`)).toEqual([200, { status: 'ok' }]);
  alive = false;
  expect(await json(`${server.url}/healthz`)).toEqual([503, { status: 'unhealthy' }]);
  alive = new Error('event loop wedged');
  expect(await json(`${server.url}/healthz`)).toEqual([503, { status: 'unhealthy', error: 'event loop wedged' }]);
});

it('flips /readyz between 200 and 503 with a failing check, and logs the transitions', async () => {
  let postgresUp = true;
  const logged: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'ingest', level: 'info', destination: { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) } });
  const readiness = readinessFromChecks({
    kafka: () => true,
    postgres: async () => {
      if (!postgresUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    },
  });
  const { server } = await start({ readiness, logger });
  expect(await json(`${server.url}/readyz`)).toEqual([200, { status: 'ready', checks: { kafka: { ok: true }, postgres: { ok: true } } }]);
  postgresUp = false;
  const notReady = { status: 'not_ready', checks: { kafka: { ok: true }, postgres: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:5432' } } };
  expect(await json(`${server.url}/readyz`)).toEqual([503, notReady]);
  expect(await json(`${server.url}/readyz`)).toEqual([503, notReady]);
  postgresUp = true;
  expect((await json(`${server.url}/readyz`))[0]).toBe(200);
  expect(logged.filter((l) => l.msg !== 'health server listening').map((l) => [l.level, l.msg])).toEqual([
    ['info', 'ready'],
    ['warn', 'not ready'],
    ['info', 'ready'],
  ]);
});

it('answers 503 within the timeout when a check hangs', async () => {
  const { server } = await start({ readiness: readinessFromChecks({ kafka: () => true, postgres: () => new Promise<void>(() => {}) }) });
  const started = Date.now();
  const [status, body] = await json(`${server.url}/readyz`);
  const elapsed = Date.now() - started;
  expect([status, body]).toEqual([503, { status: 'not_ready', checks: { kafka: { ok: true }, postgres: { ok: false, error: 'timed out after 1500 ms' } } }]);
  expect(elapsed).toBeGreaterThanOrEqual(1400);
  expect(elapsed).toBeLessThan(2500);
});

it('answers 503 within its own limit when a whole readiness function hangs or throws', async () => {
  let hang = true;
  const readiness = (): Promise<ReadinessReport> | ReadinessReport => {
    if (hang) return new Promise<ReadinessReport>(() => {});
    throw new Error('no consumer yet');
  };
  const { server } = await start({ readiness, readinessTimeoutMs: 100 });
  expect(await json(`${server.url}/readyz`)).toEqual([503, { status: 'not_ready', checks: { readiness: { ok: false, error: 'timed out after 100 ms' } } }]);
  hang = false;
  expect(await json(`${server.url}/readyz`)).toEqual([503, { status: 'not_ready', checks: { readiness: { ok: false, error: 'no consumer yet' } } }]);
});

it('answers 404 JSON for other paths and 405 with Allow for other methods', async () => {
  const { server } = await start();
  expect(await json(`${server.url}/nope`)).toEqual([404, { code: 'not_found', message: 'GET /nope: no such endpoint (there are /metrics, /healthz, /readyz)' }]);
  const res = await fetch(`${server.url}/metrics`, { method: 'POST' });
  expect([res.status, res.headers.get('allow'), await res.json()]).toEqual([
    405,
    'GET, HEAD',
    { code: 'method_not_allowed', message: 'POST /metrics: use GET', allow: ['GET', 'HEAD'] },
  ]);
  expect((await fetch(`${server.url}/healthz?verbose=1`)).status).toBe(200);
  expect((await fetch(`${server.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
});

it('listens on a free port for port 0 and stops, idempotently, with keep-alive clients connected', async () => {
  const { server } = await start();
  expect(server.port).toBeGreaterThan(0);
  expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  await fetch(`${server.url}/healthz`);
  await Promise.all([server.stop(), server.stop()]);
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
});

it('rejects when the port is taken', async () => {
  const { server } = await start();
  await expect(startHealthServer({ port: server.port, host: '127.0.0.1', registry: createMetricsRegistry({ service: 'x', version: '0', processMetrics: false }), readiness: () => ({ checks: {} }), logger: silentLogger() })).rejects.toMatchObject({ code: 'EADDRINUSE' });
});
