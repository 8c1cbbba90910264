/**
 * Contract check: each adapter's requests, sent over HTTP to the @stratum/testing mock of its
 * platform (which validates as the platform documents), are accepted, and each mock's answers and
 * injected faults classify as expected. Local servers only, well under a second.
 */
import {
  MockGa4MeasurementProtocol,
  MockMetaConversionsApi,
  MockPipedrive,
  MockTikTokEventsApi,
  MockTwilioMessaging,
  MockWebhookReceiver,
  type MockPlatform,
} from '@stratum/testing';
import { ga4Adapter } from './ga4/ga4-adapter';
import { classifyGa4Validation, ga4ValidationRequest } from './ga4/ga4-validation';
import { metaCapiAdapter } from './meta/meta-capi-adapter';
import { pipedriveAdapter } from './pipedrive/pipedrive-adapter';
import { EMAIL, PHONE, resolvedEvent, type EventInput } from './resolved-event.fixture';
import { tiktokAdapter } from './tiktok/tiktok-adapter';
import { nextMessageState, type MessageState } from './twilio/message-state';
import { twilioSmsAdapter } from './twilio/twilio-adapter';
import { verifyTwilioSignature } from './twilio/twilio-signature';
import type { BatchAdapter, Classification, HttpRequest, HttpResult, PreparedEvent } from './types';
import { webhookAdapter } from './webhook/webhook-adapter';

const mocks: MockPlatform<unknown>[] = [];
async function started<T extends MockPlatform<unknown>>(mock: T): Promise<T> {
  await mock.start();
  mocks.push(mock);
  return mock;
}
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.stop()));
});

async function send(request: HttpRequest): Promise<HttpResult> {
  try {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, ...(request.body === null ? {} : { body: request.body }), redirect: 'manual' });
    return { response: { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() } };
  } catch (networkError) {
    return { networkError };
  }
}

/** Events happening now (the mocks judge event age by the real clock). */
function events(count: number, input: EventInput = {}) {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => resolvedEvent({ messageId: `contract-${i}`, timestamp: now - 60_000 + i, ...input }));
}

async function deliver<C, P>(adapter: BatchAdapter<C, P>, config: C, input: EventInput = {}, count = 3): Promise<{ requests: HttpRequest[]; outcomes: Classification[] }> {
  const ctx = { destinationId: 'dst_contract', now: Date.now() };
  const prepared = events(count, input).map((e) => adapter.prepare(e, config, ctx));
  for (const p of prepared) if (p.kind === 'skip') throw new Error(`skipped: ${p.reason} ${p.message}`);
  const requests = adapter.buildRequests(prepared as PreparedEvent<P>[], config, ctx);
  const outcomes: Classification[] = [];
  for (const r of requests) outcomes.push(adapter.classify(await send(r), r, ctx));
  return { requests, outcomes };
}

it('webhook: the Standard Webhooks receiver verifies our signature and sees a retry as the same webhook-id', async () => {
  const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
  const mock = await started(new MockWebhookReceiver({ secret }));
  const config = webhookAdapter.parseConfig({ settings: { url: `${mock.url}/hooks/stratum` }, credentials: { secrets: [secret] } });
  const first = await deliver(webhookAdapter, config, {}, 1);
  const retry = await deliver(webhookAdapter, config, {}, 1);
  expect([...first.outcomes, ...retry.outcomes].map((o) => o.outcome)).toEqual(['delivered', 'delivered']);
  expect(mock.recording.events).toHaveLength(1);
  expect(mock.recording.duplicates).toHaveLength(1);
  mock.faults.failNext(1, 503);
  expect((await deliver(webhookAdapter, config, {}, 1)).outcomes[0]!.error?.code).toBe('http_5xx');
});

it('meta_capi: Meta takes the batch, deduplicates a resend by event_id, and a 429 is a retry', async () => {
  const mock = await started(new MockMetaConversionsApi({ pixelId: '1234567890' }));
  const config = metaCapiAdapter.parseConfig({ settings: { pixelId: '1234567890', baseUrl: mock.url }, credentials: { accessToken: 'meta-test-access-token' } });
  expect((await deliver(metaCapiAdapter, config)).outcomes.map((o) => o.outcome)).toEqual(['delivered']);
  await deliver(metaCapiAdapter, config);
  expect([mock.recording.events.length, mock.recording.duplicates.length, mock.recording.rejected.length]).toEqual([3, 3, 0]);
  mock.faults.rateLimitNext(1, 7);
  expect((await deliver(metaCapiAdapter, config)).outcomes[0]!.error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 7000 });
  const wrongToken = metaCapiAdapter.parseConfig({ settings: { pixelId: '1234567890', baseUrl: mock.url }, credentials: { accessToken: 'expired' } });
  expect((await deliver(metaCapiAdapter, wrongToken)).outcomes[0]!.error).toMatchObject({ code: 'auth_failed', retryable: false });
});

