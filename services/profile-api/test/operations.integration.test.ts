/**
 * /healthz, /readyz, /metrics, /openapi.json (against the routes the express app registers),
 * 404/405 for paths, and 503 — never 401 — when PostgreSQL is unreachable.
 */
import type { Express } from 'express';
import fc from 'fast-check';
import { createDb, type Db } from '@stratum/db';
import { createMetricsRegistry, silentLogger } from '@stratum/observability';
import { createAdminKeyDirectory, type AdminKeyDirectory } from '@stratum/tenancy';
import { closedPort } from '@stratum/testing';
import { createProfileApiApp } from '../src/app';
import { API_ERROR_CODES } from '../src/http/errors';
import { PROFILE_API_METRICS } from '../src/metrics';
import type { OpenApiDocument } from '../src/openapi/types';
import { startServer, type RunningServer } from '../src/server';
import { call, seedProfiles, useProfileApi, type TestTenant } from './harness';

const h = useProfileApi();
let t: TestTenant;
beforeAll(async () => {
  t = await h.tenant();
  await seedProfiles(h.db, t.tenantId, [{ id: 'prf_ops' }]);
});

describe('/healthz and /readyz', () => {
  it('/healthz is 200 while the process runs; /readyz checks PostgreSQL', async () => {
    expect(await call(h, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call(h, '/readyz')).toMatchObject({ status: 200, body: { status: 'ready', checks: { postgres: { ok: true } } } });
  });
});

describe('/metrics', () => {
  const sample = async (series: string) => {
    const text = (await call<string>(h, '/metrics')).body;
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  };

  it('counts requests and observes durations by route (the registered path), method and status', async () => {
    const ok = 'stratum_profile_api_requests_total{route="/v1/profiles/{id}",method="GET",status="200"}';
    const notFound = 'stratum_profile_api_requests_total{route="/v1/profiles/{id}",method="GET",status="404"}';
    const unauthorized = 'stratum_profile_api_requests_total{route="/v1/profiles/{id}/events",method="GET",status="401"}';
    const unmatched = 'stratum_profile_api_requests_total{route="unmatched",method="GET",status="404"}';
    const before = await Promise.all([ok, notFound, unauthorized, unmatched].map(sample));
    await call(h, '/v1/profiles/prf_ops', { key: t.adminKey });
    await call(h, '/v1/profiles/prf_nobody', { key: t.adminKey });
    await call(h, '/v1/profiles/prf_ops/events');
    await call(h, '/v1/nothing-here');
    expect(await Promise.all([ok, notFound, unauthorized, unmatched].map(sample))).toEqual(before.map((n) => n + 1));
    expect(await sample('stratum_profile_api_request_duration_seconds_count{route="/v1/profiles/{id}",method="GET",status="200"}')).toBeGreaterThanOrEqual(1);
  });

  it('exposes every metric of the table, in Prometheus text format', async () => {
    const res = await call<string>(h, '/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    for (const metric of Object.values(PROFILE_API_METRICS)) expect(res.body).toContain(`# TYPE ${metric.name} ${metric.type}`);
    expect(res.body).toContain('stratum_build_info{service="profile-api-test",version="test"} 1');
  });
});

describe('paths', () => {
  it('an unknown path is 404 not_found; a known path with another method 405 with Allow', async () => {
    expect((await call(h, '/v2/profiles', { key: t.adminKey })).body).toMatchObject({ code: 'not_found' });
    const res = await call(h, '/v1/profiles/prf_ops/consents', { key: t.adminKey });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('PUT');
    expect(res.body).toMatchObject({ code: 'method_not_allowed', allow: ['PUT'] });
    expect((await call(h, '/v1/profiles/prf_ops', { key: t.adminKey, method: 'DELETE' })).headers.get('allow')).toBe('GET');
  });

  it('paths match with any case of the literal parts and a trailing slash; ids stay as given', async () => {
    expect((await call(h, '/V1/Profiles/prf_ops/', { key: t.adminKey })).status).toBe(200);
    expect((await call(h, '/v1/profiles/PRF_OPS', { key: t.adminKey })).status).toBe(404);
  });

  it('a path that is not valid percent-encoding is 400, not a failure', async () => {
    expect((await call(h, '/v1/profiles/%E0%A4%A', { key: t.adminKey })).body).toMatchObject({ code: 'invalid_parameter', field: 'path' });
  });

  it('random paths, queries and bodies get an answer below 500', async () => {
    const segment = fc.oneof(fc.constantFrom('v1', 'profiles', 'prf_ops', 'events', 'merges', 'consents', '%', '%00', '%E0', '..', ''), fc.string({ maxLength: 12 }).map(encodeURIComponent));
    const query = fc.array(fc.tuple(fc.constantFrom('limit', 'cursor', 'identifier', 'x', '%', ''), fc.string({ maxLength: 20 })), { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 4 }), query, fc.constantFrom('GET', 'PUT', 'POST'), fc.option(fc.string({ maxLength: 40 })), async (segments, params, method, body) => {
        const path = `/${segments.join('/')}?${params.map(([k, v]) => `${k}=${v.replace(/[#\s]/g, '')}`).join('&')}`;
        const res = await fetch(`${h.url}${path.startsWith('//') ? path.slice(1) : path}`, {
          method,
          headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
          ...(method === 'GET' || body === null ? {} : { body }),
        });
        await res.arrayBuffer();
        return res.status < 500;
      }),
      { numRuns: 150 },
    );
  });

  it('an id that cannot exist (too long, NUL) is simply not found', async () => {
    expect((await call(h, `/v1/profiles/${'x'.repeat(500)}`, { key: t.adminKey })).body).toMatchObject({ code: 'profile_not_found' });
    expect((await call(h, '/v1/profiles/prf%00ops', { key: t.adminKey })).body).toMatchObject({ code: 'profile_not_found' });
  });
});

describe('/openapi.json', () => {
  let document: OpenApiDocument;
  beforeAll(async () => {
    document = (await call<OpenApiDocument>(h, '/openapi.json')).body;
  });

  /** `METHOD path` of every route registered on an express app, in OpenAPI's `{param}` form. */
  function expressRoutes(app: Express): string[] {
    const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
    return stack
      .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`) : []))
      .sort();
  }

  it('describes exactly the routes the express app registers', () => {
    const app = createProfileApiApp({
      db: h.db,
      directory: createAdminKeyDirectory(h.db),
      logger: silentLogger(),
      metrics: createMetricsRegistry({ service: 'openapi-test', version: 'test', processMetrics: false }),
    });
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(expressRoutes(app));
    expect(documented).toEqual(
      expect.arrayContaining(['GET /v1/profiles', 'GET /v1/profiles/{id}', 'GET /v1/profiles/{id}/events', 'GET /v1/profiles/{id}/merges', 'PUT /v1/profiles/{id}/consents']),
    );
  });

  it('is OpenAPI 3.1 with bearer and basic auth on every profile operation and every error code', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes).toMatchObject({ adminKey: { type: 'http', scheme: 'bearer' }, adminKeyBasic: { type: 'http', scheme: 'basic' } });
    for (const [path, item] of Object.entries(document.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const operation of Object.values(item)) expect([path, operation.security]).toEqual([path, [{ adminKey: [] }, { adminKeyBasic: [] }]]);
    }
    expect(document.components.schemas['Error']!.properties!['code']!.enum).toEqual(API_ERROR_CODES);
    const byResponse = Object.values(document.components.responses).flatMap((r) => r.content!['application/json']!.schema.allOf![1]!.properties!['code']!.enum as string[]);
    expect([...byResponse].sort()).toEqual([...API_ERROR_CODES].sort());
    expect(document.paths['/v1/profiles/{id}/consents']!.put!.requestBody!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/ConsentChanges' });
  });

  it('lists as query parameters exactly what each endpoint accepts', () => {
    const query = (path: string) => (document.paths[path]!.get!.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'query' ? [p.name] : []));
    expect(query('/v1/profiles')).toEqual(['identifier']);
    expect(query('/v1/profiles/{id}/events')).toEqual(['limit', 'cursor']);
    expect(query('/v1/profiles/{id}/merges')).toEqual(['limit', 'cursor']);
    expect(query('/v1/profiles/{id}')).toEqual([]);
  });

  it('resolves every $ref it contains', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      let node: unknown = document;
      for (const part of ref.slice('"$ref":"#/'.length, -1).split('/')) node = (node as Record<string, unknown>)[part];
      expect([ref, node === undefined]).toEqual([ref, false]);
    }
  });
});

describe('PostgreSQL unreachable', () => {
  let down: Db;
  let servers: RunningServer[] = [];
  beforeAll(async () => {
    down = createDb(`postgres://postgres@127.0.0.1:${await closedPort()}/nowhere`);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
    await down.destroy();
  });

  async function serve(directory: AdminKeyDirectory): Promise<string> {
    const app = createProfileApiApp({ db: down, directory, logger: silentLogger(), metrics: createMetricsRegistry({ service: 'down', version: 'test', processMetrics: false }) });
    const server = await startServer(app, { port: 0, host: '127.0.0.1', logger: silentLogger(), shutdownTimeoutMs: 1000 });
    servers.push(server);
    return server.url;
  }

  it('the key cannot be checked: 503 database_unavailable with Retry-After, not 401', async () => {
    const url = await serve(createAdminKeyDirectory(down));
    const res = await fetch(`${url}/v1/profiles/prf_ops`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ code: 'database_unavailable', message: expect.stringContaining('retry in 5 s'), retryAfterSeconds: 5, requestId: expect.any(String) });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', checks: { postgres: { ok: false } } });
  });

  it('the key is known (cached) but the data cannot be read: 503 too', async () => {
    const url = await serve({ tenantForAdminKey: async () => ({ tenantId: t.tenantId, tenantName: 'cached' }) });
    for (const path of ['/v1/profiles/prf_ops', '/v1/profiles/prf_ops/events', '/v1/profiles?identifier=email:a@x.com']) {
      const res = await fetch(`${url}${path}`, { headers: { authorization: 'Bearer sk_cached' } });
      expect([path, res.status, res.headers.get('retry-after')]).toEqual([path, 503, '5']);
    }
  });
});
