/**
 * Every way a request is refused, over real HTTP: exact status, headers and JSON body, and that
 * nothing of a refused request reaches the publisher.
 */
import { gzipSync } from 'node:zlib';
import { tenancyErrors } from '@stratum/tenancy';
import { PublishUnavailableError, publishErrors } from '../src/publish';
import { DISABLED_KEY, SLOW_KEY, TIGHT_KEY, TIGHT_LIMITS, post, startTestGateway, trackCall, type TestGateway } from './test-gateway';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.publisher.calls.length = 0;
  gateway.publisher.failWith = undefined;
});

const track = (i: number) => ({ type: 'track', userId: `u-${i}`, event: 'E' });

/** Expects a refusal: status, the body's fields (besides message and requestId), nothing published. */
async function expectRefused(answer: Awaited<ReturnType<typeof post>>, status: number, fields: Record<string, unknown>): Promise<void> {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status,
    body: { ...fields, message: expect.any(String), requestId: answer.headers.get('x-request-id') },
  });
  expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(gateway.publisher.calls).toEqual([]);
}

describe('401: write keys', () => {
  it.each([
    ['an unknown key', 'wk_nobody_has_this_key'],
    ['a disabled source', DISABLED_KEY],
    ['an absurdly long key', `wk_${'x'.repeat(300)}`],
  ])('refuses %s with invalid_write_key and a Basic challenge', async (_what, writeKey) => {
    const answer = await post(gateway, '/v1/track', trackCall(), { writeKey });
    await expectRefused(answer, 401, { code: 'invalid_write_key' });
    expect(answer.headers.get('www-authenticate')).toBe('Basic realm="Stratum"');
    expect(answer.body['message']).not.toContain(writeKey);
  });

  it('refuses an unknown key sent in the body', async () => {
    const answer = await post(gateway, '/v1/batch', { writeKey: 'wk_unknown', batch: [track(1)] }, { writeKey: null });
    await expectRefused(answer, 401, { code: 'invalid_write_key' });
  });

  it('refuses a request with no key at all with missing_write_key', async () => {
    const answer = await post(gateway, '/v1/track', trackCall(), { writeKey: null });
    await expectRefused(answer, 401, { code: 'missing_write_key' });
    expect(answer.headers.get('www-authenticate')).toBe('Basic realm="Stratum"');
  });

  it('treats a Bearer token as no key (Segment OAuth sends the write key in the body)', async () => {
    const answer = await post(gateway, '/v1/track', trackCall(), { writeKey: null, headers: { authorization: 'Bearer abc' } });
    await expectRefused(answer, 401, { code: 'missing_write_key' });
  });

  it('refuses a non-string writeKey in the body', async () => {
    const answer = await post(gateway, '/v1/track', trackCall({ writeKey: 42 }), { writeKey: null });
    await expectRefused(answer, 400, { code: 'invalid_field', field: 'writeKey', expected: 'a string' });
  });
});

describe('503: the directory is down', () => {
  const failing = (err: unknown) => startTestGateway({ directory: { sourceForWriteKey: () => Promise.reject(err), source: () => Promise.reject(err) } });

  it('answers 500, not 401 or 503, when the directory fails for another reason', async () => {
    const broken = await failing(new TypeError('cannot read properties of undefined'));
    try {
      const answer = await post(broken, '/v1/track', trackCall());
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({ code: 'internal_error' });
    } finally {
      await broken.close();
    }
  });

  it('answers directory_unavailable with Retry-After, not 401', async () => {
    const down = await failing(tenancyErrors.error('tenancy_unavailable', 'cannot read tenancy: PostgreSQL is unreachable (connect ECONNREFUSED 10.0.0.5:5432)'));
    try {
      const answer = await post(down, '/v1/track', trackCall());
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ code: 'directory_unavailable', retryAfterSeconds: 5 });
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body['message']).not.toContain('10.0.0.5');
      expect(down.publisher.calls).toEqual([]);
    } finally {
      await down.close();
    }
  });
});

