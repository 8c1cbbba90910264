/**
 * GET /v1/profiles/{id} and GET /v1/profiles?identifier=…: the profile's shape, the merged-id
 * answer, and look-ups hashed server-side exactly as ingest hashes (` Ann@X.com ` finds the
 * identifier stored under sha256('ann@x.com')).
 */
import { call, seedConsents, seedIdentifiers, seedProfiles, sha, useProfileApi, type ProfileAnswer, type ProfileList, type TestTenant } from './harness';

const h = useProfileApi();
let t: TestTenant;

beforeAll(async () => {
  t = await h.tenant();
  await seedProfiles(h.db, t.tenantId, [
    { id: 'prf_ann', traits: { name: 'Ann', plan: 'pro' }, firstSeenAt: '2026-11-01T08:00:00Z', lastSeenAt: '2026-11-20T09:30:00.250Z', version: 7 },
    { id: 'prf_old', mergedInto: 'prf_ann' },
    { id: 'prf_older', mergedInto: 'prf_ann' },
    { id: 'prf_dnc', doNotContact: true },
  ]);
  await seedIdentifiers(h.db, t.tenantId, [
    { type: 'user_id', canonical: 'user-ann', profileId: 'prf_ann', firstSeenAt: '2026-11-01T08:00:00Z' },
    { type: 'email', canonical: 'ann@x.com', profileId: 'prf_ann', firstSeenAt: '2026-11-02T08:00:00Z' },
    { type: 'phone', canonical: '+14155550132', profileId: 'prf_ann', firstSeenAt: '2026-11-03T08:00:00Z' },
    { type: 'anonymous_id', canonical: 'anon-1', profileId: 'prf_ann', firstSeenAt: '2026-11-04T08:00:00Z' },
    { type: 'external_id', namespace: 'salesforce', canonical: '0031x00000AbCdE', profileId: 'prf_ann', firstSeenAt: '2026-11-05T08:00:00Z' },
    { type: 'device_id', namespace: 'ios_idfa', canonical: 'IDFA-1', profileId: 'prf_ann', firstSeenAt: '2026-11-06T08:00:00Z' },
  ]);
  await seedConsents(h.db, t.tenantId, [
    { profileId: 'prf_ann', purpose: 'marketing', status: 'granted', effectiveAt: '2026-11-02T00:00:00Z' },
    { profileId: 'prf_ann', purpose: 'marketing', status: 'withdrawn', effectiveAt: '2026-11-10T00:00:00Z' },
    { profileId: 'prf_ann', purpose: 'sms', status: 'granted', effectiveAt: '2026-11-03T00:00:00Z', source: 'sms_keyword' },
  ]);
});

const annIdentifiers = [
  { type: 'user_id', namespace: null, value: 'user-ann', valueHash: sha('user-ann'), firstSeenAt: '2026-11-01T08:00:00.000Z' },
  { type: 'email', namespace: null, value: null, valueHash: sha('ann@x.com'), firstSeenAt: '2026-11-02T08:00:00.000Z' },
  { type: 'phone', namespace: null, value: null, valueHash: sha('+14155550132'), firstSeenAt: '2026-11-03T08:00:00.000Z' },
  { type: 'anonymous_id', namespace: null, value: 'anon-1', valueHash: sha('anon-1'), firstSeenAt: '2026-11-04T08:00:00.000Z' },
  { type: 'external_id', namespace: 'salesforce', value: '0031x00000AbCdE', valueHash: sha('0031x00000AbCdE'), firstSeenAt: '2026-11-05T08:00:00.000Z' },
  { type: 'device_id', namespace: 'ios_idfa', value: 'IDFA-1', valueHash: sha('IDFA-1'), firstSeenAt: '2026-11-06T08:00:00.000Z' },
];

const annProfile = {
  id: 'prf_ann',
  status: 'active',
  traits: { name: 'Ann', plan: 'pro' },
  identifiers: annIdentifiers,
  identifiersTruncated: false,
  consents: [
    { purpose: 'marketing', status: 'withdrawn', granted: false, effectiveAt: '2026-11-10T00:00:00.000Z', recordedAt: expect.any(String), source: 'event' },
    { purpose: 'sms', status: 'granted', granted: true, effectiveAt: '2026-11-03T00:00:00.000Z', recordedAt: expect.any(String), source: 'sms_keyword' },
  ],
  doNotContact: false,
  version: 7,
  firstSeenAt: '2026-11-01T08:00:00.000Z',
  lastSeenAt: '2026-11-20T09:30:00.250Z',
  mergedProfileIds: ['prf_old', 'prf_older'],
  mergedProfileIdsTruncated: false,
};

