/** Work across tenants: the delivery cache's list of enabled destinations, and key rotation. */
import { randomBytes } from 'node:crypto';
import {
  createCredentialKeyring,
  createDestination,
  credentialErrors,
  disableDestination,
  getDestinationWithCredentials,
  listEnabledDestinations,
  rotateCredentials,
  type DestinationSummary,
} from '../src';
import { keyring, rejection, useStoreDatabase } from './fixtures';

const store = useStoreDatabase();

// These functions see every tenant, including the ones of earlier tests: assertions about
// failures are narrowed to the test's own tenants.
test('listEnabledDestinations: every tenant, enabled only, credentials decrypted; an undecryptable one is reported, not fatal', async () => {
  const { db, tenant } = store.current();
  const [a, b] = [await tenant(), await tenant()];
  const k1 = keyring('k1');
  const hookA = await createDestination(db, k1, a, { name: 'hook', type: 'webhook', credentials: { token: 'a' } });
  const smsB = await createDestination(db, k1, b, { name: 'sms', type: 'twilio_sms', credentials: { authToken: 'b' } });
  const plainB = await createDestination(db, k1, b, { name: 'plain', type: 'webhook' });
  await createDestination(db, k1, b, { name: 'off', type: 'webhook', enabled: false });
  const forgotten = createCredentialKeyring({ activeKeyId: 'forgotten', keys: { forgotten: randomBytes(32) } });
  const lostKey = await createDestination(db, forgotten, a, { name: 'lost', type: 'ga4', credentials: { apiSecret: 'x' } });

  const { destinations, unreadable } = await listEnabledDestinations(db, k1);
  const byId = new Map(destinations.map((d) => [d.destinationId, d]));
  expect(byId.get(hookA.destinationId)).toMatchObject({ tenantId: a, credentials: { token: 'a' } });
  expect(byId.get(smsB.destinationId)).toMatchObject({ tenantId: b, credentials: { authToken: 'b' } });
  expect(byId.get(plainB.destinationId)).toMatchObject({ credentials: null });
  expect(destinations.map((d) => d.name)).not.toContain('off');
  expect(unreadable).toEqual([{ tenantId: a, destinationId: lostKey.destinationId, keyId: 'forgotten', code: 'credential_key_unknown', message: expect.stringContaining('key "forgotten"') }]);
  await disableDestination(db, a, 'lost');
});

test('rotateCredentials re-encrypts every tenant under the active key; the old key can then be removed', async () => {
  const { db, tenant, asApp } = store.current();
  const [a, b] = [await tenant(), await tenant()];
  const created: DestinationSummary[] = [];
  for (const [tenantId, name] of [[a, 'one'], [a, 'two'], [b, 'three']] as const) {
    created.push(await createDestination(db, keyring('k1'), tenantId, { name, type: 'webhook', credentials: { token: `${name}-secret` } }));
  }
  const before = await asApp(a, (trx) => trx('destinations').where({ destination_id: created[0]!.destinationId }).first<{ credentials_ciphertext: Buffer }>());

  const rotation = await rotateCredentials(db, keyring('k2', 'k1'));
  expect(rotation.failed.filter((f) => f.tenantId === a || f.tenantId === b)).toEqual([]);
  expect(rotation.rotated).toBeGreaterThanOrEqual(3);
  // The disabled row of the test before, under a key nobody has, is still stored and still counted.
  expect(rotation.keysInUse).toEqual({ k2: rotation.rotated + rotation.current, forgotten: 1 });

  const after = await asApp(a, (trx) => trx('destinations').where({ destination_id: created[0]!.destinationId }).first<{ credentials_ciphertext: Buffer; credentials_key_id: string }>());
  expect(after!.credentials_key_id).toBe('k2');
  expect(after!.credentials_ciphertext.equals(before!.credentials_ciphertext)).toBe(false);

  const onlyNew = keyring('k2');
  for (const d of created) {
    expect((await getDestinationWithCredentials(db, onlyNew, d.tenantId, d.destinationId)).credentials).toEqual({ token: `${d.name}-secret` });
  }
  const onlyOld = keyring('k1');
  expect(credentialErrors.is(await rejection(getDestinationWithCredentials(db, onlyOld, a, created[0]!.destinationId)), 'credential_key_unknown')).toBe(true);

  const again = await rotateCredentials(db, onlyNew);
  expect([again.rotated, again.current, again.failed.length]).toEqual([0, rotation.rotated + rotation.current, rotation.failed.length]);
});

test('a row whose key is not configured is reported by rotation and left as it was', async () => {
  const { db, tenant } = store.current();
  const tenantId = await tenant();
  // Under k1, and the keyring below no longer has k1.
  const orphan = await createDestination(db, keyring('k1'), tenantId, { name: 'orphan', type: 'webhook', credentials: { token: 'x' } });
  const rotation = await rotateCredentials(db, keyring('k2'));
  expect(rotation.failed.filter((f) => f.tenantId === tenantId)).toEqual([
    { tenantId, destinationId: orphan.destinationId, keyId: 'k1', code: 'credential_key_unknown', message: `the credentials were encrypted with key "k1", which is not configured (configured: k2)` },
  ]);
  expect(rotation.keysInUse).toMatchObject({ k1: 1 });
  expect((await getDestinationWithCredentials(db, keyring('k1'), tenantId, orphan.destinationId)).credentials).toEqual({ token: 'x' });
});
