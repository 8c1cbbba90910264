import fc from 'fast-check';
import { Refusal } from '../http/errors';
import type { JsonObject } from '../http/parse-json';
import { buildRawEvent as build, type RequestStamp } from './build-raw-event';
import { eventJson } from './event-json';
import { NO_DEFAULTS, type BatchDefaults } from './request-events';

/** buildRawEvent with the object texts made as the gateway makes them. */
function buildRawEvent(event: JsonObject, type: Parameters<typeof build>[2], defaults: BatchDefaults, stampOf: RequestStamp) {
  const json = eventJson(event, 0);
  if (json instanceof Refusal) throw new Error(json.message);
  return build(event, json.objects, type, defaults, stampOf);
}

const stamp: RequestStamp = { tenantId: 't', sourceId: 's', receivedAt: 1_700_000_000_000, requestId: 'r-1' };

describe('buildRawEvent', () => {
  it('carries ids that are finite numbers as the text JavaScript prints for them', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), (n) => {
        const event = buildRawEvent({ userId: n, anonymousId: n, timestamp: n }, 'identify', NO_DEFAULTS, stamp);
        expect([event.userId, event.anonymousId, event.timestamp]).toEqual([String(n), String(n), String(n)]);
      }),
    );
  });

  it('keeps free-form objects as JSON text that parses back to what was sent', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (properties) => {
        const event = buildRawEvent({ userId: 'u', event: 'E', properties }, 'track', NO_DEFAULTS, stamp);
        expect(JSON.parse(event.properties!)).toEqual(JSON.parse(JSON.stringify(properties)));
      }),
    );
  });

  it("uses the batch's context text as is when the event has none, and merges shallowly when it has one", () => {
    const defaults: BatchDefaults = { ...NO_DEFAULTS, context: { a: 1, nested: { x: 1 } }, contextJson: '{"a":1,"nested":{"x":1}}' };
    expect(buildRawEvent({ userId: 'u' }, 'identify', defaults, stamp).context).toBe('{"a":1,"nested":{"x":1}}');
    expect(JSON.parse(buildRawEvent({ userId: 'u', context: { nested: { y: 2 } } }, 'identify', defaults, stamp).context!)).toEqual({ a: 1, nested: { y: 2 } });
  });

  it('cannot be made to pollute prototypes through a merged __proto__ key', () => {
    const own = JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const defaults: BatchDefaults = { ...NO_DEFAULTS, context: { a: 1 }, contextJson: '{"a":1}' };
    const event = buildRawEvent({ userId: 'u', context: own }, 'identify', defaults, stamp);
    expect(JSON.parse(event.context!)).toEqual(JSON.parse('{"a":1,"__proto__":{"polluted":true}}'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
