/**
 * The destinations admin API over real HTTP against a real PostgreSQL: create, list, get, patch,
 * disable and enable round trip; credentials sealed in the table and never answered or logged;
 * another tenant's key sees nothing (404, like an unknown destination) and changes nothing;
 * specific refusals for what the store and the type's adapter reject; and the answers of a
 * service without credential keys, or without PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { createDb, withTenant, type Db } from '@stratum/db';
import { createCredentialKeyring, getDestinationWithCredentials } from '@stratum/destinations';
import { createLogger, createMetricsRegistry, silentLogger } from '@stratum/observability';
import { createAdminKeyDirectory, type AdminKeyDirectory } from '@stratum/tenancy';
import { closedPort } from '@stratum/testing';
import { createProfileApiApp } from '../src/app';
import type { DestinationView } from '../src/destinations/destination-view';
import type { OpenApiDocument } from '../src/openapi/types';
import { PROFILE_ROUTES } from '../src/routes';
import { startServer, type RunningServer } from '../src/server';
import { call, useProfileApi, type ErrorBody, type TestTenant } from './harness';

const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1: randomBytes(32) } });
const h = useProfileApi({ keyring });
let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  [t, other] = [await h.tenant(), await h.tenant()];
});

/** A Standard Webhooks signing secret: whsec_ and base64 of 32 bytes. */
const SIGNING_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const webhook = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'webhook',
  settings: { url: 'https://hooks.example.com/stratum' },
  credentials: { secrets: [SIGNING_SECRET] },
  ...extra,
});

interface DestinationList {
  destinations: DestinationView[];
}

type Options = Parameters<typeof call>[2];
const api = <B = DestinationView>(path: string, options: Options = {}) => call<B>(h, path, { key: t.adminKey, ...options });
const create = (body: unknown, key = t.adminKey) => call<DestinationView>(h, '/v1/destinations', { key, method: 'POST', body });
const refusal = (path: string, options: Options = {}) => call<ErrorBody>(h, path, { key: t.adminKey, ...options });
const path = (id: string, action = '') => `/v1/destinations/${encodeURIComponent(id)}${action}`;

