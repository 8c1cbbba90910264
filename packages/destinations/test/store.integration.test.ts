/** The destination store against PostgreSQL: create, list, read with credentials, update, disable/enable, and the errors. */
import {
  createDestination,
  credentialErrors,
  destinationErrors,
  disableDestination,
  enableDestination,
  getDestinationWithCredentials,
  listDestinations,
  updateDestination,
  type SettingsValidator,
} from '../src';
import { keyring, rejection, useStoreDatabase } from './fixtures';

const store = useStoreDatabase();
const k1 = keyring('k1');
const SECRET = 'EAAB-pixel-token-that-must-never-be-stored-in-clear';

test('create returns the destination without its credentials; get decrypts them for delivery', async () => {
  const { db, tenant } = store.current();
  const tenantId = await tenant();
  const created = await createDestination(db, k1, tenantId, {
    name: 'Meta CAPI',
    type: 'meta_capi',
    settings: { pixelId: '1234567890' },
    filters: { events: ['Order Completed'], consentPurpose: 'advertising' },
    credentials: { accessToken: SECRET },
    deliveryPolicy: { maxAttempts: 5, maxAgeSeconds: 14_400 },
  });
  expect(created).toEqual({
    tenantId,
    destinationId: expect.stringMatching(/^dst_[a-z0-9]{16}$/),
    name: 'Meta CAPI',
    type: 'meta_capi',
    enabled: true,
    settings: { pixelId: '1234567890' },
    filters: { events: ['Order Completed'], consentPurpose: 'advertising' },
    deliveryPolicy: { maxAttempts: 5, maxAgeSeconds: 14_400 },
    hasCredentials: true,
    credentialsKeyId: 'k1',
    createdAt: expect.stringMatching(/Z$/),
    updatedAt: created.createdAt,
    disabledAt: null,
  });
  expect(JSON.stringify(created)).not.toContain(SECRET);

  const full = await getDestinationWithCredentials(db, k1, tenantId, created.destinationId);
  expect(full).toEqual({ ...created, credentials: { accessToken: SECRET } });
});

test('the credentials column holds no plaintext: the raw bytes of the whole row do not contain the secret', async () => {
  const { db, tenant, asApp } = store.current();
  const tenantId = await tenant();
  const { destinationId } = await createDestination(db, k1, tenantId, { name: 'tiktok', type: 'tiktok', settings: { pixelCode: 'C1' }, credentials: { accessToken: SECRET } });
  const row = await asApp(tenantId, (trx) => trx('destinations').where({ destination_id: destinationId }).first<{ credentials_ciphertext: Buffer; credentials_key_id: string }>());
  expect(row!.credentials_key_id).toBe('k1');
  expect(row!.credentials_ciphertext.includes(Buffer.from(SECRET))).toBe(false);
  expect(row!.credentials_ciphertext.includes(Buffer.from('accessToken'))).toBe(false);
  // Every column as PostgreSQL renders the row, bytea included.
  const { rows } = await asApp(tenantId, (trx) => trx.raw<{ rows: Array<{ text: string }> }>('SELECT d::text AS text FROM destinations d WHERE destination_id = ?', [destinationId]));
  expect(rows[0]!.text).toContain('pixelCode');
  expect(rows[0]!.text).not.toContain(SECRET);
  expect(rows[0]!.text).not.toContain(Buffer.from(SECRET).toString('hex'));
});

test('list: by name, enabled only unless asked; never credentials', async () => {
  const { db, tenant } = store.current();
  const tenantId = await tenant();
  await createDestination(db, k1, tenantId, { name: 'zapier hook', type: 'webhook', settings: { url: 'https://example.com/hook' } });
  await createDestination(db, k1, tenantId, { name: 'GA4', type: 'ga4', credentials: { apiSecret: SECRET }, enabled: false });
  await createDestination(db, k1, tenantId, { name: 'sms', type: 'twilio_sms', credentials: { authToken: SECRET } });
  expect((await listDestinations(db, tenantId)).map((d) => d.name)).toEqual(['sms', 'zapier hook']);
  const all = await listDestinations(db, tenantId, { includeDisabled: true });
  expect(all.map((d) => [d.name, d.enabled, d.hasCredentials, d.credentialsKeyId, d.disabledAt === null])).toEqual([
    ['GA4', false, true, 'k1', false],
    ['sms', true, true, 'k1', true],
    ['zapier hook', true, false, null, true],
  ]);
  expect(JSON.stringify(all)).not.toContain(SECRET);
  expect(all.every((d) => !('credentials' in d))).toBe(true);
});

