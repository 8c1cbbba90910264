import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { waitFor } from '../wait';
import { MockTwilioMessaging } from './twilio-messaging';

const ACCOUNT = 'AC11111111111111111111111111111111';
const TOKEN = 'auth-token-123';
const twilio = new MockTwilioMessaging({ accountSid: ACCOUNT, authToken: TOKEN });

/** What the app's webhook endpoint received. */
interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
}
const received: Received[] = [];
let receiver: Server;
let receiverUrl: string;

/**
 * X-Twilio-Signature from Twilio's documentation, written out here rather than calling the mock's
 * own function: the full URL, then each POST parameter sorted by name as name + value, HMAC-SHA1
 * keyed by the auth token, base64.
 */
function signatureFromTheSpec(url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((name) => `${name}${params[name]}`).join('');
  return createHmac('sha1', TOKEN).update(data).digest('base64');
}

async function send(fields: Record<string, string>, auth: string | null = `${ACCOUNT}:${TOKEN}`, account = ACCOUNT) {
  const response = await fetch(`${twilio.url}/2010-04-01/Accounts/${account}/Messages.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth === null ? {} : { authorization: `Basic ${Buffer.from(auth).toString('base64')}` }) },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const valid = (overrides: Record<string, string> = {}): Record<string, string> => ({ To: '+4915112345678', From: '+15005550006', Body: 'Your code is 1234', ...overrides });

beforeAll(async () => {
  await twilio.start();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ url: `${receiverUrl}${req.url ?? ''}`, headers: req.headers, params: Object.fromEntries(new URLSearchParams(body)) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});
afterAll(async () => {
  await twilio.stop();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  twilio.recording.clear();
  received.length = 0;
});

test('a valid message is answered 201 with a queued Message resource and recorded', async () => {
  const { status, body } = await send(valid());

  expect(status).toBe(201);
  expect(body).toMatchObject({ sid: expect.stringMatching(/^SM[0-9a-f]{32}$/), account_sid: ACCOUNT, to: '+4915112345678', from: '+15005550006', body: 'Your code is 1234', status: 'queued', direction: 'outbound-api', num_segments: '1', api_version: '2010-04-01' });
  expect(twilio.recording.events).toEqual([expect.objectContaining({ sid: body.sid, status: 'queued' })]);

  const fetched = await fetch(`${twilio.url}${String(body.uri)}`, { headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}` } });
  expect(await fetched.json()).toMatchObject({ sid: body.sid, status: 'queued' });
});

test('a message through a Messaging Service is accepted rather than queued', async () => {
  const { body } = await send(valid({ From: '', MessagingServiceSid: 'MG22222222222222222222222222222222' }));

  expect(body).toMatchObject({ status: 'accepted', from: null, messaging_service_sid: 'MG22222222222222222222222222222222' });
});

