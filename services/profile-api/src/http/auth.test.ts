import { tenancyErrors, type AdminKeyDirectory } from '@stratum/tenancy';
import { adminKeyFromAuthorization, authenticate } from './auth';
import { ApiError } from './errors';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

it.each([
  ['Bearer sk_abc', 'sk_abc'],
  ['bearer   sk_abc  ', 'sk_abc'],
  [basic('sk_abc:'), 'sk_abc'],
  [basic('sk_abc'), 'sk_abc'],
  [basic('sk_abc:ignored'), 'sk_abc'],
])('reads the key from %j', (header, key) => {
  expect(adminKeyFromAuthorization(header)).toBe(key);
});

it.each([undefined, '', 'Bearer', 'Bearer ', basic(':sk_abc'), 'Token sk_abc', 'sk_abc'])('finds no key in %j', (header) => {
  expect(adminKeyFromAuthorization(header)).toBeNull();
});

const directory = (answer: () => Promise<{ tenantId: string; tenantName: string } | null>): AdminKeyDirectory => ({ tenantForAdminKey: answer });

it('answers the tenant, 401 unauthorized, or 503 when PostgreSQL cannot answer', async () => {
  const ok = await authenticate(directory(async () => ({ tenantId: 'ten_1', tenantName: 'acme' })), 'Bearer sk_1');
  expect(ok).toEqual({ tenantId: 'ten_1', tenantName: 'acme' });
  const missing = await authenticate(directory(async () => null), undefined);
  expect(missing).toMatchObject({ code: 'unauthorized' });
  const unknown = await authenticate(directory(async () => null), 'Bearer sk_nope_12345');
  expect(unknown).toMatchObject({ code: 'unauthorized', message: 'admin key sk_nope… is unknown, expired or revoked' });
  const down = await authenticate(directory(() => Promise.reject(tenancyErrors.error('tenancy_unavailable', 'down'))), 'Bearer sk_1');
  expect(down).toBeInstanceOf(ApiError);
  expect(down).toMatchObject({ code: 'database_unavailable', details: { retryAfterSeconds: 5 } });
  const bug = await authenticate(directory(() => Promise.reject(new TypeError('bug'))), 'Bearer sk_1');
  expect(bug).toMatchObject({ code: 'internal_error' });
});
