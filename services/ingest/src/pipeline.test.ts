/** The whole stage's steps on decoded records (no Kafka): what each record becomes. */
import { classifyError } from '@stratum/errors';
import { sha256Hex } from '@stratum/identifiers';
import { exampleRecords, type RawEvent, type ValidEvent } from '@stratum/schemas';
import type { PipelineOutcome, RecordContext } from '@stratum/stream';
import { inMemoryDirectory, sourceSettings, tenancyErrors, type SourceSettings, type TenancyDirectory } from '@stratum/tenancy';
import { countingIngestMetrics } from './metrics';
import { ingestStage } from './pipeline';

const example = exampleRecords['events.raw'];
const NOW = Date.UTC(2026, 10, 24, 9, 30, 0, 4);
const settings = (over: Partial<SourceSettings> = {}) => sourceSettings({ tenantId: example.tenantId, sourceId: example.sourceId, ...over });
const raw = (over: Partial<RawEvent> = {}): RawEvent => ({ ...example, ...over });
const ctx = (i: number): RecordContext => ({ topic: 'events.raw', partition: 0, offset: String(i), timestamp: NOW, key: null, headers: {} });

async function run(events: RawEvent[], directory: TenancyDirectory = inMemoryDirectory([{ settings: settings(), writeKeys: [] }]), metrics = countingIngestMetrics()) {
  const stage = ingestStage({ directory, metrics, now: () => NOW });
  return stage.pipeline.run(events, events.map((_, i) => ctx(i)));
}