describe('400: bodies', () => {
  it.each([
    ['an empty body', '', { code: 'invalid_json' }],
    ['broken JSON', '{"userId": "u", "event": }', { code: 'invalid_json' }],
    ['truncated JSON', '{"userId": "u"', { code: 'invalid_json', position: 14 }],
  ])('refuses %s with invalid_json', async (_what, body, fields) => {
    await expectRefused(await post(gateway, '/v1/track', body), 400, fields);
  });

  it.each([
    ['an array', '[1,2]', 'an array'],
    ['a string', '"hello"', 'a string'],
    ['null', 'null', 'null'],
    ['a number', '12', 'a number'],
  ])('refuses %s as a body with invalid_body', async (_what, body, described) => {
    const answer = await post(gateway, '/v1/track', body);
    await expectRefused(answer, 400, { code: 'invalid_body' });
    expect(answer.body['message']).toBe(`request body must be a JSON object, got ${described}`);
  });

  it('refuses a batch body without a batch array', async () => {
    await expectRefused(await post(gateway, '/v1/batch', { events: [] }), 400, { code: 'invalid_body', field: 'batch' });
    await expectRefused(await post(gateway, '/v1/batch', { batch: { type: 'track' } }), 400, { code: 'invalid_body', field: 'batch' });
  });

  it('refuses an empty batch', async () => {
    await expectRefused(await post(gateway, '/v1/batch', { batch: [] }), 400, { code: 'empty_batch', field: 'batch' });
  });

  it('refuses batch-level context that is not an object', async () => {
    await expectRefused(await post(gateway, '/v1/batch', { context: 'x', batch: [track(1)] }), 400, { code: 'invalid_field', field: 'context', expected: 'a JSON object' });
  });
});

describe('400: events, naming the first bad one', () => {
  it.each([
    ['a non-object item', [track(0), 'nope'], { code: 'invalid_event', index: 1 }],
    ['a missing type', [track(0), track(1), { userId: 'u', event: 'E' }], { code: 'invalid_type', index: 2, field: 'type' }],
    ['an unknown type', [{ ...track(0), type: 'purchase' }], { code: 'invalid_type', index: 0, field: 'type' }],
    ['no identity', [track(0), { type: 'identify', traits: {} }], { code: 'missing_identity', index: 1, field: 'userId' }],
    ['empty identities', [{ type: 'identify', userId: '', anonymousId: '' }], { code: 'missing_identity', index: 0, field: 'userId' }],
    ['a track without event', [{ type: 'track', userId: 'u' }], { code: 'missing_event_name', index: 0, field: 'event' }],
    ['a track with an empty event', [{ type: 'track', userId: 'u', event: '' }], { code: 'missing_event_name', index: 0, field: 'event' }],
    ['an alias without previousId', [{ type: 'alias', userId: 'u' }], { code: 'missing_previous_id', index: 0, field: 'previousId' }],
    ['a group without groupId', [{ type: 'group', userId: 'u' }], { code: 'missing_group_id', index: 0, field: 'groupId' }],
    ['an object userId', [{ ...track(0), userId: { id: 1 } }], { code: 'invalid_field', index: 0, field: 'userId', expected: 'string or number' }],
    ['a boolean timestamp', [{ ...track(0), timestamp: true }], { code: 'invalid_field', index: 0, field: 'timestamp', expected: 'string or number' }],
    ['an array of properties', [{ ...track(0), properties: [1] }], { code: 'invalid_field', index: 0, field: 'properties', expected: 'object' }],
    ['a string context', [{ ...track(0), context: 'ctx' }], { code: 'invalid_field', index: 0, field: 'context', expected: 'object' }],
    ['an unsafe integer userId', '{"batch":[{"type":"track","event":"E","userId":12345678901234567890}]}', { code: 'invalid_field', index: 0, field: 'userId', expected: 'string' }],
    ['an infinite userId (1e400)', '{"batch":[{"type":"track","event":"E","userId":1e400}]}', { code: 'invalid_field', index: 0, field: 'userId', expected: 'string or number' }],
  ])('refuses %s', async (_what, batch, fields) => {
    const body = typeof batch === 'string' ? batch : { batch };
    await expectRefused(await post(gateway, '/v1/batch', body), 400, fields);
  });

  it('refuses a whole batch for one bad event in the middle', async () => {
    const batch = Array.from({ length: 10 }, (_, i) => track(i));
    batch[6] = { type: 'track', userId: 'u' } as (typeof batch)[number];
    await expectRefused(await post(gateway, '/v1/batch', { batch }), 400, { code: 'missing_event_name', index: 6, field: 'event' });
  });

  it('names the field without an index on single-event routes', async () => {
    await expectRefused(await post(gateway, '/v1/track', { userId: 'u' }), 400, { code: 'missing_event_name', field: 'event' });
    await expectRefused(await post(gateway, '/v1/identify', { traits: {} }), 400, { code: 'missing_identity', field: 'userId' });
  });

  it('refuses a body whose type contradicts the route with type_mismatch', async () => {
    const answer = await post(gateway, '/v1/track', trackCall({ type: 'identify' }));
    await expectRefused(answer, 400, { code: 'type_mismatch', field: 'type' });
    expect(answer.body['message']).toBe('type is "identify" but this endpoint takes track calls');
  });

  it('refuses an event nested too deeply to serialise with nesting_too_deep', async () => {
    const depth = 20_000;
    const body = `{"batch":[{"type":"track","userId":"u","event":"E","properties":{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`;
    await expectRefused(await post(gateway, '/v1/batch', body), 400, { code: 'nesting_too_deep', index: 0 });
  });
});

