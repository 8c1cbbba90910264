/**
 * Untrusted bytes at the edge (CONVENTIONS.md: a fuzzer for every parser of untrusted input):
 * whatever arrives — random JSON, event-shaped junk, truncated or fake compression, huge
 * numbers, deep nesting, random bytes — the gateway answers 200 or a 4xx with a JSON error body,
 * never a 5xx, never crashes, and still serves valid requests afterwards.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { ACME_KEY, basicAuth, post, startTestGateway, trackCall, type Answer, type TestGateway } from './test-gateway';

jest.setTimeout(60_000);

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());
afterEach(async () => {
  // Still up, still correct.
  expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  expect((await post(gateway, '/v1/track', trackCall())).status).toBe(200);
});

const ROUTES = ['/v1/track', '/v1/identify', '/v1/page', '/v1/screen', '/v1/group', '/v1/alias', '/v1/batch', '/v1/import'];
const route = fc.constantFrom(...ROUTES);

/** A 200, or a 4xx whose body is a JSON error naming a code. */
function expectHandled(answer: Answer): void {
  if (answer.status === 200) {
    expect(answer.body).toEqual({ success: true });
    return;
  }
  expect([answer.status, typeof answer.body['code'], typeof answer.body['message']]).toEqual([expect.any(Number), 'string', 'string']);
  expect(answer.status >= 400 && answer.status < 500).toBe(true);
}

async function send(path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: basicAuth(ACME_KEY), ...headers }, body });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${path} answered ${response.status} with a non-JSON body: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Values of every JSON type, including the awkward ones (huge/tiny numbers, -0, long strings). */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e308, -1e308, 5e-324, 2 ** 53 + 1, -(2 ** 63), 0, -0, '', 'null', '\u0000', '\ud800'),
  fc.string({ maxLength: 50 }),
);

/** Objects that look like events, with every field sometimes right and sometimes anything. */
const eventLike = fc.record(
  {
    type: fc.oneof(fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias', 'Track', ''), anyValue),
    userId: fc.oneof(fc.string({ maxLength: 20 }), anyValue),
    anonymousId: fc.oneof(fc.uuid(), anyValue),
    messageId: fc.oneof(fc.uuid(), anyValue),
    event: fc.oneof(fc.string({ maxLength: 20 }), anyValue),
    previousId: anyValue,
    groupId: anyValue,
    properties: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 5 }), anyValue),
    context: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 5 }), anyValue),
    timestamp: anyValue,
    sentAt: anyValue,
    tenantId: anyValue,
  },
  { requiredKeys: [] },
);

it('answers random JSON values with 200 or a 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(route, fc.jsonValue(), async (path, value) => expectHandled(await send(path, JSON.stringify(value) ?? 'null'))),
    { numRuns: 150 },
  );
});

it('answers event-shaped junk, single and batched, with 200 or a 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(
      route,
      fc.array(eventLike, { minLength: 0, maxLength: 5 }),
      fc.oneof(fc.constant(undefined), anyValue),
      async (path, events, batchContext) => {
        const body = path === '/v1/batch' || path === '/v1/import' ? { batch: events, ...(batchContext === undefined ? {} : { context: batchContext }) } : (events[0] ?? {});
        expectHandled(await send(path, JSON.stringify(body)));
      },
    ),
    { numRuns: 300 },
  );
});

it('answers huge and precise numbers written as JSON text', async () => {
  const digits = fc.stringMatching(/^-?[1-9][0-9]{0,400}(\.[0-9]{1,50})?([eE][+-]?[0-9]{1,4})?$/);
  await fc.assert(
    fc.asyncProperty(digits, fc.constantFrom('userId', 'messageId', 'timestamp', 'event', 'groupId'), async (number, field) => {
      const body = `{"batch":[{"type":"track","event":"E","anonymousId":"a","${field}":${number},"properties":{"n":${number}}}]}`;
      expectHandled(await send('/v1/batch', body));
    }),
    { numRuns: 150 },
  );
});

it('answers truncated and corrupted compressed bodies with 400 invalid_compression (or 200 when intact)', async () => {
  const valid = Buffer.from(JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'E', properties: { a: 'x'.repeat(200) } }] }));
  const codings = { gzip: gzipSync(valid), deflate: deflateSync(valid) };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('gzip', 'deflate') as fc.Arbitrary<'gzip' | 'deflate'>, fc.nat(), fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }))), async (coding, cut, flip) => {
      const full = codings[coding];
      const body = Buffer.from(full.subarray(0, cut % (full.length + 1)));
      if (flip) body[flip[0] % Math.max(1, body.length)] = flip[1];
      const answer = await send('/v1/batch', body, { 'content-encoding': coding });
      expectHandled(answer);
      if (answer.status !== 200) expect(['invalid_compression', 'invalid_json', 'invalid_body', 'invalid_type', 'missing_identity', 'missing_event_name', 'invalid_field']).toContain(answer.body['code']);
    }),
    { numRuns: 200 },
  );
});

it('answers random bytes with and without a Content-Encoding', async () => {
  const encoding = fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'zstd', 'gzip, gzip', '\u00ff');
  await fc.assert(
    fc.asyncProperty(route, fc.uint8Array({ maxLength: 2048 }), encoding, async (path, bytes, contentEncoding) => {
      const headers: Record<string, string> = contentEncoding === undefined ? {} : { 'content-encoding': contentEncoding };
      let answer: Answer;
      try {
        answer = await send(path, Buffer.from(bytes), headers);
      } catch (err) {
        // fetch itself refuses header values outside latin-1; that is the client, not the gateway.
        if (contentEncoding === '\u00ff' && err instanceof TypeError) return;
        throw err;
      }
      expectHandled(answer);
      expect(answer.status).not.toBe(200);
    }),
    { numRuns: 200 },
  );
});

describe('deep nesting', () => {
  const depth = 100_000;

  it('answers a body of 100k nested arrays with invalid_body', async () => {
    const answer = await send('/v1/track', `${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(answer.status).toBe(400);
    expect(answer.body['code']).toBe('invalid_body');
  });

  it('answers 100k nested arrays inside an event with nesting_too_deep', async () => {
    const answer = await send('/v1/track', `{"userId":"u","event":"E","properties":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
    expect(answer.status).toBe(400);
    expect(answer.body['code']).toBe('nesting_too_deep');
  });

  it('answers 90k nested objects in a batch context with nesting_too_deep naming the field', async () => {
    const nested = `${'{"":'.repeat(90_000)}1${'}'.repeat(90_000)}`;
    const answer = await send('/v1/batch', `{"context":${nested},"batch":[{"type":"track","userId":"u","event":"E"}]}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'nesting_too_deep', field: 'context' });
  });
});
