/**
 * /healthz, /readyz, /metrics and /openapi.json, on the API's port; the OpenAPI document against
 * the app's real routes and the error registry.
 */
import type { Express } from 'express';
import { createMetricsRegistry, silentLogger } from '@stratum/observability';
import { inMemoryDirectory } from '@stratum/tenancy';
import { createGatewayApp } from '../src/app';
import { GATEWAY_ERROR_CODES } from '../src/http/errors';
import { GATEWAY_METRICS } from '../src/metrics/gateway-metrics';
import type { OpenApiDocument } from '../src/openapi/types';
import { createMemoryRateLimiter } from '../src/rate-limit';
import { DEFAULT_SOURCES, RecordingPublisher, TIGHT_KEY, post, startTestGateway, trackCall, type TestGateway } from './test-gateway';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

describe('/healthz and /readyz', () => {
  it('/healthz answers 200 while the process is alive, whatever the dependencies', async () => {
    gateway.publisher.ready = false;
    const response = await fetch(`${gateway.url}/healthz`);
    gateway.publisher.ready = true;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 when the publisher is ready and 503 naming it when not', async () => {
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { publisher: { ok: true } } });
    gateway.publisher.ready = false;
    const notReady = await fetch(`${gateway.url}/readyz`);
    gateway.publisher.ready = true;
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not_ready', checks: { publisher: { ok: false, error: 'check failed' } } });
  });

  it('/readyz runs the extra checks it is given (the database, in main.ts)', async () => {
    const app = createGatewayApp({
      directory: inMemoryDirectory(DEFAULT_SOURCES),
      publisher: new RecordingPublisher(),
      rateLimiter: createMemoryRateLimiter(),
      logger: silentLogger(),
      metrics: createMetricsRegistry({ service: 'gateway-test', version: 'test', processMetrics: false }),
      config: { maxBodyBytes: 512_000 },
      readiness: { postgres: () => Promise.reject(new Error('connection refused')) },
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'not_ready', checks: { publisher: { ok: true }, postgres: { ok: false, error: 'connection refused' } } });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('/metrics', () => {
  /** The value of one sample line, e.g. `stratum_gateway_events_total{outcome="accepted",reason=""}`. */
  async function sample(series: string): Promise<number> {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  }

  it('counts requests by route and status, events by outcome and reason, and observes durations and sizes', async () => {
    const accepted = 'stratum_gateway_events_total{outcome="accepted",reason=""}';
    const refusedTooMany = 'stratum_gateway_events_total{outcome="refused",reason="too_many_events"}';
    const batch200 = 'stratum_gateway_requests_total{route="/v1/batch",status="200"}';
    const batch413 = 'stratum_gateway_requests_total{route="/v1/batch",status="413"}';
    const before = { accepted: await sample(accepted), refused: await sample(refusedTooMany), ok: await sample(batch200), tooMany: await sample(batch413) };

    const three = { batch: [0, 1, 2].map((i) => ({ type: 'track', userId: `u${i}`, event: 'E' })) };
    expect((await post(gateway, '/v1/batch', three)).status).toBe(200);
    const four = { batch: [0, 1, 2, 3].map((i) => ({ type: 'track', userId: `u${i}`, event: 'E' })) };
    expect((await post(gateway, '/v1/batch', four, { writeKey: TIGHT_KEY })).status).toBe(413);

    expect(await sample(accepted)).toBe(before.accepted + 3);
    expect(await sample(refusedTooMany)).toBe(before.refused + 4);
    expect(await sample(batch200)).toBe(before.ok + 1);
    expect(await sample(batch413)).toBe(before.tooMany + 1);
    expect(await sample('stratum_gateway_request_duration_seconds_count{route="/v1/batch"}')).toBeGreaterThanOrEqual(2);
    expect(await sample('stratum_gateway_publish_duration_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(await sample('stratum_gateway_request_body_bytes_count{route="/v1/batch"}')).toBeGreaterThanOrEqual(2);
  });

  it('exposes every metric of the table, with its type, in Prometheus text format', async () => {
    await post(gateway, '/v1/track', trackCall());
    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await response.text();
    for (const metric of Object.values(GATEWAY_METRICS)) expect(text).toContain(`# TYPE ${metric.name} ${metric.type}`);
    expect(text).toContain('stratum_build_info{service="gateway-test",version="test"} 1');
    expect(text).toMatch(/stratum_gateway_request_duration_seconds_bucket\{route="\/v1\/track",le="\+Inf"\} \d+/);
  });
});

describe('/openapi.json', () => {
  let document: OpenApiDocument;
  beforeAll(async () => {
    const response = await fetch(`${gateway.url}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenApiDocument;
  });

  /** `METHOD path` of every route registered on an express app, in OpenAPI's `{param}` form. */
  function expressRoutes(app: Express): string[] {
    const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
    return stack
      .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`) : []))
      .sort();
  }

  it('describes exactly the routes the express app registers', () => {
    const app = createGatewayApp({
      directory: inMemoryDirectory([]),
      publisher: new RecordingPublisher(),
      rateLimiter: createMemoryRateLimiter(),
      logger: silentLogger(),
      metrics: createMetricsRegistry({ service: 'gateway-test', version: 'test', processMetrics: false }),
      config: { maxBodyBytes: 512_000 },
    });
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(expressRoutes(app));
    expect(documented).toContain('POST /v1/import');
    expect(documented).toContain('POST /v1/webhooks/twilio/{tenantId}');
  });

  it('is OpenAPI 3.1 with basic auth, the request bodies and every error code', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes['writeKey']).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(document.paths['/v1/batch']!.post!.requestBody!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/BatchRequest' });
    expect(document.paths['/v1/track']!.post!.requestBody!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/TrackEvent' });
    expect(document.components.schemas['Error']!.properties!['code']!.enum).toEqual(GATEWAY_ERROR_CODES);
    // Every code is in exactly one status response, and every status response names its headers.
    const byResponse = Object.values(document.components.responses).flatMap((r) => {
      const schema = r.content!['application/json']!.schema;
      return schema.allOf![1]!.properties!['code']!.enum as string[];
    });
    expect([...byResponse].sort()).toEqual([...GATEWAY_ERROR_CODES].sort());
    expect(Object.keys(document.components.responses['TooManyRequests']!.headers!)).toEqual(['X-Request-Id', 'Retry-After']);
    expect(Object.keys(document.components.responses['ServiceUnavailable']!.headers!)).toEqual(['X-Request-Id', 'Retry-After']);
    expect(Object.keys(document.components.responses['Unauthorized']!.headers!)).toEqual(['X-Request-Id', 'WWW-Authenticate']);
  });

  it('resolves every $ref it contains', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const pointer = ref.slice('"$ref":"#/'.length, -1).split('/');
      let node: unknown = document;
      for (const part of pointer) node = (node as Record<string, unknown>)[part];
      expect([ref, node === undefined]).toEqual([ref, false]);
    }
  });
});