test('a name is unique per tenant in any case: destination_name_taken; another tenant may use it', async () => {
  const { db, tenant } = store.current();
  const [a, b] = [await tenant(), await tenant()];
  await createDestination(db, k1, a, { name: 'Pipedrive', type: 'pipedrive' });
  const err = await rejection(createDestination(db, k1, a, { name: 'PIPEDRIVE', type: 'webhook' }));
  expect(destinationErrors.is(err, 'destination_name_taken')).toBe(true);
  expect((err as Error).message).toBe(`tenant ${a} already has a destination named "PIPEDRIVE"`);
  await expect(createDestination(db, k1, b, { name: 'pipedrive', type: 'pipedrive' })).resolves.toMatchObject({ tenantId: b });

  await createDestination(db, k1, a, { name: 'other', type: 'webhook' });
  expect(destinationErrors.is(await rejection(updateDestination(db, k1, a, 'other', { name: 'pipedrive' })), 'destination_name_taken')).toBe(true);
});

test('bad input is refused with its own code before anything is written', async () => {
  const { db, tenant } = store.current();
  const tenantId = await tenant();
  const cases = [
    [{ name: 'a', type: 'segment' }, 'unknown_destination_type'],
    [{ name: '', type: 'webhook' }, 'invalid_destination_name'],
    [{ name: 'b', type: 'webhook', filters: { events: [] } }, 'invalid_filters'],
    [{ name: 'c', type: 'webhook', filters: { events: ['a'], excludeEvents: ['a'] } }, 'invalid_filters'],
    [{ name: 'd', type: 'webhook', settings: { signingSecret: 'x' } }, 'invalid_settings'],
    [{ name: 'e', type: 'webhook', credentials: {} }, 'invalid_credentials'],
    [{ name: 'f', type: 'webhook', deliveryPolicy: { maxAttempts: 1000 } }, 'invalid_delivery_policy'],
  ] as const;
  for (const [input, code] of cases) {
    const err = await rejection(createDestination(db, k1, tenantId, input as never));
    expect([input.name, destinationErrors.is(err, code)]).toEqual([input.name, true]);
  }
  expect(await listDestinations(db, tenantId, { includeDisabled: true })).toEqual([]);
  expect(destinationErrors.is(await rejection(createDestination(db, k1, 'ten_nobody', { name: 'x', type: 'webhook' })), 'tenant_not_found')).toBe(true);
});

test('without keys: a destination without credentials can be made; with credentials, credential_keys_missing says how to configure', async () => {
  const { db, tenant } = store.current();
  const tenantId = await tenant();
  await expect(createDestination(db, null, tenantId, { name: 'hook', type: 'webhook' })).resolves.toMatchObject({ hasCredentials: false });
  const err = await rejection(createDestination(db, null, tenantId, { name: 'meta', type: 'meta_capi', credentials: { accessToken: SECRET } }));
  expect(credentialErrors.is(err, 'credential_keys_missing')).toBe(true);
  expect((err as Error).message).toMatch(/STRATUM_CREDENTIALS_KEYS/);
});

test('disable and enable by id or name: idempotent, disabled_at kept from the first disable', async () => {
  const { db, tenant } = store.current();
  const tenantId = await tenant();
  const { destinationId } = await createDestination(db, k1, tenantId, { name: 'Hook', type: 'webhook' });
  const disabled = await disableDestination(db, tenantId, 'hook');
  expect(disabled).toMatchObject({ destinationId, enabled: false, disabledAt: expect.any(String) });
  expect(await disableDestination(db, tenantId, destinationId)).toEqual(disabled);
  expect(await listDestinations(db, tenantId)).toEqual([]);
  const enabled = await enableDestination(db, tenantId, destinationId);
  expect(enabled).toMatchObject({ enabled: true, disabledAt: null });
  const err = await rejection(disableDestination(db, tenantId, 'nothing'));
  expect(destinationErrors.is(err, 'destination_not_found')).toBe(true);
  expect((err as Error).message).toBe(`tenant ${tenantId} has no destination with id or name "nothing"`);
});

