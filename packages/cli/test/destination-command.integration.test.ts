/** `stratum destination` as operators run it: JSON output, credentials never printed, keys required to store them, rotation. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestPostgres, type TestDatabase } from '@stratum/testing';
import { runCli } from './cli-process';

const postgres = useTestPostgres();
let database: TestDatabase;
let env: Record<string, string>;
const SECRET = 'EAAB-token-the-cli-must-never-print';
const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
let credentialsFile: string;

beforeAll(async () => {
  database = await postgres.newDatabase();
  env = { DATABASE_URL: database.url, STRATUM_CREDENTIALS_KEYS: k1 };
  expect((await runCli(['db', 'migrate'], env)).code).toBe(0);
  expect((await runCli(['tenant', 'create', '--name', 'acme'], env)).code).toBe(0);
  credentialsFile = join(mkdtempSync(join(tmpdir(), 'stratum-destination-')), 'meta.json');
  writeFileSync(credentialsFile, JSON.stringify({ accessToken: SECRET }));
});
afterAll(() => database.drop());

const json = <T>(out: string): T => JSON.parse(out) as T;

interface Summary {
  destinationId: string;
  name: string;
  enabled: boolean;
  filters: Record<string, unknown>;
  deliveryPolicy: Record<string, number> | null;
  hasCredentials: boolean;
  credentialsKeyId: string | null;
}

test('create with settings, credentials from a file, filters and a delivery policy; list shows everything but the credentials', async () => {
  const created = await runCli(
    ['destination', 'create', '--tenant', 'acme', '--type', 'meta_capi', '--name', 'Meta', '--settings', '{"pixelId":"123"}', '--credentials', credentialsFile, '--events', 'Order Completed, Purchase', '--consent-purpose', 'advertising', '--max-attempts', '5', '--max-age', '4h', '--json'],
    env,
  );
  expect(created.code).toBe(0);
  expect(created.out + created.err).not.toContain(SECRET);
  expect(json<Summary>(created.out)).toMatchObject({
    name: 'Meta',
    filters: { events: ['Order Completed', 'Purchase'], consentPurpose: 'advertising' },
    deliveryPolicy: { maxAttempts: 5, maxAgeSeconds: 14_400 },
    hasCredentials: true,
    credentialsKeyId: 'k1',
  });

  const listed = await runCli(['destination', 'list', '--tenant', 'acme'], env);
  expect(listed.code).toBe(0);
  expect(listed.out).toMatch(/^dst_[a-z0-9]{16} {2}Meta {2}meta_capi {2}events=Order Completed,Purchase consent=advertising {2}delivery=5 attempts, max age 4h {2}credentials=encrypted \(key k1\)$/m);
  const listedJson = await runCli(['destination', 'list', '--tenant', 'acme', '--json'], env);
  expect(listedJson.out).not.toContain(SECRET);
  expect(json<Summary[]>(listedJson.out).map((d) => Object.keys(d))).not.toContainEqual(expect.arrayContaining(['credentials']));
});

const WEBHOOK_CREDENTIALS = `{"secrets":["whsec_${Buffer.alloc(32, 3).toString('base64')}"]}`;

test("without STRATUM_CREDENTIALS_KEYS, storing credentials is refused with how to configure a key; the adapter's check refuses what delivery could not use", async () => {
  const noKeys = { DATABASE_URL: database.url, STRATUM_CREDENTIALS_KEYS: '' };
  const refused = await runCli(['destination', 'create', '--tenant', 'acme', '--type', 'tiktok', '--name', 'tiktok', '--settings', '{"pixelCode":"C4ABCDEFGHIJ12345678"}', '--credentials', credentialsFile, '--json'], noKeys);
  expect(refused.code).not.toBe(0);
  expect(json<{ error: { code: string } }>(refused.out).error.code).toBe('credential_keys_missing');
  expect(refused.err).toContain('set STRATUM_CREDENTIALS_KEYS');
  // A webhook cannot sign without a secret: refused by the adapter's check, with the field named.
  const unsigned = await runCli(['destination', 'create', '--tenant', 'acme', '--type', 'webhook', '--name', 'hook', '--settings', '{"url":"https://example.com/hook"}', '--json'], noKeys);
  expect(unsigned.code).toBe(2);
  expect(json<{ error: { code: string; message: string } }>(unsigned.out).error).toMatchObject({ code: 'invalid_settings', message: expect.stringContaining('credentials.secrets') });
  const hook = await runCli(['destination', 'create', '--tenant', 'acme', '--type', 'webhook', '--name', 'hook', '--settings', '{"url":"https://example.com/hook"}', '--credentials', WEBHOOK_CREDENTIALS], env);
  expect(hook.code).toBe(0);
});

test('refusals: a taken name and an unknown type by code; inline credentials that are not JSON are not echoed (exit 2)', async () => {
  const taken = await runCli(['destination', 'create', '--tenant', 'acme', '--type', 'webhook', '--name', 'META', '--settings', '{"url":"https://example.com/hook"}', '--credentials', WEBHOOK_CREDENTIALS, '--json'], env);
  expect(taken.code).not.toBe(0);
  expect(json<{ error: { code: string } }>(taken.out).error.code).toBe('destination_name_taken');
  const unknown = await runCli(['destination', 'create', '--tenant', 'acme', '--type', 'segment', '--name', 'x', '--json'], env);
  expect(json<{ error: { code: string; message: string } }>(unknown.out).error).toEqual({
    code: 'unknown_destination_type',
    message: 'destination type must be one of webhook, meta_capi, ga4, tiktok, twilio_sms, pipedrive, got "segment"',
  });
  const garbled = await runCli(['destination', 'create', '--tenant', 'acme', '--type', 'webhook', '--name', 'y', '--credentials', `{"token": ${SECRET}}`], env);
  expect(garbled.code).toBe(2);
  expect(garbled.err).toContain('credentials in the argument is not valid JSON');
  expect(garbled.err).not.toContain(SECRET);
  expect((await runCli(['destination', 'list', '--tenant', 'nobody'], env)).code).toBe(4);
});

test('disable and enable by name; list hides disabled destinations unless --all', async () => {
  const disabled = await runCli(['destination', 'disable', '--tenant', 'acme', 'hook', '--json'], env);
  expect(disabled.code).toBe(0);
  expect(json<Summary>(disabled.out).enabled).toBe(false);
  expect((await runCli(['destination', 'list', '--tenant', 'acme'], env)).out).not.toMatch(/ hook /);
  expect((await runCli(['destination', 'list', '--tenant', 'acme', '--all'], env)).out).toMatch(/ hook {2}webhook \(disabled\) /);
  const enabled = await runCli(['destination', 'enable', '--tenant', 'acme', 'hook'], env);
  expect(enabled.code).toBe(0);
  expect(enabled.out).toMatch(/^state +enabled$/m);
  const missing = await runCli(['destination', 'enable', '--tenant', 'acme', 'nothing', '--json'], env);
  expect(json<{ error: { code: string } }>(missing.out).error.code).toBe('destination_not_found');
});

test('rotate-keys moves every credential (Meta, hook) to the newest key; the old key is then removable', async () => {
  const both = { ...env, STRATUM_CREDENTIALS_KEYS: `${k1},${k2}` };
  const rotated = await runCli(['destination', 'rotate-keys', '--json'], both);
  expect(rotated.code).toBe(0);
  expect(json(rotated.out)).toEqual({ activeKeyId: 'k2', rotated: 2, current: 0, failed: [], keysInUse: { k2: 2 }, removableKeyIds: ['k1'] });
  const listed = json<Summary[]>((await runCli(['destination', 'list', '--tenant', 'acme', '--all', '--json'], { ...env, STRATUM_CREDENTIALS_KEYS: k2 })).out);
  expect(listed.find((d) => d.name === 'Meta')?.credentialsKeyId).toBe('k2');

  const onlyNew = await runCli(['destination', 'rotate-keys'], { ...env, STRATUM_CREDENTIALS_KEYS: k2 });
  expect(onlyNew.code).toBe(0);
  expect(onlyNew.out).toMatch(/^current +2$/m);

  const onlyOld = await runCli(['destination', 'rotate-keys'], { ...env, STRATUM_CREDENTIALS_KEYS: k1 });
  expect(onlyOld.code).toBe(1);
  expect(onlyOld.out).toMatch(/credential_key_unknown: the credentials were encrypted with key "k2", which is not configured \(configured: k1\)/);
});
