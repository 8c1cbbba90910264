import { netErrors } from '../net/errors';
import { classifyHttpStatus, classifyNetworkError } from './classify-http';
import { DELIVERY_ERROR_CODES } from './delivery-codes';
import { NOW } from './resolved-event.fixture';

const ctx = { now: NOW };
const answer = (status: number, headers: Record<string, string> = {}, body = '') => classifyHttpStatus({ status, headers, body }, ctx);

it.each([
  [200, 'delivered', null],
  [204, 'delivered', null],
  [301, 'failed', 'redirect_not_followed'],
  [400, 'invalid', 'invalid_payload'],
  [401, 'failed', 'auth_failed'],
  [403, 'failed', 'permission_denied'],
  [404, 'failed', 'not_found'],
  [408, 'retry', 'http_408'],
  [409, 'failed', 'http_4xx'],
  [410, 'failed', 'endpoint_gone'],
  [413, 'invalid', 'payload_too_large'],
  [422, 'invalid', 'invalid_payload'],
  [429, 'retry', 'http_429'],
  [500, 'retry', 'http_5xx'],
  [502, 'retry', 'http_5xx'],
  [503, 'retry', 'http_5xx'],
])('HTTP %d is %s (%s)', (status, outcome, code) => {
  const c = answer(status);
  expect(c.outcome).toBe(outcome);
  expect(c.error?.code ?? null).toBe(code);
  expect(c.error?.retryable ?? false).toBe(outcome === 'retry');
  if (c.error !== null) expect(c.error.httpStatus).toBe(status);
});

it('honours Retry-After in both forms, whatever the header case', () => {
  expect(answer(429, { 'Retry-After': '30' }).error?.retryAfterMs).toBe(30_000);
  expect(answer(503, { 'retry-after': 'Tue, 24 Nov 2026 09:32:00 GMT' }).error?.retryAfterMs).toBe(120_000);
  expect(answer(429).error?.retryAfterMs).toBeNull();
  // A permanent failure carries no retry delay even when the server sent one.
  expect(answer(401, { 'retry-after': '30' }).error?.retryAfterMs).toBeNull();
});

it("keeps the platform's reason, or an excerpt of the body, in the message", () => {
  expect(answer(400, {}, '{"error":"bad   field\n x"}').error?.message).toBe('HTTP 400: {"error":"bad field x"}');
  expect(answer(500, {}, 'x'.repeat(500)).error?.message.length).toBeLessThan(230);
  expect(classifyHttpStatus({ status: 422, headers: {}, body: '{}' }, ctx, { reason: 'name is required' }).error?.message).toBe('HTTP 422: name is required');
});

it('asks to resend one by one only when a batch of several was refused for its data', () => {
  expect(classifyHttpStatus({ status: 400, headers: {}, body: '' }, ctx, { batchOfSeveral: true }).retryIndividually).toBe(true);
  expect(classifyHttpStatus({ status: 400, headers: {}, body: '' }, ctx).retryIndividually).toBe(false);
  expect(classifyHttpStatus({ status: 500, headers: {}, body: '' }, ctx, { batchOfSeveral: true }).retryIndividually).toBe(false);
});

describe('errors the HTTP client throws', () => {
  const sys = (code: string) => Object.assign(new Error(`${code} 203.0.113.9:443`), { code });
  // What Node's fetch throws: TypeError('fetch failed') with the socket error as cause.
  const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

  it.each([
    [fetchFailed(sys('ECONNREFUSED')), 'connection_refused'],
    [fetchFailed(sys('ECONNRESET')), 'connection_reset'],
    [fetchFailed(Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT', name: 'ConnectTimeoutError' })), 'timeout'],
    [fetchFailed(sys('UND_ERR_HEADERS_TIMEOUT')), 'timeout'],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout'],
    [new DOMException('This operation was aborted', 'AbortError'), 'timeout'],
    [fetchFailed(sys('ENOTFOUND')), 'dns_failed'],
    [fetchFailed(sys('CERT_HAS_EXPIRED')), 'tls_failed'],
    [fetchFailed(sys('ERR_TLS_CERT_ALTNAME_INVALID')), 'tls_failed'],
    [fetchFailed(sys('EHOSTUNREACH')), 'network_error'],
    ['a string', 'network_error'],
  ])('%s is %s, retryable', (error, code) => {
    const c = classifyNetworkError(error);
    expect([c.outcome, c.error?.code, c.error?.retryable, c.error?.httpStatus]).toEqual(['retry', code, true, null]);
  });

  it('a target the SSRF guard refused is a broken destination, not a blip', () => {
    const c = classifyNetworkError(netErrors.error('ssrf_blocked', 'host resolves to 10.0.0.1'));
    expect([c.outcome, c.error?.code, c.error?.retryable]).toEqual(['failed', 'target_blocked', false]);
    expect(classifyNetworkError(netErrors.error('dns_lookup_failed', 'SERVFAIL')).error?.code).toBe('dns_failed');
  });
});

it('every code has a description and an outcome that decides retryable', () => {
  for (const [code, spec] of Object.entries(DELIVERY_ERROR_CODES)) {
    expect(code).toMatch(/^[a-z0-9_]+$/);
    expect(spec.description.length).toBeGreaterThan(10);
  }
});
