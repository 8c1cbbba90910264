/**
 * One realistic record of every schema (identifier hashes are the real SHA-256 of the canonical values), typed by the generated types (so they cannot drift from
 * the contract): golden-bytes fixtures, round-trip tests, the serde benchmark and docs use them.
 */
import type { SchemaTypes, SchemaName } from './generated/schemas';
import type { Identifier, ResolvedEvent, ValidEvent } from './generated/types';

const at = Date.UTC(2026, 10, 24, 9, 30, 0);
const tenantId = 'tn_01JD8Z6Q4M3W7X2V9K5R';
const sourceId = 'src_web_01JD8Z7B2C';
const messageId = 'ajs-next-1732440600000-3f2a9c1e-7d4b-4e2a-9b1c-5e8f0a6d2c47';

const properties = JSON.stringify({
  order_id: 'ord-50314',
  total: 89.97,
  revenue: 79.97,
  shipping: 10,
  currency: 'EUR',
  products: [
    { product_id: 'sku-1042', name: 'Trail Runner 2', price: 59.98, quantity: 2 },
    { product_id: 'sku-2210', name: 'Merino Socks', price: 19.99, quantity: 1 },
  ],
});
const context = JSON.stringify({
  ip: '203.0.113.42',
  locale: 'de-DE',
  library: { name: 'analytics.js', version: 'next-1.72.0' },
  page: { path: '/checkout/thanks', url: 'https://shop.example/checkout/thanks', referrer: 'https://shop.example/cart' },
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  traits: { email: 'Ada.Lovelace@Example.com', first_name: 'Ada', last_name: 'Lovelace', plan: 'pro' },
});

const identifiers: Identifier[] = [
  { type: 'user_id', namespace: null, value: 'user-8812', valueHash: '26edb154dc1742f7574a49a6f6ee96c8867ff0fa7e36ec020163e5f29751cab1', path: 'userId' },
  { type: 'anonymous_id', namespace: null, value: '5e8f0a6d-2c47-4b1c-9e2a-3f2a9c1e7d4b', valueHash: 'c2bd28cb91cd450d23a9fec19bfffead8b7ca4444ab96fa1d371bfecf966b4e7', path: 'anonymousId' },
  { type: 'email', namespace: null, value: null, valueHash: 'e814ff3dc480a94c7ce9334062ec4733c75a002f4bcec0197f62ffea64059e2f', path: 'context.traits.email' },
];

const valid: ValidEvent = {
  tenantId,
  sourceId,
  channel: 'http',
  messageId,
  type: 'track',
  timestamp: at - 180,
  originalTimestamp: at - 250,
  sentAt: at - 70,
  receivedAt: at,
  userId: 'user-8812',
  anonymousId: '5e8f0a6d-2c47-4b1c-9e2a-3f2a9c1e7d4b',
  event: 'Order Completed',
  name: null,
  groupId: null,
  previousId: null,
  properties,
  traits: '{}',
  context,
  integrations: '{"All":true}',
  identifiers,
  schemaVersion: '1.0.0',
  requestId: 'req_7Hc2kQ9xZ',
  validatedAt: at + 4,
};

const resolved: ResolvedEvent = {
  ...valid,
  dedupedAt: at + 9,
  profileId: 'prof_01JD8ZB4T6YF3N2Q8W1',
  canonical: {
    userId: 'user-8812',
    anonymousId: '5e8f0a6d-2c47-4b1c-9e2a-3f2a9c1e7d4b',
    emailHash: 'e814ff3dc480a94c7ce9334062ec4733c75a002f4bcec0197f62ffea64059e2f',
    phoneHash: null,
    identifiers: identifiers.map((i) => ({ ...i, path: null })),
  },
  mergedProfileIds: ['prof_01JD8Z9X1M2K4P6R8T0'],
  profileTraits: '{"first_name":"Ada","last_name":"Lovelace","plan":"pro"}',
  consents: [{ purpose: 'marketing', granted: true, updatedAt: at - 86_400_000 }],
  doNotContact: false,
  resolvedAt: at + 21,
};

const deliveryHead = { tenantId, destinationId: 'dst_meta_capi_01', destinationType: 'meta_capi', messageId, profileId: resolved.profileId };
const lastError = { code: 'http_429', message: 'Application request limit reached', httpStatus: 429, retryAfterMs: 30_000, retryable: true };