describe('GET /v1/profiles/{id}', () => {
  it('answers traits, identifiers (email and phone only hashed), current consents and the merged ids', async () => {
    const res = await call<ProfileAnswer>(h, '/v1/profiles/prf_ann', { key: t.adminKey, headers: { 'x-request-id': 'req-1' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...annProfile, requestedId: 'prf_ann', mergedInto: null });
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-location')).toBe('/v1/profiles/prf_ann');
  });

  it('answers a merged-away id with the survivor, naming both', async () => {
    const res = await call<ProfileAnswer>(h, '/v1/profiles/prf_old', { key: t.adminKey });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...annProfile, requestedId: 'prf_old', mergedInto: 'prf_ann' });
    expect(res.headers.get('content-location')).toBe('/v1/profiles/prf_ann');
  });

  it('shows doNotContact and a profile without identifiers or consents', async () => {
    const res = await call<ProfileAnswer>(h, '/v1/profiles/prf_dnc', { key: t.adminKey });
    expect(res.body).toMatchObject({ id: 'prf_dnc', doNotContact: true, identifiers: [], consents: [], mergedProfileIds: [], mergedInto: null });
  });

  it('takes Basic auth with the key as user name (Segment-style)', async () => {
    const res = await call<ProfileAnswer>(h, '/v1/profiles/prf_ann', { headers: { authorization: `Basic ${Buffer.from(`${t.adminKey}:`).toString('base64')}` } });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('prf_ann');
  });

  it('refuses query parameters it does not take', async () => {
    const res = await call(h, '/v1/profiles/prf_ann?fields=traits', { key: t.adminKey });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_parameter', field: 'fields' });
  });
});

describe('GET /v1/profiles?identifier=', () => {
  const find = (identifier: string) => call<ProfileList>(h, `/v1/profiles?identifier=${identifier}`, { key: t.adminKey });

  it.each([
    ['email, trimmed and lower-cased before hashing', `email:${encodeURIComponent(' Ann@X.com ')}`],
    ['phone, any formatting, + as written', 'phone:+1%20(415)%20555-0132'],
    ['phone, + percent-encoded', 'phone:%2B14155550132'],
    ['user_id, as given', 'user_id:user-ann'],
    ['anonymous_id', 'anonymous_id:anon-1'],
    ['external_id with its namespace', 'external_id:salesforce:0031x00000AbCdE'],
    ['device_id with its namespace', 'device_id:ios_idfa:IDFA-1'],
  ])('%s', async (_what, identifier) => {
    const res = await find(identifier);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ profiles: [annProfile] });
  });

  it('finds nothing for an identifier nobody holds, or one held in another namespace', async () => {
    expect((await find('email:nobody@x.com')).body).toEqual({ profiles: [] });
    expect((await find('user_id:USER-ANN')).body).toEqual({ profiles: [] }); // ids are as given: case matters
    expect((await find('external_id:hubspot:0031x00000AbCdE')).body).toEqual({ profiles: [] });
  });

  it.each([
    ['', 'is required'],
    ['email', 'is not <type>:<value>'],
    ['mail:ann@x.com', 'is not one of'],
    ['email:ann-at-x.com', 'is not an email address'],
    ['phone:4155550132', 'must start with + and the country code'],
    ['user_id:undefined', 'placeholder'],
    ['external_id:0031x00000AbCdE', 'needs a namespace'],
  ])('refuses identifier=%j with 400 invalid_identifier (%s)', async (identifier, reason) => {
    const res = await find(identifier);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_identifier', field: 'identifier' });
    expect(res.body).toHaveProperty('reason', expect.stringContaining(reason) as unknown);
  });

  it('refuses a missing identifier parameter and unknown ones', async () => {
    expect((await call(h, '/v1/profiles', { key: t.adminKey })).body).toMatchObject({ code: 'invalid_identifier', field: 'identifier' });
    expect((await call(h, '/v1/profiles?email=ann@x.com', { key: t.adminKey })).body).toMatchObject({ code: 'invalid_parameter', field: 'email' });
    expect((await call(h, '/v1/profiles?identifier=email:a@x.com&identifier=email:b@x.com', { key: t.adminKey })).body).toMatchObject({ code: 'invalid_parameter', reason: 'is given more than once' });
  });
});