it('ga4: GA4 processes every event (nothing silently dropped) and the validation server finds nothing', async () => {
  const mock = await started(new MockGa4MeasurementProtocol());
  const config = ga4Adapter.parseConfig({ settings: { measurementId: 'G-TEST000000', baseUrl: mock.url }, credentials: { apiSecret: 'ga4-test-api-secret' } });
  const { requests, outcomes } = await deliver(ga4Adapter, config, { type: 'page', event: null, name: 'Thanks' });
  expect(outcomes.map((o) => o.outcome)).toEqual(['delivered']);
  expect([mock.recording.events.length, mock.recording.dropped]).toEqual([3, []]);
  expect(classifyGa4Validation(await send(ga4ValidationRequest(requests[0]!)), { now: Date.now() }).outcome).toBe('delivered');
  await deliver(ga4Adapter, config);
  expect(mock.recording.dropped).toEqual([]);
});

it('tiktok: TikTok answers code 0, and its HTTP-200 errors classify by code', async () => {
  const mock = await started(new MockTikTokEventsApi());
  const config = tiktokAdapter.parseConfig({ settings: { pixelCode: 'CONTRACTPIXEL0001', baseUrl: mock.url }, credentials: { accessToken: 'tiktok-test-access-token' } });
  expect((await deliver(tiktokAdapter, config)).outcomes[0]).toMatchObject({ outcome: 'delivered', externalId: expect.any(String) });
  expect(mock.recording.events).toHaveLength(3);
  const wrongToken = tiktokAdapter.parseConfig({ settings: { pixelCode: 'CONTRACTPIXEL0001', baseUrl: mock.url }, credentials: { accessToken: 'nope' } });
  expect((await deliver(tiktokAdapter, wrongToken)).outcomes[0]!.error).toMatchObject({ code: 'auth_failed', httpStatus: 200 });
});

it('twilio_sms: Twilio queues the text, signs callbacks our verifier accepts, and refuses an opted-out number', async () => {
  const mock = await started(new MockTwilioMessaging());
  const config = twilioSmsAdapter.parseConfig({
    settings: { accountSid: mock.accountSid, from: '+15005550006', baseUrl: mock.url, templates: { 'Order Completed': 'Order {{properties.order_id}} confirmed' }, statusCallbackUrl: 'http://127.0.0.1:9/twilio/status' },
    credentials: { authToken: 'twilio-test-auth-token' },
  });
  const sent = await deliver(twilioSmsAdapter, config, {}, 1);
  const sid = sent.outcomes[0]!.externalId!;
  expect(sid).toMatch(/^SM/);
  const callbacks = await mock.advance(sid, 'delivered');
  let state: MessageState | null = 'queued';
  for (const c of [...callbacks].reverse()) {
    expect(verifyTwilioSignature({ authToken: 'twilio-test-auth-token', url: c.url, params: c.params, signature: c.headers['x-twilio-signature']! })).toBe(true);
    state = nextMessageState(state, c.params.MessageStatus ?? '');
  }
  // Delivered arrives first here (reversed), a late "sent" must not undo it.
  expect(state).toBe('delivered');
  expect(callbacks[0]!.url).toContain('stratum_key=msg_');
  mock.optOut(PHONE);
  expect((await deliver(twilioSmsAdapter, config, {}, 1)).outcomes[0]).toMatchObject({ outcome: 'opted_out', error: { code: 'opted_out', retryable: false } });
});

it('pipedrive: the flow creates a person, upserts it again without a duplicate, and mirrors a merge', async () => {
  const mock = await started(new MockPipedrive());
  const FIELD = 'c'.repeat(40);
  const config = pipedriveAdapter.parseConfig({ settings: { baseUrl: mock.url, profileIdField: FIELD }, credentials: { apiToken: 'pipedrive-test-api-token' } });
  const run = async (input: EventInput): Promise<Classification> => {
    const ctx = { destinationId: 'dst_contract', now: Date.now() };
    const p = pipedriveAdapter.prepare(events(1, { type: 'identify', event: null, ...input })[0]!, config, ctx);
    if (p.kind === 'skip') throw new Error(p.reason);
    let step = pipedriveAdapter.start(p, config, ctx);
    while (!step.done) step = pipedriveAdapter.next(step.state, await send(step.request), config, ctx);
    return step.classification;
  };
  const oldProfile = await run({ profileId: 'prof_old', profileTraits: { email: 'ada@old.example', name: 'Ada (old)' } });
  const first = await run({});
  const again = await run({});
  expect([oldProfile.outcome, first.outcome, again.outcome]).toEqual(['delivered', 'delivered', 'delivered']);
  expect(again.externalId).toBe(first.externalId);
  expect(mock.personsWithEmail(EMAIL)).toHaveLength(1);
  const merged = await run({ mergedProfileIds: ['prof_old'] });
  expect(merged).toMatchObject({ outcome: 'delivered', externalId: first.externalId });
  expect(mock.personsWithEmail('ada@old.example').map((p) => p.id)).toEqual([Number(first.externalId)]);
});
