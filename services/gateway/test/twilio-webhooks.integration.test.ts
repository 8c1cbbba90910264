/**
 * POST /v1/webhooks/twilio/{tenantId} end to end: messages sent through the twilio_sms adapter's
 * own request to the Twilio mock, whose signed status callbacks and incoming messages reach the
 * gateway app over real HTTP; message states and opt-outs land in a migrated PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, migrateToLatest, withTenant, type Db } from '@stratum/db';
import { findMessage, optedOutAmong, phoneOptOutHash, recordSentMessage, type SmsMessage } from '@stratum/delivery';
import { createCredentialKeyring, createDestination, idempotencyKey, twilioSmsAdapter, type CredentialKeyring, type DestinationSummary, type MessageState } from '@stratum/destinations';
import { createMetricsRegistry, silentLogger, type Registry } from '@stratum/observability';
import { inMemoryDirectory, provisionTenant } from '@stratum/tenancy';
import { MockTwilioMessaging, twilioSignature, uniqueName, useTestPostgres, type TestDatabase, type TwilioWebhookDelivery } from '@stratum/testing';
import { createGatewayApp, gatewayRequestListener } from '../src/app';
import type { TwilioWebhookOptions } from '../src/http/twilio-webhook-handler';
import { createMemoryRateLimiter } from '../src/rate-limit';
import { RecordingPublisher } from './test-gateway';

jest.setTimeout(60_000);
const postgres = useTestPostgres();

const RECIPIENT = '+14155550100';
const SENDER = '+14155550199';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

interface RunningApp {
  readonly url: string;
  readonly registry: Registry;
  close(): Promise<void>;
}

/** The gateway app as main.ts serves it, with `webhooks` (undefined: an app without a database). */
async function startApp(webhooks: TwilioWebhookOptions | undefined): Promise<RunningApp> {
  const registry = createMetricsRegistry({ service: 'gateway-test', version: 'test', processMetrics: false });
  const rateLimiter = createMemoryRateLimiter();
  const app = createGatewayApp({
    directory: inMemoryDirectory([]),
    publisher: new RecordingPublisher(),
    rateLimiter,
    logger: silentLogger(),
    metrics: registry,
    config: { maxBodyBytes: 512_000 },
    ...(webhooks === undefined ? {} : { twilioWebhooks: webhooks }),
  });
  const server: Server = createServer(gatewayRequestListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    registry,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rateLimiter.close();
    },
  };
}

let database: TestDatabase;
let db: Db;
let keyring: CredentialKeyring;
let twilio: MockTwilioMessaging;
let gateway: RunningApp;
let tenantId: string;
let destination: DestinationSummary;

const webhookUrl = (tenant: string, base = gateway.url) => `${base}/v1/webhooks/twilio/${tenant}`;

/** A tenant with a twilio_sms destination on the mock's account, its status callbacks sent to `base`. */
async function twilioTenant(authToken = twilio.authToken, base = gateway.url): Promise<{ tenantId: string; destination: DestinationSummary }> {
  const { tenantId: id } = await provisionTenant(db, { name: uniqueName('sms-shop') });
  const created = await createDestination(db, keyring, id, {
    name: 'sms',
    type: 'twilio_sms',
    settings: { accountSid: twilio.accountSid, from: SENDER, templates: { 'Order Shipped': 'Your order is on its way' }, statusCallbackUrl: webhookUrl(id, base), baseUrl: twilio.url },
    credentials: { authToken },
  });
  return { tenantId: id, destination: created };
}

beforeAll(async () => {
  database = await postgres.newDatabase();
  db = createDb(database.url);
  await migrateToLatest(db);
  keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1: randomBytes(32) } });
  twilio = new MockTwilioMessaging();
  await twilio.start();
  gateway = await startApp({ db, keyring, publicUrl: null });
  ({ tenantId, destination } = await twilioTenant());
});

afterAll(async () => {
  await gateway?.close();
  await twilio?.stop();
  await db?.destroy();
});

/** Sends one SMS with the adapter's own request and records it as the delivery-adapter does: sid, key and event. */
async function sendSms(): Promise<{ sid: string; key: string; messageId: string }> {
  const config = twilioSmsAdapter.parseConfig({ settings: destination.settings, credentials: { authToken: twilio.authToken } });
  const messageId = `m-${randomBytes(4).toString('hex')}`;
  const key = idempotencyKey(tenantId, destination.destinationId, messageId);
  const [request] = twilioSmsAdapter.buildRequests([{ kind: 'prepared', messageId, idempotencyKey: key, profileId: 'prof_1', payload: { to: RECIPIENT, body: 'Your order is on its way' } }], config, { now: Date.now() });
  const response = await fetch(request!.url, { method: request!.method, headers: request!.headers, body: request!.body });
  expect(response.status).toBe(201);
  const resource = (await response.json()) as { sid: string; status: MessageState };
  await withTenant(db, tenantId, (trx) =>
    recordSentMessage(trx, tenantId, { messageSid: resource.sid, destinationId: destination.destinationId, idempotencyKey: key, messageId, profileId: 'prof_1', status: resource.status }),
  );
  return { sid: resource.sid, key, messageId };
}

