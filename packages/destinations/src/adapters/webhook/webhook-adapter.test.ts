import { createHmac } from 'node:crypto';
import { DestinationConfigError } from '../errors';
import { NOW, PROFILE_ID, jsonResponse, resolvedEvent } from '../resolved-event.fixture';
import type { PreparedEvent } from '../types';
import { parseWebhookSecret, signatureV1, verifyWebhookSignature } from './standard-webhooks';
import { webhookAdapter, type WebhookPayloadText } from './webhook-adapter';

// The reference vector of the Standard Webhooks JavaScript library ("sign function works",
// libraries/javascript/src/webhook.test.ts in github.com/standard-webhooks/standard-webhooks).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const OLD_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

const config = webhookAdapter.parseConfig({
  settings: { url: 'https://hooks.tenant.example/stratum', headers: { 'X-Team': 'growth' } },
  credentials: { secrets: [VECTOR.secret, OLD_SECRET], headers: { 'X-Api-Key': 'gw-key-123' } },
});
const ctx = { destinationId: 'dst_webhook_1', now: NOW };

function prepared(input = {}): PreparedEvent<WebhookPayloadText> {
  const p = webhookAdapter.prepare(resolvedEvent(input), config, ctx);
  if (p.kind !== 'prepared') throw new Error(`skipped: ${p.reason}`);
  return p;
}

it('signs exactly as the Standard Webhooks reference vector', () => {
  const key = parseWebhookSecret(VECTOR.secret)!;
  expect(signatureV1(key, VECTOR.id, VECTOR.timestamp, VECTOR.payload)).toBe(VECTOR.signature);
  expect(verifyWebhookSignature(key, { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature }, VECTOR.payload, VECTOR.timestamp)).toBe(true);
  expect(verifyWebhookSignature(key, { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature }, VECTOR.payload, VECTOR.timestamp + 301)).toBe(false);
});

it('POSTs one event per request with webhook-id = idempotency key and one signature per secret (rotation)', () => {
  const p = prepared();
  const [request, ...rest] = webhookAdapter.buildRequests([p], config, { now: NOW });
  expect(rest).toEqual([]);
  expect(request!.method).toBe('POST');
  expect(request!.url).toBe('https://hooks.tenant.example/stratum');
  expect(request!.events).toEqual([{ messageId: p.messageId, idempotencyKey: p.idempotencyKey }]);
  const h = request!.headers;
  expect(h['webhook-id']).toBe(p.idempotencyKey);
  expect(h['webhook-timestamp']).toBe(String(NOW / 1000));
  expect(h['content-type']).toBe('application/json');
  expect([h['X-Team'], h['X-Api-Key']]).toEqual(['growth', 'gw-key-123']);
  expect(request!.secrets).toEqual(['gw-key-123']);

  // Independent computation from the spec: HMAC-SHA256 over "id.timestamp.body" with the decoded secret bytes.
  const sign = (secret: string) =>
    'v1,' + createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${p.idempotencyKey}.${NOW / 1000}.${request!.body}`).digest('base64');
  expect(h['webhook-signature']).toBe(`${sign(VECTOR.secret)} ${sign(OLD_SECRET)}`);
});

it('keeps the body byte-identical across retries while the timestamp and signature move on', () => {
  const p = prepared();
  const first = webhookAdapter.buildRequests([p], config, { now: NOW })[0]!;
  const retry = webhookAdapter.buildRequests([prepared()], config, { now: NOW + 30_000 })[0]!;
  expect(retry.body).toBe(first.body);
  expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
  expect(retry.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
});

it('sends the documented payload: Segment-style event, profile with canonical identifiers, no cleartext email', () => {
  const body = JSON.parse(prepared({ mergedProfileIds: ['prof_old'] }).payload.body);
  expect(body.type).toBe('event.track');
  expect(body.timestamp).toBe(new Date(NOW - 60_000).toISOString());
  expect(body.data).toMatchObject({
    version: 1,
    type: 'track',
    event: 'Order Completed',
    properties: { order_id: 'ord-50314' },
    profile: { id: PROFILE_ID, mergedIds: ['prof_old'], userId: 'user-8812', emailHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
  });
  expect(Object.keys(body.data.profile)).not.toContain('traits');
  expect(JSON.stringify(body.data.profile)).not.toContain('@');
});

it('lists every configuration problem at once, without echoing secrets', () => {
  let error: unknown;
  try {
    webhookAdapter.parseConfig({
      settings: { url: 'ftp://x', headers: { 'webhook-id': 'x' } },
      credentials: { secrets: ['whsec_dG9vIHNob3J0', 'plain-secret-value'] },
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DestinationConfigError);
  const problems = (error as DestinationConfigError).problems.map((p) => p.path);
  expect(problems).toEqual(['settings.url', 'settings.headers.webhook-id', 'credentials.secrets[0]', 'credentials.secrets[1]']);
  expect((error as Error).message).not.toContain('plain-secret-value');
});

it('classifies by the common rules: 410 asks to stop, 503 with Retry-After waits', () => {
  const request = webhookAdapter.buildRequests([prepared()], config, { now: NOW })[0]!;
  expect(webhookAdapter.classify(jsonResponse(204, {}), request, { now: NOW })).toMatchObject({ outcome: 'delivered', error: null });
  expect(webhookAdapter.classify(jsonResponse(410, {}), request, { now: NOW }).error).toMatchObject({ code: 'endpoint_gone', retryable: false });
  expect(webhookAdapter.classify(jsonResponse(503, {}, { 'Retry-After': '120' }), request, { now: NOW }).error).toMatchObject({ code: 'http_5xx', retryAfterMs: 120_000 });
});