test('update: settings and filters replaced, credentials replaced or removed, policy cleared', async () => {
  const { db, tenant } = store.current();
  const tenantId = await tenant();
  const created = await createDestination(db, k1, tenantId, { name: 'ga', type: 'ga4', settings: { measurementId: 'G-1' }, credentials: { apiSecret: 'one' }, deliveryPolicy: { maxAttempts: 3 } });
  const updated = await updateDestination(db, k1, tenantId, 'ga', { settings: { measurementId: 'G-2' }, filters: { excludeEvents: ['page'] }, credentials: { apiSecret: 'two' }, deliveryPolicy: null });
  expect(updated).toMatchObject({ settings: { measurementId: 'G-2' }, filters: { excludeEvents: ['page'] }, deliveryPolicy: null, hasCredentials: true });
  expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
  expect((await getDestinationWithCredentials(db, k1, tenantId, created.destinationId)).credentials).toEqual({ apiSecret: 'two' });
  const removed = await updateDestination(db, null, tenantId, created.destinationId, { credentials: null });
  expect(removed).toMatchObject({ hasCredentials: false, credentialsKeyId: null });
  expect((await getDestinationWithCredentials(db, k1, tenantId, created.destinationId)).credentials).toBeNull();
});

test('the settings validator sees the type, settings and credentials — stored ones decrypted when only settings change', async () => {
  const { db, tenant } = store.current();
  const tenantId = await tenant();
  const calls: unknown[] = [];
  const validateSettings: SettingsValidator = (type, settings, credentials) => {
    calls.push([type, settings, credentials]);
    return typeof settings.pixelId === 'string' ? [] : ['pixelId is required'];
  };
  await createDestination(db, k1, tenantId, { name: 'meta', type: 'meta_capi', settings: { pixelId: '1' }, credentials: { accessToken: 't' } }, { validateSettings });
  await updateDestination(db, k1, tenantId, 'meta', { settings: { pixelId: '2' } }, { validateSettings });
  expect(calls).toEqual([
    ['meta_capi', { pixelId: '1' }, { accessToken: 't' }],
    ['meta_capi', { pixelId: '2' }, { accessToken: 't' }],
  ]);
  const err = await rejection(updateDestination(db, k1, tenantId, 'meta', { settings: { pixel: '3' } }, { validateSettings }));
  expect(destinationErrors.is(err, 'invalid_settings')).toBe(true);
  expect((err as Error).message).toBe('invalid meta_capi settings: pixelId is required');
  await updateDestination(db, null, tenantId, 'meta', { filters: { events: ['Purchase'] } }, { validateSettings });
  expect(calls).toHaveLength(3);
});

test("a ciphertext copied into another destination's row does not open there", async () => {
  const { db, tenant, asApp } = store.current();
  const tenantId = await tenant();
  const a = await createDestination(db, k1, tenantId, { name: 'a', type: 'webhook', credentials: { token: 'a-secret' } });
  const b = await createDestination(db, k1, tenantId, { name: 'b', type: 'webhook', credentials: { token: 'b-secret' } });
  await asApp(tenantId, async (trx) => {
    const source = await trx('destinations').where({ destination_id: a.destinationId }).first<{ credentials_ciphertext: Buffer }>();
    await trx('destinations').where({ destination_id: b.destinationId }).update({ credentials_ciphertext: source!.credentials_ciphertext });
  });
  const err = await rejection(getDestinationWithCredentials(db, k1, tenantId, b.destinationId));
  expect(credentialErrors.is(err, 'credentials_tampered')).toBe(true);
  expect((err as Error).message).not.toContain('a-secret');
});
