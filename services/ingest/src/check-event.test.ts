import { exampleRecords, type RawEvent } from '@stratum/schemas';
import { checkEvent } from './check-event';
import type { Problem } from './reasons';

const raw = (over: Partial<RawEvent> = {}): RawEvent => ({ ...exampleRecords['events.raw'], ...over });
const identify = (over: Partial<RawEvent> = {}) => raw({ type: 'identify', event: null, traits: '{"plan":"pro"}', ...over });

function problemsOf(event: RawEvent): Problem[] {
  const result = checkEvent(event);
  return 'problems' in result ? result.problems : [];
}
const codes = (event: RawEvent) => problemsOf(event).map((p) => `${p.code}@${p.path ?? ''}`);

it('accepts the example track event and parses its parts', () => {
  const result = checkEvent(raw());
  if (!('event' in result)) throw new Error(JSON.stringify(result.problems));
  expect(result.event).toMatchObject({ type: 'track', userId: 'user-8812', anonymousId: '5e8f0a6d-2c47-4b1c-9e2a-3f2a9c1e7d4b', traits: {}, integrations: {} });
  expect(result.event.context).toMatchObject({ ip: '203.0.113.42', traits: { email: 'Ada.Lovelace@Example.com' } });
  expect(result.event.times).toEqual({ timestamp: exampleRecords['events.valid'].timestamp, originalTimestamp: exampleRecords['events.valid'].originalTimestamp, sentAt: exampleRecords['events.valid'].sentAt });
});

describe('call types', () => {
  it.each(['track', 'identify', 'page', 'screen', 'group', 'alias'])('knows %s', (type) => {
    expect(codes(raw({ type, groupId: 'g1', previousId: 'p1' }))).toEqual([]);
  });

  it.each(['Track', 'trak', '', 'batch', 'import'])('refuses type %j as invalid_type', (type) => {
    expect(codes(raw({ type }))).toEqual(['invalid_type@type']);
  });

  it('needs an event name for track', () => {
    expect(codes(raw({ event: null }))).toEqual(['missing_event_name@event']);
    expect(codes(raw({ event: '  ' }))).toEqual(['missing_event_name@event']);
    expect(codes(raw({ type: 'page', event: null }))).toEqual([]);
  });

  it('needs a groupId for group', () => {
    expect(codes(raw({ type: 'group', groupId: null }))).toEqual(['missing_group_id@groupId']);
  });

  it('needs userId and previousId, both real, for alias', () => {
    expect(codes(raw({ type: 'alias', previousId: null }))).toEqual(['missing_previous_id@previousId']);
    expect(codes(raw({ type: 'alias', previousId: 'anonymous' }))).toEqual(['illegal_previous_id@previousId']);
    expect(codes(raw({ type: 'alias', previousId: 'p1', userId: null }))).toEqual(['missing_user_id@userId']);
    expect(codes(raw({ type: 'alias', previousId: 'p1', userId: 'undefined' }))).toEqual(['illegal_user_id@userId']);
  });

  it('needs a messageId', () => {
    expect(codes(raw({ messageId: ' ' }))).toEqual(['missing_message_id@messageId']);
  });
});

describe('identity', () => {
  it('needs a userId or an anonymousId', () => {
    expect(codes(identify({ userId: null, anonymousId: null }))).toEqual(['missing_identity@userId']);
    expect(codes(identify({ userId: '', anonymousId: '' }))).toEqual(['missing_identity@userId']);
    expect(codes(identify({ userId: 'u1', anonymousId: null }))).toEqual([]);
    expect(codes(identify({ userId: null, anonymousId: 'a1' }))).toEqual([]);
  });

  it('treats an illegal userId as absent, and quarantines when nothing real is left', () => {
    const result = checkEvent(identify({ userId: 'NULL', anonymousId: 'a1' }));
    expect(result).toMatchObject({ event: { userId: null, anonymousId: 'a1', ignoredIdentifiers: [{ type: 'user_id', path: 'userId', reason: 'illegal_value' }] } });
    expect(problemsOf(identify({ userId: '[object Object]', anonymousId: null }))).toEqual([
      { code: 'illegal_identity', message: 'userId "[object Object]" is not usable; every event needs a real userId or anonymousId', path: 'userId' },
    ]);
    expect(codes(identify({ userId: '0', anonymousId: 'none' }))).toEqual(['illegal_identity@userId']);
  });
});

describe('the JSON parts', () => {
  it.each(['properties', 'traits', 'context', 'integrations'] as const)('refuses %s that is not an object', (field) => {
    expect(codes(raw({ [field]: '{"a":' }))).toEqual([`invalid_json@${field}`]);
    expect(codes(raw({ [field]: '["a"]' }))).toEqual([`not_an_object@${field}`]);
  });

  it("checks the shapes of the context parts identifiers come from", () => {
    expect(codes(raw({ context: '{"traits":"ada@example.com"}' }))).toEqual(['not_an_object@context.traits']);
    expect(codes(raw({ context: '{"externalIds":{"id":"1"}}' }))).toEqual(['invalid_external_id@context.externalIds']);
    expect(codes(raw({ context: '{"externalIds":[{"id":"1","type":"crm"},"x",{"id":true,"type":"crm"},{"id":"2"}]}' }))).toEqual([
      'invalid_external_id@context.externalIds[1]',
      'invalid_external_id@context.externalIds[2].id',
      'invalid_external_id@context.externalIds[3].type',
    ]);
  });
});

describe('timestamps', () => {
  it.each(['timestamp', 'originalTimestamp', 'sentAt'] as const)('refuses a %s that is not ISO-8601', (field) => {
    expect(problemsOf(raw({ [field]: '24/11/2026 09:30' }))).toEqual([{ code: 'invalid_timestamp', message: `${field} "24/11/2026 09:30" is not an ISO-8601 date-time`, path: field }]);
  });
});

it('reports every problem at once', () => {
  expect(codes(raw({ type: 'track', event: null, userId: null, anonymousId: null, sentAt: 'soon', properties: '[]' }))).toEqual([
    'not_an_object@properties',
    'invalid_timestamp@sentAt',
    'missing_identity@userId',
    'missing_event_name@event',
  ]);
});
