import { ApiError } from '../http/errors';
import { parseConsentBody } from './consent-body';

const NOW = Date.parse('2026-11-24T12:00:00Z');

it('takes purpose and status, with an optional effectiveAt (normalised to UTC) and evidence', () => {
  expect(
    parseConsentBody(
      {
        consents: [
          { purpose: 'marketing', status: 'granted' },
          { purpose: 'sms', status: 'withdrawn', effectiveAt: '2026-11-24T13:00:00+02:00', evidence: { form: 'signup-v2' } },
        ],
      },
      NOW,
    ),
  ).toEqual([
    { purpose: 'marketing', status: 'granted', effectiveAt: null, evidence: null },
    { purpose: 'sms', status: 'withdrawn', effectiveAt: '2026-11-24T11:00:00.000Z', evidence: { form: 'signup-v2' } },
  ]);
});

it.each([
  [null, 'body', 'must be a JSON object'],
  [[], 'body', 'must be a JSON object'],
  [{}, 'consents', 'must be a non-empty array'],
  [{ consents: [] }, 'consents', 'must be a non-empty array'],
  [{ consents: [], extra: 1 }, 'extra', 'is not a field of the body'],
  [{ consents: Array.from({ length: 101 }, () => ({ purpose: 'a', status: 'granted' })) }, 'consents', 'at most 100'],
  [{ consents: ['marketing'] }, 'consents[0]', 'must be an object'],
  [{ consents: [{ purpose: 'Marketing', status: 'granted' }] }, 'consents[0].purpose', 'lower-case'],
  [{ consents: [{ status: 'granted' }] }, 'consents[0].purpose', 'lower-case'],
  [{ consents: [{ purpose: 'marketing', status: 'yes' }] }, 'consents[0].status', 'must be one of granted, denied, withdrawn'],
  [{ consents: [{ purpose: 'marketing', status: 'granted', effective_at: '2026-11-24T10:00:00Z' }] }, 'consents[0].effective_at', 'is not a field of a consent'],
  [{ consents: [{ purpose: 'marketing', status: 'granted', effectiveAt: '2026-11-24 10:00' }] }, 'consents[0].effectiveAt', 'ISO-8601'],
  [{ consents: [{ purpose: 'marketing', status: 'granted', effectiveAt: '2026-11-24T10:00:00' }] }, 'consents[0].effectiveAt', 'with an offset'],
  [{ consents: [{ purpose: 'marketing', status: 'granted', effectiveAt: '2026-02-30T10:00:00Z' }] }, 'consents[0].effectiveAt', 'ISO-8601'],
  [{ consents: [{ purpose: 'marketing', status: 'granted', effectiveAt: '2026-11-24T12:10:00Z' }] }, 'consents[0].effectiveAt', 'is in the future'],
  [{ consents: [{ purpose: 'marketing', status: 'granted', evidence: 'signed' }] }, 'consents[0].evidence', 'must be a JSON object'],
  [{ consents: [{ purpose: 'marketing', status: 'granted', evidence: { blob: 'x'.repeat(9000) } }] }, 'consents[0].evidence', 'over 8192 bytes'],
  [{ consents: [{ purpose: 'marketing', status: 'granted', evidence: { ip: 'a\u0000b' } }] }, 'consents[0].evidence', 'NUL'],
  [{ consents: [{ purpose: 'marketing', status: 'granted', evidence: { ['\ud800']: 1 } }] }, 'consents[0].evidence', 'surrogate'],
  [{ consents: [{ purpose: 'sms', status: 'granted' }, { purpose: 'sms', status: 'denied' }] }, 'consents[1]', 'same effectiveAt as consents[0]'],
])('refuses %j at %s', (body, field, reason) => {
  const result = parseConsentBody(body, NOW);
  expect(result).toBeInstanceOf(ApiError);
  expect(result).toMatchObject({ code: 'invalid_body', details: { field } });
  expect((result as ApiError).details.reason).toContain(reason);
});

it('refuses evidence nested deeper than 32 levels, without overflowing the stack', () => {
  const deep: unknown = JSON.parse('['.repeat(30_000) + ']'.repeat(30_000));
  const result = parseConsentBody({ consents: [{ purpose: 'marketing', status: 'granted', evidence: { deep } }] }, NOW);
  expect(result).toMatchObject({ code: 'invalid_body', details: { field: 'consents[0].evidence', reason: 'nests deeper than 32 levels' } });
});