describe('413: limits of the source', () => {
  it('refuses an event over maxEventBytes with its index, the limit and its size', async () => {
    const big = { type: 'track', userId: 'u', event: 'Big', properties: { blob: 'x'.repeat(1100) } };
    const size = Buffer.byteLength(JSON.stringify(big));
    const answer = await post(gateway, '/v1/batch', { batch: [track(0), big] }, { writeKey: TIGHT_KEY });
    await expectRefused(answer, 413, { code: 'event_too_large', index: 1, limit: TIGHT_LIMITS.maxEventBytes, size });
    expect(answer.body['message']).toBe(`batch[1] is ${size} bytes of JSON; the limit is 1024 bytes per event`);
  });

  it('refuses a single event over the default 32 KB limit', async () => {
    const body = trackCall({ properties: { blob: 'é'.repeat(20_000) } });
    const size = Buffer.byteLength(JSON.stringify(body));
    await expectRefused(await post(gateway, '/v1/track', body), 413, { code: 'event_too_large', limit: 32_768, size });
  });

  it('refuses more events than maxBatchEvents with too_many_events (limit and size are counts)', async () => {
    const answer = await post(gateway, '/v1/batch', { batch: [track(0), track(1), track(2), track(3)] }, { writeKey: TIGHT_KEY });
    await expectRefused(answer, 413, { code: 'too_many_events', field: 'batch', limit: 3, size: 4 });
  });

  it('refuses more events than the rate-limit burst, which could never pass, with too_many_events', async () => {
    const answer = await post(gateway, '/v1/batch', { batch: Array.from({ length: 6 }, (_, i) => track(i)) }, { writeKey: SLOW_KEY });
    await expectRefused(answer, 413, { code: 'too_many_events', field: 'batch', limit: 5, size: 6 });
  });

  it("refuses a body over the source's maxBatchBytes before reading it (Content-Length)", async () => {
    const body = JSON.stringify({ batch: [{ ...track(0), properties: { blob: 'x'.repeat(5000) } }] });
    const answer = await post(gateway, '/v1/batch', body, { writeKey: TIGHT_KEY });
    await expectRefused(answer, 413, { code: 'batch_too_large', limit: 4096, size: Buffer.byteLength(body) });
  });

  it('refuses a body over the global cap', async () => {
    const body = JSON.stringify({ batch: [{ ...track(0), properties: { blob: 'x'.repeat(600_000) } }] });
    await expectRefused(await post(gateway, '/v1/batch', body), 413, { code: 'batch_too_large', limit: 512_000, size: Buffer.byteLength(body) });
  });

  it("checks the source's byte limit after reading when the key is in the body", async () => {
    const body = JSON.stringify({ writeKey: TIGHT_KEY, batch: [{ ...track(0), properties: { blob: 'x'.repeat(5000) } }] });
    await expectRefused(await post(gateway, '/v1/batch', body, { writeKey: null }), 413, { code: 'batch_too_large', limit: 4096, size: Buffer.byteLength(body) });
  });

  it('refuses a body sent without Content-Length once it passes the limit (size is a lower bound)', async () => {
    const chunk = Buffer.from(JSON.stringify({ batch: [track(0)] }).padEnd(1000, ' '));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`${gateway.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${TIGHT_KEY}:`).toString('base64')}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(413);
    expect(body).toMatchObject({ code: 'batch_too_large', limit: 4096, sizeIsLowerBound: true });
    expect(body['size']).toBeGreaterThan(4096);
  });
});