export const exampleRecords: { [K in SchemaName]: SchemaTypes[K] } = {
  'events.raw': {
    tenantId,
    sourceId,
    channel: 'http',
    messageId,
    type: 'track',
    receivedAt: at,
    sentAt: '2026-11-24T09:29:59.930Z',
    timestamp: null,
    originalTimestamp: '2026-11-24T09:29:59.750Z',
    userId: 'user-8812',
    anonymousId: '5e8f0a6d-2c47-4b1c-9e2a-3f2a9c1e7d4b',
    event: 'Order Completed',
    name: null,
    groupId: null,
    previousId: null,
    properties,
    traits: null,
    context,
    integrations: null,
    schemaVersion: null,
    requestId: 'req_7Hc2kQ9xZ',
  },
  'events.valid': valid,
  'events.invalid': {
    tenantId,
    sourceId,
    messageId: 'm-0042',
    stage: 'ingest',
    reasons: [{ code: 'unknown_type', path: 'type', message: 'type "trak" is not one of track, identify, page, screen, group, alias' }],
    origin: { topic: 'events.raw', partition: 3, offset: 18_442, timestamp: at },
    key: Buffer.from(`${tenantId}:m-0042`),
    value: Buffer.from('00000000011e', 'hex'),
    valueJson: '{"type":"trak","messageId":"m-0042"}',
    quarantinedAt: at + 3,
  },
  'events.unique': { ...valid, dedupedAt: at + 9 },
  'events.resolved': resolved,
  'profiles.changes': {
    tenantId,
    profileId: resolved.profileId,
    version: 7,
    change: 'merged',
    traits: resolved.profileTraits,
    traitSources: [{ trait: 'plan', sourceId, messageId, eventTimestamp: at - 180 }],
    identifiers: resolved.canonical.identifiers,
    consents: resolved.consents,
    doNotContact: false,
    absorbedProfileIds: resolved.mergedProfileIds,
    splitFromProfileId: null,
    causedBy: messageId,
    firstSeenAt: at - 30 * 86_400_000,
    lastSeenAt: at - 180,
    changedAt: at + 20,
  },
  'identity.audit': {
    auditId: '6f1d2c3b-4a59-4e8f-9b0a-1c2d3e4f5a6b',
    tenantId,
    action: 'merge',
    profileId: resolved.profileId,
    otherProfileIds: resolved.mergedProfileIds,
    identifiers: identifiers.slice(0, 2),
    provenance: { messageId, sourceId, eventTimestamp: at - 180, rule: 'exact:user_id', score: null, tier: 'exact', agreedFields: [], actor: null, reason: null },
    occurredAt: at + 20,
  },
  'delivery.attempts': {
    ...deliveryHead,
    attempt: 2,
    notBefore: at + 30_000,
    firstAttemptAt: at + 25,
    lastError,
    replayOf: null,
    backfill: false,
    event: resolved,
  },
  'delivery.outcomes': {
    ...deliveryHead,
    attempt: 2,
    status: 'delivered',
    reason: null,
    httpStatus: 200,
    latencyMs: 184,
    externalId: 'AbCdEfGh123_fbtrace',
    nextAttemptAt: null,
    occurredAt: at + 30_210,
  },
  'delivery.dlq': {
    dlqId: '0b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e',
    ...deliveryHead,
    attempts: 8,
    firstAttemptAt: at + 25,
    lastAttemptAt: at + 86_400_000,
    deadLetteredAt: at + 86_400_050,
    reason: 'attempts_exhausted',
    lastError: { ...lastError, code: 'http_5xx', message: 'Service Unavailable', httpStatus: 503, retryAfterMs: null },
    originTopic: 'delivery.retry.1h',
    event: resolved,
  },
  'consents.changes': {
    changeId: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a',
    tenantId,
    profileId: resolved.profileId,
    identifiers: [{ type: 'phone', namespace: null, value: null, valueHash: '536afd523e19dc83fccba822ef5e4ca646111314aaf0aa286667c5bea18dd70b', path: null }],
    purpose: 'sms',
    status: 'withdrawn',
    source: 'sms_keyword',
    messageId: null,
    evidence: '{"body":"STOP","from":"twilio"}',
    effectiveAt: at,
    recordedAt: at + 150,
  },
};