function message(sid: string, tenant = tenantId): Promise<SmsMessage | null> {
  return withTenant(db, tenant, (trx) => findMessage(trx, tenant, sid));
}

function optedOut(phone: string): Promise<boolean> {
  const hash = phoneOptOutHash(phone)!;
  return withTenant(db, tenantId, async (trx) => (await optedOutAmong(trx, tenantId, 'sms', [hash])).has(hash));
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** POSTs a form to `url` with `headers` (Twilio's content type unless overridden). */
async function postForm(url: string, params: Record<string, string>, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString() });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** POSTs `params` signed for `url` with `authToken`, as Twilio would. */
function postSigned(url: string, params: Record<string, string>, authToken = twilio.authToken): Promise<Answer> {
  return postForm(url, params, { 'x-twilio-signature': twilioSignature(authToken, url, params) });
}

/** Sends a recorded webhook again, byte for byte (a Twilio retry, or a late duplicate). */
function replay(delivery: TwilioWebhookDelivery): Promise<Answer> {
  return postForm(delivery.url, delivery.params, delivery.headers);
}

function expectRefused(answer: Answer, status: number, fields: Record<string, unknown>): void {
  expect({ status: answer.status, body: JSON.parse(answer.text) as unknown }).toEqual({ status, body: { ...fields, message: expect.any(String), requestId: answer.headers.get('x-request-id') } });
}

/** The value of one series of stratum_gateway_twilio_callbacks_total, 0 when absent. */
async function callbacks(kind: string, result: string, registry = gateway.registry): Promise<number> {
  const text = await registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`stratum_gateway_twilio_callbacks_total{kind="${kind}",result="${result}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('status callbacks', () => {
  it('advance a message to delivered (sent, then delivered), each answered 204', async () => {
    const { sid, key } = await sendSms();
    expect(twilio.message(sid)?.statusCallback).toBe(`${webhookUrl(tenantId)}?stratum_key=${key}`);
    const deliveries = await twilio.advance(sid, 'delivered');
    expect(deliveries.map((d) => [d.params['MessageStatus'], d.status])).toEqual([
      ['sent', 204],
      ['delivered', 204],
    ]);
    expect(await message(sid)).toMatchObject({ status: 'delivered', errorCode: null, destinationId: destination.destinationId });
    expect(await callbacks('status', 'recorded')).toBeGreaterThanOrEqual(2);
  });

  it('keep a failed message failed with its ErrorCode', async () => {
    const { sid } = await sendSms();
    const [failed] = await twilio.advance(sid, 'failed', 30007);
    expect(failed).toMatchObject({ status: 204, params: { MessageStatus: 'failed', ErrorCode: '30007' } });
    expect(await message(sid)).toMatchObject({ status: 'failed', errorCode: 30007 });
  });

  it('never move a message backwards: the sent callback arriving after delivered changes nothing', async () => {
    const { sid } = await sendSms();
    const [sent, delivered] = await twilio.advance(sid, 'delivered');
    const before = await message(sid);
    expect((await replay(sent!)).status).toBe(204);
    expect(await message(sid)).toEqual(before);
    expect((await replay(delivered!)).status).toBe(204);
    expect(await message(sid)).toEqual(before);
  });

  it('refuse a tampered signature with 403 and change nothing', async () => {
    const { sid } = await sendSms();
    const [sent, undelivered] = await twilio.advance(sid, 'undelivered');
    expect([sent!.status, undelivered!.status]).toEqual([204, 204]);
    const before = await message(sid);
    expect(before).toMatchObject({ status: 'undelivered', errorCode: 30003 });

    // The body changed after Twilio signed it.
    const tampered = await postForm(undelivered!.url, { ...undelivered!.params, MessageStatus: 'delivered' }, undelivered!.headers);
    expectRefused(tampered, 403, { code: 'invalid_signature' });
    // Signed with another token.
    expectRefused(await postSigned(undelivered!.url, { ...undelivered!.params, MessageStatus: 'delivered' }, 'not-the-token'), 403, { code: 'invalid_signature' });
    // A signature that is not base64 HMAC at all, and none.
    expectRefused(await postForm(undelivered!.url, { ...undelivered!.params, MessageStatus: 'delivered' }, { 'x-twilio-signature': 'forged' }), 403, { code: 'invalid_signature' });
    expectRefused(await postForm(undelivered!.url, { ...undelivered!.params, MessageStatus: 'delivered' }, {}), 403, { code: 'invalid_signature' });
    expect(await message(sid)).toEqual(before);
    expect(await callbacks('unknown', 'invalid_signature')).toBeGreaterThanOrEqual(4);
  });

  it('answer 204 for an unknown message (Twilio would retry a failure) and count it', async () => {
    const before = await callbacks('status', 'unknown_message');
    const answer = await postSigned(`${webhookUrl(tenantId)}?stratum_key=msg_unknown`, { AccountSid: twilio.accountSid, MessageSid: 'SMffffffffffffffffffffffffffffffff', MessageStatus: 'delivered' });
    expect([answer.status, answer.text]).toEqual([204, '']);
    expect(await message('SMffffffffffffffffffffffffffffffff')).toBeNull();
    expect(await callbacks('status', 'unknown_message')).toBe(before + 1);
  });

  it("record a message only its stratum_key knows (Twilio's answer was lost, the retry sent another)", async () => {
    const { key, messageId } = await sendSms();
    const lostSid = `SM${randomBytes(16).toString('hex')}`;
    const answer = await postSigned(`${webhookUrl(tenantId)}?stratum_key=${key}`, { AccountSid: twilio.accountSid, MessageSid: lostSid, MessageStatus: 'delivered' });
    expect(answer.status).toBe(204);
    expect(await message(lostSid)).toMatchObject({ status: 'delivered', messageId, idempotencyKey: key });
  });

  it("cannot reach another tenant's messages, even on the same Twilio account", async () => {
    const { sid } = await sendSms();
    const other = await twilioTenant();
    // Signed correctly for the other tenant's URL: its scope does not know the message.
    const answer = await postSigned(webhookUrl(other.tenantId), { AccountSid: twilio.accountSid, MessageSid: sid, MessageStatus: 'delivered' });
    expect(answer.status).toBe(204);
    expect(await message(sid)).toMatchObject({ status: 'queued' });
    expect(await message(sid, other.tenantId)).toBeNull();
  });
});

describe('incoming messages', () => {
  it('STOP records an opt-out for the sender, START removes it; both answer empty TwiML', async () => {
    const phone = '+14155550123';
    const stop = await twilio.sendInbound(webhookUrl(tenantId), { from: phone, to: SENDER, body: 'STOP' });
    expect(stop.status).toBe(200);
    expect(await optedOut(phone)).toBe(true);

    const start = await twilio.sendInbound(webhookUrl(tenantId), { from: phone, to: SENDER, body: 'start' });
    expect(start.status).toBe(200);
    expect(await optedOut(phone)).toBe(false);
    expect(await callbacks('inbound', 'opted_out')).toBeGreaterThanOrEqual(1);
    expect(await callbacks('inbound', 'opted_in')).toBeGreaterThanOrEqual(1);
  });

  it('answers 200 text/xml <Response/>; any other text changes nothing', async () => {
    const phone = '+14155550124';
    const url = webhookUrl(tenantId);
    const answer = await postSigned(url, { AccountSid: twilio.accountSid, MessageSid: 'SM1', From: phone, To: SENDER, Body: ' quit ' });
    expect([answer.status, answer.headers.get('content-type'), answer.text]).toEqual([200, 'text/xml', EMPTY_TWIML]);
    expect(await optedOut(phone)).toBe(true);
    const chat = await postSigned(url, { AccountSid: twilio.accountSid, MessageSid: 'SM2', From: phone, To: SENDER, Body: 'start me up' });
    expect([chat.status, chat.text]).toEqual([200, EMPTY_TWIML]);
    expect(await optedOut(phone)).toBe(true);
  });

  it("follows Twilio's OptOutType (Advanced Opt-Out keywords)", async () => {
    const phone = '+14155550125';
    await postSigned(webhookUrl(tenantId), { AccountSid: twilio.accountSid, MessageSid: 'SM3', From: phone, To: SENDER, Body: 'ARRET', OptOutType: 'STOP' });
    expect(await optedOut(phone)).toBe(true);
  });
});

describe('refusals', () => {
  const status = () => ({ AccountSid: twilio.accountSid, MessageSid: 'SM0', MessageStatus: 'sent' });

  it('404 unknown_tenant: no such tenant, or one without a twilio_sms destination', async () => {
    expectRefused(await postSigned(webhookUrl('ten_doesnotexist'), status()), 404, { code: 'unknown_tenant' });
    const { tenantId: bare } = await provisionTenant(db, { name: uniqueName('no-sms') });
    expectRefused(await postSigned(webhookUrl(bare), status()), 404, { code: 'unknown_tenant' });
    expectRefused(await postSigned(webhookUrl('Not-An-Id'), status()), 404, { code: 'unknown_tenant' });
  });

  it('403 invalid_signature for an account the tenant has no destination for', async () => {
    expectRefused(await postSigned(webhookUrl(tenantId), { ...status(), AccountSid: 'AC99999999999999999999999999999999' }), 403, { code: 'invalid_signature' });
  });

  it('400 invalid_webhook names what is missing or wrong', async () => {
    const url = webhookUrl(tenantId);
    expectRefused(await postSigned(url, { MessageSid: 'SM0', MessageStatus: 'sent' }), 400, { code: 'invalid_webhook', field: 'AccountSid' });
    expectRefused(await postSigned(url, { AccountSid: twilio.accountSid, MessageStatus: 'sent' }), 400, { code: 'invalid_webhook', field: 'MessageSid' });
    expectRefused(await postSigned(url, { AccountSid: twilio.accountSid, MessageSid: 'SM0' }), 400, { code: 'invalid_webhook', field: 'MessageStatus' });
    expectRefused(await postSigned(url, { ...status(), ErrorCode: 'x1' }), 400, { code: 'invalid_webhook', field: 'ErrorCode' });
    const json = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(status()) });
    expectRefused({ status: json.status, headers: json.headers, text: await json.text() }, 400, { code: 'invalid_webhook', field: 'content-type' });
  });

  it('413 for a body over 64 KiB', async () => {
    const answer = await postSigned(webhookUrl(tenantId), { ...status(), Padding: 'x'.repeat(70_000) });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toMatchObject({ code: 'batch_too_large', limit: 65_536 });
  });

  it('405 for another method, with Allow', async () => {
    const answer = await fetch(webhookUrl(tenantId));
    expect([answer.status, answer.headers.get('allow')]).toEqual([405, 'POST']);
  });
});

describe('configuration', () => {
  it('503 webhooks_unavailable on an app made without a database', async () => {
    const app = await startApp(undefined);
    try {
      expectRefused(await postSigned(webhookUrl(tenantId, app.url), { AccountSid: twilio.accountSid, MessageSid: 'SM0', MessageStatus: 'sent' }), 503, { code: 'webhooks_unavailable', retryAfterSeconds: 60 });
    } finally {
      await app.close();
    }
  });

  it('503 webhooks_unavailable with a clear message without credential keys', async () => {
    const app = await startApp({ db, keyring: null, publicUrl: null });
    try {
      const answer = await postSigned(webhookUrl(tenantId, app.url), { AccountSid: twilio.accountSid, MessageSid: 'SM0', MessageStatus: 'sent' });
      expectRefused(answer, 503, { code: 'webhooks_unavailable', retryAfterSeconds: 60 });
      expect(JSON.parse(answer.text).message).toContain('STRATUM_CREDENTIALS_KEYS');
      expect(answer.headers.get('retry-after')).toBe('60');
    } finally {
      await app.close();
    }
  });

  it('503 webhooks_unavailable when the credentials do not decrypt with the configured keys', async () => {
    const app = await startApp({ db, keyring: createCredentialKeyring({ activeKeyId: 'k9', keys: { k9: randomBytes(32) } }), publicUrl: null });
    try {
      expectRefused(await postSigned(webhookUrl(tenantId, app.url), { AccountSid: twilio.accountSid, MessageSid: 'SM0', MessageStatus: 'sent' }), 503, { code: 'webhooks_unavailable', retryAfterSeconds: 60 });
    } finally {
      await app.close();
    }
  });

  it('checks the signature over GATEWAY_PUBLIC_URL when set (a proxy in front)', async () => {
    const app = await startApp({ db, keyring, publicUrl: 'https://events.example.com' });
    try {
      const { sid } = await sendSms();
      const path = `/v1/webhooks/twilio/${tenantId}`;
      const params = { AccountSid: twilio.accountSid, MessageSid: sid, MessageStatus: 'sent' };
      const publicSignature = twilioSignature(twilio.authToken, `https://events.example.com${path}`, params);
      expectRefused(await postSigned(`${app.url}${path}`, params), 403, { code: 'invalid_signature' });
      expect((await postForm(`${app.url}${path}`, params, { 'x-twilio-signature': publicSignature })).status).toBe(204);
      expect(await message(sid)).toMatchObject({ status: 'sent' });
    } finally {
      await app.close();
    }
  });
});