describe('compression errors', () => {
  const json = Buffer.from(JSON.stringify({ batch: [track(0)] }));

  it('refuses an unknown Content-Encoding with 415 before reading the body', async () => {
    const answer = await post(gateway, '/v1/batch', json, { headers: { 'content-encoding': 'compress' } });
    await expectRefused(answer, 415, { code: 'unsupported_encoding', encoding: 'compress' });
  });

  it('refuses a truncated gzip body with invalid_compression', async () => {
    const gz = gzipSync(json);
    const answer = await post(gateway, '/v1/batch', gz.subarray(0, gz.length - 10), { headers: { 'content-encoding': 'gzip' } });
    await expectRefused(answer, 400, { code: 'invalid_compression', encoding: 'gzip' });
    expect(answer.body['message']).toBe('request body is not valid gzip data: unexpected end of file');
  });

  it('refuses bytes that are not gzip at all with invalid_compression', async () => {
    await expectRefused(await post(gateway, '/v1/batch', json, { headers: { 'content-encoding': 'gzip' } }), 400, { code: 'invalid_compression', encoding: 'gzip' });
  });

  it('stops inflating a zip bomb at the limit: 413, never more than the limit in memory', async () => {
    const bomb = gzipSync(Buffer.alloc(50_000_000, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const answer = await post(gateway, '/v1/batch', bomb, { headers: { 'content-encoding': 'gzip' } });
    await expectRefused(answer, 413, { code: 'batch_too_large', limit: 512_000, size: 512_001, sizeIsLowerBound: true });
  });

  it('applies the source limit to the decompressed size', async () => {
    const body = Buffer.from(JSON.stringify({ batch: [{ ...track(0), properties: { blob: 'x'.repeat(8000) } }] }));
    const answer = await post(gateway, '/v1/batch', gzipSync(body), { writeKey: TIGHT_KEY, headers: { 'content-encoding': 'gzip' } });
    await expectRefused(answer, 413, { code: 'batch_too_large', limit: 4096, sizeIsLowerBound: true, size: 4097 });
  });
});

describe('429: rate limit per write key', () => {
  it('refuses with Retry-After once the bucket is empty, counting events not requests', async () => {
    const five = { batch: Array.from({ length: 5 }, (_, i) => track(i)) };
    expect((await post(gateway, '/v1/batch', five, { writeKey: SLOW_KEY })).status).toBe(200);
    gateway.publisher.calls.length = 0;
    const answer = await post(gateway, '/v1/batch', { batch: [track(9), track(10)] }, { writeKey: SLOW_KEY });
    expect(answer.status).toBe(429);
    expect(answer.body).toMatchObject({ code: 'rate_limited', limit: 1, requestId: answer.headers.get('x-request-id') });
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 2).toBe(true);
    expect(answer.body['retryAfterSeconds']).toBeGreaterThan(0);
    expect(gateway.publisher.calls).toEqual([]);
  });

  it('lets requests through when the limiter itself fails (and counts it)', async () => {
    const failing = await startTestGateway({ rateLimiter: { take: () => Promise.reject(new Error('redis down')), close: async () => {} } });
    try {
      expect((await post(failing, '/v1/batch', { batch: [track(0)] }, { writeKey: SLOW_KEY })).status).toBe(200);
      expect(await failing.registry.metrics()).toContain('stratum_gateway_rate_limiter_errors_total 1');
    } finally {
      await failing.close();
    }
  });
});

describe('503/500: publishing fails', () => {
  it('answers kafka_unavailable with Retry-After when the publisher says Kafka is unavailable', async () => {
    gateway.publisher.failWith = new PublishUnavailableError('kafka_unavailable', 'Kafka at broker-1:9092 did not answer', { retryAfterSeconds: 2 });
    const answer = await post(gateway, '/v1/batch', { batch: [track(0)] });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      code: 'kafka_unavailable',
      message: 'Kafka did not acknowledge the events in time; nothing was accepted, retry in 2 s with the same messageIds',
      retryAfterSeconds: 2,
      requestId: answer.headers.get('x-request-id'),
    });
    expect(answer.headers.get('retry-after')).toBe('2');
  });

  it.each([
    ['registry_unavailable', 'the schema registry is unavailable'],
    ['publisher_closed', 'this gateway instance is shutting down'],
  ] as const)('answers 503 kafka_unavailable for %s too', async (code, reason) => {
    gateway.publisher.failWith = new PublishUnavailableError(code, 'x', { retryAfterSeconds: 3 });
    const answer = await post(gateway, '/v1/track', trackCall());
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ code: 'kafka_unavailable', retryAfterSeconds: 3 });
    expect(answer.body['message']).toContain(reason);
    expect(answer.headers.get('retry-after')).toBe('3');
  });

  it('answers 500 internal_error for a publish failure a retry will not fix, never 200', async () => {
    gateway.publisher.failWith = publishErrors.error('publish_failed', 'record too large');
    const answer = await post(gateway, '/v1/track', trackCall());
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: 'internal_error' });
  });
});

describe('404 and 405', () => {
  it('answers an unknown path with not_found', async () => {
    const answer = await post(gateway, '/v2/track', trackCall());
    await expectRefused(answer, 404, { code: 'not_found' });
  });

  it('answers a known path with the wrong method with method_not_allowed and Allow', async () => {
    const response = await fetch(`${gateway.url}/v1/track`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ code: 'method_not_allowed', allow: ['POST'] });
    const del = await fetch(`${gateway.url}/healthz`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
  });
});
