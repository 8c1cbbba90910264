/** Opt-outs against PostgreSQL: record, remove, look up by hash, tenant isolation. */
import { sha256Hex } from '@stratum/identifiers';
import { optedOutAmong, phoneOptOutHash, recordOptOut, removeOptOut } from '../src';
import { useDeliveryDatabase } from './sms-fixtures';

const store = useDeliveryDatabase();

const ADA = phoneOptOutHash('+14155550100')!;
const BOB = phoneOptOutHash('+442071838750')!;

test('phoneOptOutHash is the SHA-256 of the E.164 number, as identity hashes phones', () => {
  expect(ADA).toBe(sha256Hex('+14155550100'));
  expect(phoneOptOutHash('+1 (415) 555-0100')).toBe(ADA);
  expect(phoneOptOutHash('020 7183 8750', 'GB')).toBe(BOB);
  expect(phoneOptOutHash('020 7183 8750')).toBeNull();
  expect(phoneOptOutHash('not a phone')).toBeNull();
});

test('recordOptOut, optedOutAmong and removeOptOut', async () => {
  const { tenant, scoped } = store.current();
  const tenantId = await tenant();
  expect(await scoped(tenantId, (trx) => recordOptOut(trx, tenantId, { channel: 'sms', valueHash: ADA, source: 'sms_keyword' }))).toBe(true);
  // A second STOP keeps the first record.
  expect(await scoped(tenantId, (trx) => recordOptOut(trx, tenantId, { channel: 'sms', valueHash: ADA, source: 'operator' }))).toBe(false);
  const row = await scoped(tenantId, (trx) => trx('delivery_opt_outs').where({ tenant_id: tenantId }).select('channel', 'value_hash', 'source'));
  expect(row).toEqual([{ channel: 'sms', value_hash: ADA, source: 'sms_keyword' }]);

  expect(await scoped(tenantId, (trx) => optedOutAmong(trx, tenantId, 'sms', [ADA, BOB, ADA]))).toEqual(new Set([ADA]));
  expect(await scoped(tenantId, (trx) => optedOutAmong(trx, tenantId, 'sms', []))).toEqual(new Set());

  expect(await scoped(tenantId, (trx) => removeOptOut(trx, tenantId, 'sms', ADA))).toBe(true);
  expect(await scoped(tenantId, (trx) => removeOptOut(trx, tenantId, 'sms', ADA))).toBe(false);
  expect(await scoped(tenantId, (trx) => optedOutAmong(trx, tenantId, 'sms', [ADA, BOB]))).toEqual(new Set());
});

test('a hash that is not lower-case hex SHA-256 is refused by the table', async () => {
  const { tenant, scoped } = store.current();
  const tenantId = await tenant();
  await expect(scoped(tenantId, (trx) => recordOptOut(trx, tenantId, { channel: 'sms', valueHash: '+14155550100', source: 'sms_keyword' }))).rejects.toThrow(/check constraint/);
});

test("row-level security: another tenant's scope neither sees nor removes an opt-out", async () => {
  const { tenant, scoped } = store.current();
  const [a, b] = [await tenant(), await tenant()];
  await scoped(a, (trx) => recordOptOut(trx, a, { channel: 'sms', valueHash: BOB, source: 'sms_keyword' }));
  expect(await scoped(b, (trx) => optedOutAmong(trx, b, 'sms', [BOB]))).toEqual(new Set());
  // Asking b's scope about a's rows: RLS hides them whatever the query says.
  expect(await scoped(b, (trx) => optedOutAmong(trx, a, 'sms', [BOB]))).toEqual(new Set());
  expect(await scoped(b, (trx) => removeOptOut(trx, a, 'sms', BOB))).toBe(false);
  expect(await scoped(a, (trx) => optedOutAmong(trx, a, 'sms', [BOB]))).toEqual(new Set([BOB]));
  await expect(scoped(b, (trx) => recordOptOut(trx, a, { channel: 'sms', valueHash: ADA, source: 'sms_keyword' }))).rejects.toThrow(/row-level security/);
});