function valid(outcome: PipelineOutcome<ValidEvent> | undefined): ValidEvent {
  if (outcome?.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

it('turns the example raw event into the example valid event (identifiers, hashes, corrected time)', async () => {
  const [outcome] = await run([example]);
  const expected = exampleRecords['events.valid'];
  expect(valid(outcome)).toEqual({ ...expected, integrations: '{}', validatedAt: NOW });
});

it('keys valid events by tenantId:messageId', () => {
  const stage = ingestStage({ directory: inMemoryDirectory([]) });
  expect(stage.emit(exampleRecords['events.valid'], ctx(0))).toEqual([{ output: 'valid', key: `${example.tenantId}:${example.messageId}`, value: exampleRecords['events.valid'] }]);
});

it('looks each distinct source up once per chunk', async () => {
  const calls: string[] = [];
  const inner = inMemoryDirectory([{ settings: settings(), writeKeys: [] }, { settings: settings({ sourceId: 'src-2' }), writeKeys: [] }]);
  const counting: TenancyDirectory = { ...inner, source: async (t, s) => (calls.push(`${t}/${s}`), inner.source(t, s)) };
  const events = Array.from({ length: 60 }, (_, i) => raw({ messageId: `m${i}`, sourceId: ['src-2', example.sourceId, 'src-3'][i % 3]! }));
  const outcomes = await run(events, counting);
  expect(calls.sort()).toEqual([`${example.tenantId}/src-2`, `${example.tenantId}/src-3`, `${example.tenantId}/${example.sourceId}`].sort());
  expect(outcomes.map((o) => (o.kind === 'ok' ? 'ok' : o.kind === 'quarantine' ? o.reason : o.kind))).toEqual(events.map((_, i) => (i % 3 === 2 ? 'unknown_source' : 'ok')));
});

it('quarantines events of unknown and disabled sources', async () => {
  const directory = inMemoryDirectory([{ settings: settings({ enabled: false }), writeKeys: [] }]);
  const [disabled, unknown] = await run([raw(), raw({ tenantId: 'other' })], directory);
  expect(disabled).toMatchObject({ kind: 'quarantine', reason: 'source_disabled', path: 'sourceId', step: 'look-up-source' });
  expect(unknown).toMatchObject({ kind: 'quarantine', reason: 'unknown_source', path: 'sourceId' });
});

it('lets a retriable directory failure through to the runtime (retry), instead of quarantining', async () => {
  const down: TenancyDirectory = {
    sourceForWriteKey: async () => null,
    source: async () => {
      throw tenancyErrors.error('tenancy_unavailable', 'cannot read tenancy: PostgreSQL is unreachable');
    },
  };
  const failure = await run([raw()], down).catch((err: unknown) => err);
  expect(tenancyErrors.is(failure, 'tenancy_unavailable')).toBe(true);
  expect(classifyError(failure)).toBe('retriable');
});

it('quarantines with every problem found: the first is the reason, the others follow', async () => {
  const [outcome] = await run([raw({ event: null, sentAt: 'soon' })]);
  expect(outcome).toEqual({
    kind: 'quarantine',
    step: 'check-event',
    reason: 'invalid_timestamp',
    path: 'sentAt',
    message: 'sentAt "soon" is not an ISO-8601 date-time',
    more: [{ code: 'missing_event_name', path: 'event', message: 'track needs an event name' }],
  });
});

it('applies the tracking plan and stores the schema version', async () => {
  const plan = { mode: 'omit_unplanned_properties' as const, defaultSchemaVersion: '1.0.0', events: [{ type: 'track' as const, name: 'Order Completed', version: '1.0.0', schema: { type: 'object', properties: { order_id: { type: 'string' } } } }] };
  const metrics = countingIngestMetrics();
  const [outcome] = await run([raw()], inMemoryDirectory([{ settings: settings({ trackingPlan: plan }), writeKeys: [] }]), metrics);
  expect(valid(outcome)).toMatchObject({ schemaVersion: '1.0.0', properties: '{"order_id":"ord-50314"}' });
  expect(metrics.omittedProperties).toBe(5);
});

it('drops cleartext PII after hashing it when the policy says drop', async () => {
  const event = raw({ type: 'identify', event: null, traits: JSON.stringify({ email: 'Ada@Example.com', phone: '030 901820', plan: 'pro' }) });
  const [outcome] = await run([event], inMemoryDirectory([{ settings: settings({ piiPolicy: 'drop', defaultPhoneRegion: 'DE' }), writeKeys: [] }]));
  const out = valid(outcome);
  expect(JSON.parse(out.traits)).toEqual({ plan: 'pro' });
  expect(JSON.parse(out.context)).not.toHaveProperty('ip');
  expect(JSON.parse(out.context).traits).toEqual({ first_name: 'Ada', last_name: 'Lovelace', plan: 'pro' });
  expect(out.identifiers.filter((i) => i.type === 'email' || i.type === 'phone')).toEqual([
    { type: 'email', namespace: null, value: null, valueHash: sha256Hex('ada@example.com'), path: 'traits.email' },
    { type: 'phone', namespace: null, value: null, valueHash: sha256Hex('+4930901820'), path: 'traits.phone' },
    { type: 'email', namespace: null, value: null, valueHash: sha256Hex('ada.lovelace@example.com'), path: 'context.traits.email' },
  ]);
  expect(JSON.stringify(out)).not.toMatch(/@example\.com|901820|203\.0\.113\.42/i);
});

it('forwards an event with an illegal userId without it, and counts what it could not use', async () => {
  const metrics = countingIngestMetrics();
  const [outcome] = await run([raw({ userId: 'undefined', context: JSON.stringify({ traits: { phone: '12' } }) })], undefined, metrics);
  const out = valid(outcome);
  expect(out.userId).toBeNull();
  expect(out.identifiers.map((i) => i.type)).toEqual(['anonymous_id']);
  expect([...metrics.rejectedIdentifiers]).toEqual([
    ['user_id/illegal_value', 1],
    ['phone/no_phone_region', 1],
  ]);
});

it('writes "{}" for parts the client did not send', async () => {
  const [outcome] = await run([raw({ properties: null, context: null, traits: null, integrations: null })]);
  expect(valid(outcome)).toMatchObject({ properties: '{}', traits: '{}', context: '{}', integrations: '{}' });
});