describe('round trip', () => {
  let created: DestinationView;

  it('POST creates: 201 with Location, the summary and no credentials', async () => {
    const res = await create(webhook('Orders Hook', { filters: { events: ['Order Completed', 'Order Completed '] }, deliveryPolicy: { maxAttempts: 5, ordering: 'none' } }));
    expect(res.status).toBe(201);
    created = res.body;
    expect(res.body).toEqual({
      tenantId: t.tenantId,
      destinationId: expect.stringMatching(/^dst_[a-z0-9]{16}$/),
      name: 'Orders Hook',
      type: 'webhook',
      enabled: true,
      settings: { url: 'https://hooks.example.com/stratum' },
      filters: { events: ['Order Completed'] },
      deliveryPolicy: { maxAttempts: 5, ordering: 'none' },
      hasCredentials: true,
      credentialsKeyId: 'k1',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      disabledAt: null,
    });
    expect(res.headers.get('location')).toBe(`/v1/destinations/${created.destinationId}`);
    expect(JSON.stringify(res.body)).not.toContain(SIGNING_SECRET);
  });

  it('the answer has exactly the fields the OpenAPI Destination schema requires', async () => {
    const document = (await call<OpenApiDocument>(h, '/openapi.json')).body;
    expect(Object.keys(created).sort()).toEqual([...document.components.schemas['Destination']!.required!].sort());
  });

  it('GET finds it by id, and by name in any case; the list has it', async () => {
    const byId = await api(path(created.destinationId));
    expect(byId).toMatchObject({ status: 200, body: created });
    expect((await api(path('orders hook'))).body).toEqual(created);
    const list = await api<DestinationList>('/v1/destinations');
    expect(list.status).toBe(200);
    expect(list.body.destinations).toEqual([created]);
  });

  it('PATCH changes what it is given and keeps the rest; null policy means defaults', async () => {
    const res = await api(path(created.destinationId), { method: 'PATCH', body: { settings: { url: 'https://hooks.example.com/v2' }, deliveryPolicy: null, filters: {} } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Orders Hook', settings: { url: 'https://hooks.example.com/v2' }, deliveryPolicy: null, filters: {}, hasCredentials: true, credentialsKeyId: 'k1' });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    const renamed = await api(path('ORDERS HOOK'), { method: 'PATCH', body: { name: 'Orders' } });
    expect(renamed.body).toMatchObject({ destinationId: created.destinationId, name: 'Orders' });
    expect((await api(path('Orders Hook'))).status).toBe(404);
  });

  it('PATCH of credentials seals the new ones; removing them is checked by the type (a webhook needs a secret)', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const res = await api(path('orders'), { method: 'PATCH', body: { credentials: { secrets: [secret, SIGNING_SECRET] } } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(secret);
    const stored = await getDestinationWithCredentials(h.db, keyring, t.tenantId, created.destinationId);
    expect(stored.credentials).toEqual({ secrets: [secret, SIGNING_SECRET] });
    const removed = await refusal(path('orders'), { method: 'PATCH', body: { credentials: null } });
    expect(removed.status).toBe(400);
    expect(removed.body).toMatchObject({ code: 'invalid_destination', field: 'credentials.secrets', problems: [expect.stringMatching(/^credentials\.secrets: required/)] });
  });

  it('disable and enable, each idempotent; includeDisabled=false hides disabled ones', async () => {
    const disabled = await api(path('orders', '/disable'), { method: 'POST' });
    expect(disabled.body).toMatchObject({ enabled: false, disabledAt: expect.any(String) });
    const again = await api(path(created.destinationId, '/disable'), { method: 'POST' });
    expect(again).toMatchObject({ status: 200, body: { enabled: false, disabledAt: disabled.body.disabledAt } });
    expect((await api<DestinationList>('/v1/destinations')).body.destinations.map((d) => d.enabled)).toEqual([false]);
    expect((await api<DestinationList>('/v1/destinations?includeDisabled=true')).body.destinations).toHaveLength(1);
    expect((await api<DestinationList>('/v1/destinations?includeDisabled=false')).body.destinations).toEqual([]);
    const enabled = await api(path('orders', '/enable'), { method: 'POST' });
    expect(enabled.body).toMatchObject({ enabled: true, disabledAt: null });
    expect((await api(path('orders', '/enable'), { method: 'POST' })).body).toEqual(enabled.body);
  });

  it('enabled: false creates it disabled', async () => {
    const res = await create(webhook('Paused', { enabled: false }));
    expect(res.body).toMatchObject({ enabled: false, disabledAt: expect.any(String) });
  });
});

describe('credentials at rest', () => {
  it('the table holds a ciphertext under the active key, not the plaintext; it opens only with the keyring', async () => {
    const token = `ghost-${randomBytes(12).toString('hex')}`;
    const res = await create({ name: 'Meta', type: 'meta_capi', settings: { pixelId: '123456789012345' }, credentials: { accessToken: token } });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain(token);
    const row = await withTenant(h.db, t.tenantId, (trx) =>
      trx('destinations').where({ tenant_id: t.tenantId, destination_id: res.body.destinationId }).first<{ credentials_ciphertext: Buffer; credentials_key_id: string; settings: unknown }>(),
    );
    expect(row!.credentials_key_id).toBe('k1');
    expect(Buffer.isBuffer(row!.credentials_ciphertext)).toBe(true);
    expect(row!.credentials_ciphertext.includes(Buffer.from(token))).toBe(false);
    expect(JSON.stringify(row)).not.toContain(token);
    expect((await getDestinationWithCredentials(h.db, keyring, t.tenantId, res.body.destinationId)).credentials).toEqual({ accessToken: token });
  });
});

describe("another tenant's key", () => {
  let mine: DestinationView;
  beforeAll(async () => {
    mine = (await create(webhook('Private Hook'))).body;
  });

  const endpoints = (id: string) => [
    { method: 'GET', path: path(id) },
    { method: 'PATCH', path: path(id), body: { name: 'Hijacked' } },
    { method: 'POST', path: path(id, '/disable') },
    { method: 'POST', path: path(id, '/enable') },
  ];

  it('covers every destination route with an {id}', () => {
    const withId = PROFILE_ROUTES.filter((r) => r.path.startsWith('/v1/destinations/')).map((r) => `${r.method} ${r.path}`);
    expect(new Set(endpoints('{id}').map((e) => `${e.method} ${decodeURIComponent(e.path)}`))).toEqual(new Set(withId));
  });

  it.each(['id', 'name'] as const)('by %s: 404 destination_not_found on every endpoint, the same as an unknown one', async (by) => {
    const ref = by === 'id' ? mine.destinationId : mine.name;
    for (const { method, path: p, body } of endpoints(ref)) {
      const theirs = await call<ErrorBody>(h, p, { key: other.adminKey, method, ...(body ? { body } : {}) });
      const unknown = await call<ErrorBody>(h, p.replace(encodeURIComponent(ref), 'dst_doesnotexist00'), { key: other.adminKey, method, ...(body ? { body } : {}) });
      expect([method, p, theirs.status]).toEqual([method, p, 404]);
      expect(theirs.body).toEqual({ code: 'destination_not_found', message: `destination ${JSON.stringify(ref)} not found`, requestId: expect.any(String) });
      expect(unknown.body.message.replace('dst_doesnotexist00', ref)).toBe(theirs.body.message);
    }
  });

  it('their list does not have it, nothing changed, and they may use the same name', async () => {
    expect((await call<DestinationList>(h, '/v1/destinations', { key: other.adminKey })).body).toEqual({ destinations: [] });
    expect((await api(path(mine.destinationId))).body).toEqual(mine);
    expect((await create(webhook('Private Hook'), other.adminKey)).status).toBe(201);
  });

  it('no key, or a write key, is 401', async () => {
    for (const [method, p] of [['GET', '/v1/destinations'], ['POST', '/v1/destinations'], ['GET', path(mine.destinationId)], ['POST', path(mine.destinationId, '/disable')]] as const) {
      expect((await call(h, p, { method })).status).toBe(401);
      expect((await call(h, p, { method, key: t.writeKey })).status).toBe(401);
    }
  });
});

describe('refusals', () => {
  const refused = async (body: unknown, expected: Record<string, unknown>, status = 400) => {
    const res = await refusal('/v1/destinations', { method: 'POST', body });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject(expected);
    return res.body;
  };

  it('an unknown type: 400 unknown_destination_type', async () => {
    await refused({ name: 'Nope', type: 'myspace' }, { code: 'unknown_destination_type', field: 'type', message: expect.stringContaining('webhook, meta_capi, ga4, tiktok, twilio_sms, pipedrive') });
  });

  it('a secret-looking setting: 400 invalid_destination naming it', async () => {
    const body = await refused(webhook('Leaky', { settings: { url: 'https://x.example.com', apiKey: 'abc' } }), { code: 'invalid_destination', field: 'settings.apiKey' });
    expect(body.reason).toMatch(/^looks like a secret: pass it in credentials/);
  });

  it.each([
    [{ maxAttempts: 0 }, 'deliveryPolicy.maxAttempts', /^must be a whole number from 1 to 100, got 0$/],
    [{ maxAgeSeconds: 10 }, 'deliveryPolicy.maxAgeSeconds', /^must be a whole number from 60 to 604800/],
    [{ ordering: 'fifo' }, 'deliveryPolicy.ordering', /^must be "per_key" or "none"/],
    [{ retries: 3 }, 'deliveryPolicy', /unknown field\(s\) retries/],
  ])('deliveryPolicy %j: 400 invalid_destination at %s', async (deliveryPolicy, field, reason) => {
    await refused(webhook('Policy', { deliveryPolicy }), { code: 'invalid_destination', field, reason: expect.stringMatching(reason) });
  });

  it('the type check lists every problem, the first as field', async () => {
    const body = await refused({ name: 'Bare', type: 'webhook', settings: { url: 'ftp://x' } }, { code: 'invalid_destination', field: 'settings.url' });
    expect(body.problems).toEqual([expect.stringMatching(/^settings\.url: "ftp:\/\/x" is not an http or https URL$/), expect.stringMatching(/^credentials\.secrets: required/)]);
  });

  it.each([
    [{ name: 'dst_sneaky', type: 'webhook' }, 'invalid_destination', 'name'],
    [{ name: '', type: 'webhook' }, 'invalid_destination', 'name'],
    [{ name: 'X', type: 'webhook', filters: { events: ['a'], excludeEvents: ['a'] } }, 'invalid_destination', 'filters'],
    [{ name: 'X', type: 'webhook', filters: { events: [] } }, 'invalid_destination', 'filters.events'],
    [{ name: 'X', type: 'webhook', credentials: {} }, 'invalid_destination', 'credentials'],
    [{ name: 'X', type: 'webhook', delivery_policy: { maxAttempts: 3 } }, 'invalid_body', 'delivery_policy'],
    [{ type: 'webhook' }, 'invalid_body', 'name'],
    [{ name: 'X' }, 'invalid_body', 'type'],
    [{ name: 7, type: 'webhook' }, 'invalid_body', 'name'],
    [{ name: 'X', type: 'webhook', settings: [] }, 'invalid_body', 'settings'],
    [{ name: 'X', type: 'webhook', settings: { url: 'https://x.example.com/\u0000' } }, 'invalid_body', 'settings'],
    [{ name: 'X', type: 'webhook', filters: { events: ['\ud800'] } }, 'invalid_body', 'filters'],
    [{ name: 'X', type: 'webhook', enabled: 'yes' }, 'invalid_body', 'enabled'],
    [['not', 'an', 'object'], 'invalid_body', 'body'],
  ])('%j → %s at %s', async (body, code, field) => {
    await refused(body, { code, field });
  });

  it('a body nested thousands deep is 400, not a crash', async () => {
    // As text: JSON.stringify itself would overflow the stack here.
    const settings = `${'{"a":'.repeat(6000)}{}${'}'.repeat(6000)}`;
    const res = await refusal('/v1/destinations', { method: 'POST', rawBody: `{"name":"Deep","type":"webhook","settings":${settings}}` });
    expect(res).toMatchObject({ status: 400, body: { code: 'invalid_body', field: 'settings', reason: 'nests deeper than 32 levels' } });
  });

  it('credentials of the wrong JSON type are refused without quoting them', async () => {
    const body = await refused({ name: 'X', type: 'webhook', credentials: 'hunter2-secret' }, { code: 'invalid_body', field: 'credentials' });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('a body that is not JSON: the parse error does not quote it (it may hold credentials)', async () => {
    for (const text of ['{"name":"X","credentials": hunter2-secret}', '{"credentials":{"token":"hunter2-secret']) {
      const res = await refusal('/v1/destinations', { method: 'POST', rawBody: text });
      expect(res.body).toMatchObject({ code: 'invalid_json', message: expect.stringMatching(/^the body is not valid JSON \(a syntax error/) });
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
    }
    const patch = await refusal(path('dst_doesnotexist00'), { method: 'PATCH', rawBody: '{"credentials": hunter2}' });
    expect(patch.body.code).toBe('invalid_json');
    expect(JSON.stringify(patch.body)).not.toContain('hunter2');
  });

  it('a name taken, in any case: 409 destination_name_taken, on create and on rename', async () => {
    await create(webhook('Taken'));
    await refused(webhook('TAKEN'), { code: 'destination_name_taken', field: 'name' }, 409);
    const second = (await create(webhook('Second'))).body;
    const rename = await refusal(path(second.destinationId), { method: 'PATCH', body: { name: 'taken' } });
    expect(rename).toMatchObject({ status: 409, body: { code: 'destination_name_taken' } });
  });

  it('PATCH: nothing to change, the type, enabled or an unknown field are 400 invalid_body', async () => {
    await create(webhook('Patchable'));
    for (const [body, field, reason] of [
      [{}, 'body', /^changes nothing/],
      [{ type: 'ga4' }, 'type', /^cannot change/],
      [{ enabled: false }, 'enabled', /enable or \/disable$/],
      [{ nmae: 'x' }, 'nmae', /^is not a field of an update/],
      [{ settings: null }, 'settings', /^must be a JSON object/],
      [{ credentials: 'x' }, 'credentials', /^must be a JSON object, or null to remove them$/],
    ] as const) {
      const res = await refusal(path('patchable'), { method: 'PATCH', body });
      expect([field, res.status, res.body]).toEqual([field, 400, expect.objectContaining({ code: 'invalid_body', field, reason: expect.stringMatching(reason) })]);
    }
  });

  it('an impossible id or name is simply not found; includeDisabled must be true or false', async () => {
    for (const id of ['x'.repeat(64), 'a/b', 'nul\u0000here', 'ümlaut']) {
      expect((await refusal(path(id))).body).toMatchObject({ code: 'destination_not_found' });
      expect((await refusal(path(id), { method: 'PATCH', body: { name: 'Y' } })).status).toBe(404);
    }
    expect((await refusal('/v1/destinations?includeDisabled=yes')).body).toMatchObject({ code: 'invalid_parameter', field: 'includeDisabled' });
    expect((await refusal('/v1/destinations?all=true')).body).toMatchObject({ code: 'invalid_parameter', field: 'all' });
  });

  it('a known path with another method is 405', async () => {
    const res = await refusal(path('patchable', '/disable'));
    expect(res).toMatchObject({ status: 405, body: { code: 'method_not_allowed', allow: ['POST'] } });
  });
});

describe('a service without credential keys', () => {
  const lines: string[] = [];
  let server: RunningServer;
  let url: string;
  let withCredentials: DestinationView;
  beforeAll(async () => {
    withCredentials = (await create(webhook('Sealed Elsewhere'))).body;
    const logger = createLogger({ service: 'no-keys', level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
    const app = createProfileApiApp({ db: h.db, directory: createAdminKeyDirectory(h.db, { ttlMs: 0 }), logger, metrics: createMetricsRegistry({ service: 'no-keys', version: 'test', processMetrics: false }) });
    server = await startServer(app, { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 1000 });
    url = server.url;
  });
  afterAll(() => server?.stop());

  const send = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${url}${p}`, { method, headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as ErrorBody & DestinationView };
  };

  it('credentials given: 503 credentials_unavailable naming STRATUM_CREDENTIALS_KEYS; nothing is created', async () => {
    const res = await send('POST', '/v1/destinations', webhook('Keyless'));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ code: 'credentials_unavailable', message: expect.stringContaining('STRATUM_CREDENTIALS_KEYS'), requestId: expect.any(String) });
    expect((await api(path('keyless'))).status).toBe(404);
  });

  it('changing settings of a destination with credentials needs them too (the check reads them); renaming and disabling do not', async () => {
    const settings = await send('PATCH', path(withCredentials.destinationId), { settings: { url: 'https://elsewhere.example.com' } });
    expect(settings).toMatchObject({ status: 503, body: { code: 'credentials_unavailable' } });
    expect(await send('PATCH', path(withCredentials.destinationId), { name: 'Renamed Keyless' })).toMatchObject({ status: 200, body: { name: 'Renamed Keyless', hasCredentials: true } });
    expect(await send('POST', path(withCredentials.destinationId, '/disable'))).toMatchObject({ status: 200, body: { enabled: false } });
  });

  it('no log line, even at trace, holds a credential', async () => {
    await send('POST', '/v1/destinations', { name: 'Y', type: 'webhook', settings: { url: 'https://x.example.com', password: 'p' }, credentials: { secrets: [SIGNING_SECRET] } });
    await fetch(`${url}/v1/destinations`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, body: `{"credentials":{"secrets":["${SIGNING_SECRET}"]` });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(SIGNING_SECRET);
    expect(lines.join('\n')).toContain('credentials_unavailable');
  });
});

describe('PostgreSQL unreachable', () => {
  let down: Db;
  let server: RunningServer;
  beforeAll(async () => {
    down = createDb(`postgres://postgres@127.0.0.1:${await closedPort()}/nowhere`);
    // The key is known (cached) but the destinations cannot be read or written.
    const directory: AdminKeyDirectory = { tenantForAdminKey: async () => ({ tenantId: t.tenantId, tenantName: 'cached' }) };
    const app = createProfileApiApp({ db: down, directory, logger: silentLogger(), metrics: createMetricsRegistry({ service: 'down', version: 'test', processMetrics: false }), keyring });
    server = await startServer(app, { port: 0, host: '127.0.0.1', logger: silentLogger(), shutdownTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await server?.stop();
    await down?.destroy();
  });

  it('every endpoint answers 503 database_unavailable with Retry-After', async () => {
    for (const [method, p, body] of [
      ['GET', '/v1/destinations', undefined],
      ['POST', '/v1/destinations', webhook('Down')],
      ['GET', path('orders'), undefined],
      ['PATCH', path('orders'), { name: 'Up' }],
      ['POST', path('orders', '/disable'), undefined],
    ] as const) {
      const res = await fetch(`${server.url}${p}`, { method, headers: { authorization: 'Bearer sk_cached', 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const answer = (await res.json()) as ErrorBody;
      expect([method, p, res.status, res.headers.get('retry-after'), answer.code]).toEqual([method, p, 503, '5', 'database_unavailable']);
    }
  });
});
