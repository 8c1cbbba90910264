import { createHmac, randomBytes } from 'node:crypto';
import { standardWebhookSignature } from './standard-webhooks';
import { MockWebhookReceiver } from './webhook-receiver';

const KEY = randomBytes(24);
const SECRET = `whsec_${KEY.toString('base64')}`;
const NOW = Date.UTC(2025, 0, 15, 12);
const NOW_SECONDS = Math.floor(NOW / 1000);
const receiver = new MockWebhookReceiver({ secret: SECRET, clock: () => NOW });

/** The Standard Webhooks signature written out from the spec: v1, base64 HMAC-SHA256 of "id.timestamp.body" keyed by the decoded secret. */
function signatureFromTheSpec(id: string, timestamp: number, body: string, key: Buffer = KEY): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

async function deliver(body: string, headers: Record<string, string>, path = '/hooks/stratum') {
  const response = await fetch(`${receiver.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function signed(id: string, body: string, timestamp = NOW_SECONDS): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureFromTheSpec(id, timestamp, body) };
}

beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
beforeEach(() => receiver.recording.clear());

const BODY = JSON.stringify({ type: 'profile.updated', data: { id: 'p-1' } });

test('a correctly signed delivery is answered 204 and recorded with its payload', async () => {
  const { status } = await deliver(BODY, signed('msg_1', BODY));

  expect(status).toBe(204);
  expect(receiver.recording.events).toEqual([{ id: 'msg_1', timestamp: NOW_SECONDS, path: '/hooks/stratum', payload: { type: 'profile.updated', data: { id: 'p-1' } } }]);
});

test('one matching signature among several (key rotation) suffices', async () => {
  const headers = signed('msg_2', BODY);
  headers['webhook-signature'] = `${signatureFromTheSpec('msg_2', NOW_SECONDS, BODY, randomBytes(24))} ${headers['webhook-signature']}`;

  expect((await deliver(BODY, headers)).status).toBe(204);
});

test('the exported signer produces what the spec says', () => {
  expect(standardWebhookSignature(SECRET, 'msg_3', NOW_SECONDS, BODY)).toBe(signatureFromTheSpec('msg_3', NOW_SECONDS, BODY));
});

test.each([
  ['signed with another secret', () => ({ ...signed('m', BODY), 'webhook-signature': signatureFromTheSpec('m', NOW_SECONDS, BODY, randomBytes(24)) }), BODY, 'no_matching_signature'],
  ['with a body changed after signing', () => signed('m', BODY), `${BODY} `, 'no_matching_signature'],
  ['signed over another id', () => ({ ...signed('m', BODY), 'webhook-id': 'other' }), BODY, 'no_matching_signature'],
  ['with only a v2 signature', () => ({ ...signed('m', BODY), 'webhook-signature': signatureFromTheSpec('m', NOW_SECONDS, BODY).replace('v1,', 'v2,') }), BODY, 'no_matching_signature'],
  ['without webhook-id', () => ({ 'webhook-timestamp': String(NOW_SECONDS), 'webhook-signature': 'v1,x' }), BODY, 'missing_headers'],
  ['without webhook-signature', () => ({ 'webhook-id': 'm', 'webhook-timestamp': String(NOW_SECONDS) }), BODY, 'missing_headers'],
  ['with a timestamp that is not a number', () => ({ ...signed('m', BODY), 'webhook-timestamp': 'yesterday' }), BODY, 'invalid_timestamp'],
  ['with a timestamp 6 minutes old', () => signed('m', BODY, NOW_SECONDS - 360), BODY, 'timestamp_out_of_tolerance'],
  ['with a timestamp 6 minutes ahead', () => signed('m', BODY, NOW_SECONDS + 360), BODY, 'timestamp_out_of_tolerance'],
])('a delivery %s is refused with 401', async (_what, headers, body, reason) => {
  const answer = await deliver(body, headers());

  expect(answer).toEqual({ status: 401, body: { error: reason } });
  expect(receiver.recording.rejected.map((rejection) => rejection.reason)).toEqual([reason]);
  expect(receiver.recording.events).toEqual([]);
});

test('a timestamp 4 minutes old is still inside the tolerance', async () => {
  expect((await deliver(BODY, signed('msg_4', BODY, NOW_SECONDS - 240))).status).toBe(204);
});

test('a redelivered webhook-id is answered 204 again but counted as a duplicate', async () => {
  await deliver(BODY, signed('msg_5', BODY));
  await deliver(BODY, signed('msg_5', BODY));

  expect(receiver.recording.events.map((event) => event.id)).toEqual(['msg_5']);
  expect(receiver.recording.duplicates.map((event) => event.id)).toEqual(['msg_5']);
  expect(receiver.recording.accepted).toHaveLength(2);
});