test.each([
  ['no credentials', valid(), null, ACCOUNT, 401, 20003],
  ['a wrong auth token', valid(), `${ACCOUNT}:wrong`, ACCOUNT, 401, 20003],
  ['another account in the path', valid(), `${ACCOUNT}:${TOKEN}`, 'AC99999999999999999999999999999999', 404, 20404],
  ['no To', valid({ To: '' }), `${ACCOUNT}:${TOKEN}`, ACCOUNT, 400, 21604],
  ['a To that is not E.164', valid({ To: '015112345678' }), `${ACCOUNT}:${TOKEN}`, ACCOUNT, 400, 21211],
  ['neither From nor MessagingServiceSid', valid({ From: '' }), `${ACCOUNT}:${TOKEN}`, ACCOUNT, 400, 21603],
  ['an invalid From', valid({ From: '12-34' }), `${ACCOUNT}:${TOKEN}`, ACCOUNT, 400, 21212],
  ['no Body', valid({ Body: '' }), `${ACCOUNT}:${TOKEN}`, ACCOUNT, 400, 21602],
  ['a Body over 1600 characters', valid({ Body: 'x'.repeat(1601) }), `${ACCOUNT}:${TOKEN}`, ACCOUNT, 400, 21617],
  ['To equal to From', valid({ From: '+4915112345678' }), `${ACCOUNT}:${TOKEN}`, ACCOUNT, 400, 21266],
  ['an invalid StatusCallback', valid({ StatusCallback: 'not a url' }), `${ACCOUNT}:${TOKEN}`, ACCOUNT, 400, 21609],
])('a request with %s is refused in Twilio’s error shape', async (_what, fields, auth, account, status, code) => {
  const answer = await send(fields, auth, account);

  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ code, message: expect.any(String), more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  expect(twilio.recording.rejected).toHaveLength(1);
  if (status === 401) expect(answer.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
});

test('a recipient on the STOP list gets 21610 until opted back in', async () => {
  twilio.optOut('+4915100000001');
  expect((await send(valid({ To: '+4915100000001' }))).body).toMatchObject({ code: 21610, status: 400 });

  twilio.optIn('+4915100000001');
  expect((await send(valid({ To: '+4915100000001' }))).status).toBe(201);
});

test('an incoming STOP is delivered signed to the app and puts the sender on the STOP list; START takes it off', async () => {
  const webhook = `${receiverUrl}/twilio/inbound?tenant=t1`;
  const delivery = await twilio.sendInbound(webhook, { from: '+4915100000002', to: '+15005550006', body: ' stop ' });

  expect(delivery.status).toBe(204);
  expect(received[0]?.params).toMatchObject({ From: '+4915100000002', To: '+15005550006', Body: ' stop ', OptOutType: 'STOP', AccountSid: ACCOUNT });
  expect(received[0]?.headers['x-twilio-signature']).toBe(signatureFromTheSpec(webhook, received[0]!.params));
  expect((await send(valid({ To: '+4915100000002' }))).body).toMatchObject({ code: 21610 });

  await twilio.sendInbound(webhook, { from: '+4915100000002', to: '+15005550006', body: 'START' });
  expect(twilio.isOptedOut('+4915100000002')).toBe(false);
});

test('advance() sends sent then delivered to the StatusCallback, each signed as Twilio signs it', async () => {
  const callback = `${receiverUrl}/twilio/status?tenant=t1&attempt=1`;
  const { body } = await send(valid({ StatusCallback: callback }));

  const deliveries = await twilio.advance(String(body.sid));

  expect(deliveries.map((delivery) => delivery.status)).toEqual([204, 204]);
  expect(received.map((request) => request.params.MessageStatus)).toEqual(['sent', 'delivered']);
  for (const request of received) {
    expect(request.url).toBe(callback);
    expect(request.params).toMatchObject({ MessageSid: body.sid, SmsSid: body.sid, AccountSid: ACCOUNT, From: '+15005550006', To: '+4915112345678', ApiVersion: '2010-04-01' });
    expect(request.headers['x-twilio-signature']).toBe(signatureFromTheSpec(callback, request.params));
    expect(request.headers['i-twilio-idempotency-token']).toEqual(expect.any(String));
  }
  expect(twilio.message(String(body.sid))?.status).toBe('delivered');
});

test('a failed message gets one callback with its ErrorCode; undelivered goes through sent', async () => {
  const failing = await send(valid({ StatusCallback: `${receiverUrl}/status` }));
  await twilio.advance(String(failing.body.sid), 'failed', 30007);
  expect(received.map((request) => [request.params.MessageStatus, request.params.ErrorCode])).toEqual([['failed', '30007']]);

  received.length = 0;
  const lost = await send(valid({ StatusCallback: `${receiverUrl}/status` }));
  await twilio.advance(String(lost.body.sid), 'undelivered');
  expect(received.map((request) => [request.params.MessageStatus, request.params.ErrorCode])).toEqual([
    ['sent', undefined],
    ['undelivered', '30003'],
  ]);
});

test('with autoStatus the callbacks follow the 201 by themselves', async () => {
  const auto = new MockTwilioMessaging({ accountSid: ACCOUNT, authToken: TOKEN, autoStatus: 'delivered' });
  await auto.start();
  try {
    const response = await fetch(auto.messagesUrl(), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(valid({ StatusCallback: `${receiverUrl}/auto` })).toString(),
    });
    expect(response.status).toBe(201);
    await waitFor(() => received.length === 2, { timeoutMs: 2_000, what: 'two status callbacks' });
    expect(received.map((request) => request.params.MessageStatus)).toEqual(['sent', 'delivered']);
  } finally {
    await auto.stop();
  }
});
