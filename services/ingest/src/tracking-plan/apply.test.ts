import { sourceSettings, type PlannedEvent, type TrackingPlan, type TrackingPlanMode } from '@stratum/tenancy';
import { applyTrackingPlan, type PlanInput } from './apply';
import { ValidatorCache } from './compile';

const orderCompleted = (version: string, schema: PlannedEvent['schema']): PlannedEvent => ({ type: 'track', name: 'Order Completed', version, schema });

const v1 = orderCompleted('1.0.0', {
  type: 'object',
  properties: { order_id: { type: 'string' }, total: { type: 'number', minimum: 0 }, products: { type: 'array', items: { type: 'object', properties: { price: { type: 'number' } }, required: ['price'] } } },
  required: ['order_id', 'total'],
});
const v2 = orderCompleted('2.0.0', {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { order_id: { type: 'string' }, revenue: { type: 'number' }, placed_at: { type: 'string', format: 'date-time' } },
  required: ['order_id', 'revenue'],
});
const identifyV1: PlannedEvent = { type: 'identify', name: null, version: '1.0.0', schema: { type: 'object', properties: { email: { type: 'string', format: 'email' }, plan: { enum: ['free', 'pro'] } } } };

function source(mode: TrackingPlanMode, events: PlannedEvent[] = [v1, v2, identifyV1], defaultSchemaVersion = '1.0.0') {
  const trackingPlan: TrackingPlan = { mode, defaultSchemaVersion, events };
  return sourceSettings({ tenantId: 't1', sourceId: 's1', trackingPlan });
}

const track = (properties: Record<string, unknown>, over: Partial<PlanInput> = {}): PlanInput => ({ type: 'track', event: 'Order Completed', name: null, schemaVersion: null, properties, traits: {}, ...over });

describe.each(['allow', 'omit_unplanned_properties', 'block'] as const)('in every mode (%s)', (mode) => {
  it('passes a planned event that follows its schema, at the default version', () => {
    const result = applyTrackingPlan(track({ order_id: 'o1', total: 10 }), source(mode), new ValidatorCache());
    expect(result).toEqual({ result: { schemaVersion: '1.0.0', properties: { order_id: 'o1', total: 10 }, traits: {}, omitted: [] } });
  });

  it('quarantines a planned event that breaks its schema, naming every violation and its path', () => {
    const result = applyTrackingPlan(track({ total: -1, products: [{ price: 'x' }] }), source(mode), new ValidatorCache());
    expect(result).toEqual({
      problem: {
        code: 'plan_violation',
        path: 'properties.order_id',
        message: 'track "Order Completed" 1.0.0: properties.order_id must have required property \'order_id\'; properties.total must be >= 0; properties.products[0].price must be number',
      },
    });
  });

  it('validates against the version the event declares (semver, normalised)', () => {
    const cache = new ValidatorCache();
    expect(applyTrackingPlan(track({ order_id: 'o1', revenue: 5, placed_at: '2026-11-24T09:30:00Z' }, { schemaVersion: 'v2.0.0' }), source(mode), cache)).toMatchObject({ result: { schemaVersion: '2.0.0' } });
    expect(applyTrackingPlan(track({ order_id: 'o1', revenue: 5, placed_at: 'yesterday' }, { schemaVersion: '2.0.0' }), source(mode), cache)).toMatchObject({
      problem: { code: 'plan_violation', path: 'properties.placed_at' },
    });
  });

  it('quarantines a version that is not semver, and a version the plan does not have for the event', () => {
    expect(applyTrackingPlan(track({}, { schemaVersion: '2' }), source(mode), new ValidatorCache())).toMatchObject({ problem: { code: 'invalid_schema_version', path: 'schemaVersion' } });
    expect(applyTrackingPlan(track({}, { schemaVersion: '1.1.0' }), source(mode), new ValidatorCache())).toEqual({
      problem: { code: 'unknown_schema_version', path: 'schemaVersion', message: 'track "Order Completed" is planned at version 1.0.0, 2.0.0, not at schemaVersion 1.1.0' },
    });
    expect(applyTrackingPlan(track({}), source(mode, [v2]), new ValidatorCache())).toMatchObject({ problem: { code: 'unknown_schema_version', message: expect.stringContaining("the plan's default version 1.0.0") } });
  });

  it('stamps an unplanned event with its declared version, or the default', () => {
    if (mode === 'block') return;
    expect(applyTrackingPlan(track({ x: 1 }, { event: 'Signed Up' }), source(mode), new ValidatorCache())).toEqual({ result: { schemaVersion: '1.0.0', properties: { x: 1 }, traits: {}, omitted: [] } });
    expect(applyTrackingPlan(track({}, { event: 'Signed Up', schemaVersion: '3.1.4' }), source(mode), new ValidatorCache())).toMatchObject({ result: { schemaVersion: '3.1.4' } });
  });

  it('validates identify traits against the identify entry', () => {
    const input: PlanInput = { type: 'identify', event: null, name: null, schemaVersion: null, properties: {}, traits: { email: 'not an email' } };
    expect(applyTrackingPlan(input, source(mode), new ValidatorCache())).toMatchObject({ problem: { code: 'plan_violation', path: 'traits.email' } });
  });

  it('never plans alias', () => {
    const input: PlanInput = { type: 'alias', event: null, name: null, schemaVersion: null, properties: {}, traits: {} };
    expect(applyTrackingPlan(input, source(mode), new ValidatorCache())).toMatchObject({ result: { schemaVersion: '1.0.0' } });
  });

  it("quarantines an event whose planned schema does not compile as the plan's fault", () => {
    const broken = orderCompleted('1.0.0', { type: 'object', properties: { total: { type: 'nummber' } } });
    expect(applyTrackingPlan(track({ total: 1 }), source(mode, [broken]), new ValidatorCache())).toMatchObject({ problem: { code: 'invalid_plan_schema', message: expect.stringContaining('does not compile') } });
  });
});

it('allow and omit_unplanned_properties let unplanned events through; block quarantines them', () => {
  const signedUp = track({ plan: 'pro' }, { event: 'Signed Up' });
  expect(applyTrackingPlan(signedUp, source('allow'), new ValidatorCache())).toMatchObject({ result: { properties: { plan: 'pro' } } });
  expect(applyTrackingPlan(signedUp, source('omit_unplanned_properties'), new ValidatorCache())).toMatchObject({ result: { properties: { plan: 'pro' }, omitted: [] } });
  expect(applyTrackingPlan(signedUp, source('block'), new ValidatorCache())).toEqual({
    problem: { code: 'unplanned_event', path: 'event', message: 'track "Signed Up" is not in the tracking plan, and the source blocks unplanned events' },
  });
  const page: PlanInput = { type: 'page', event: null, name: 'Home', schemaVersion: null, properties: {}, traits: {} };
  expect(applyTrackingPlan(page, source('block'), new ValidatorCache())).toMatchObject({ problem: { code: 'unplanned_event', path: 'type' } });
});

it('omit_unplanned_properties removes top-level properties the schema does not declare, before validating; nested ones stay', () => {
  const strict = orderCompleted('1.0.0', { type: 'object', properties: { order_id: { type: 'string' }, meta: { type: 'object' } }, patternProperties: { '^x_': {} }, additionalProperties: false });
  const input = track({ order_id: 'o1', coupon: 'SAVE', utm: { a: 1 }, x_debug: true, meta: { anything: 1 } });
  expect(applyTrackingPlan(input, source('omit_unplanned_properties', [strict]), new ValidatorCache())).toEqual({
    result: { schemaVersion: '1.0.0', properties: { order_id: 'o1', x_debug: true, meta: { anything: 1 } }, traits: {}, omitted: ['properties.coupon', 'properties.utm'] },
  });
  // allow keeps them, so additionalProperties: false refuses the event.
  expect(applyTrackingPlan(input, source('allow', [strict]), new ValidatorCache())).toEqual({
    problem: { code: 'plan_violation', path: 'properties.coupon', message: 'track "Order Completed" 1.0.0: properties.coupon must NOT have additional properties; properties.utm must NOT have additional properties' },
  });
  expect(input.properties).toEqual({ order_id: 'o1', coupon: 'SAVE', utm: { a: 1 }, x_debug: true, meta: { anything: 1 } });
});

it('omit_unplanned_properties omits nothing from a schema that lists no properties', () => {
  const open = orderCompleted('1.0.0', { type: 'object' });
  expect(applyTrackingPlan(track({ a: 1 }), source('omit_unplanned_properties', [open]), new ValidatorCache())).toMatchObject({ result: { properties: { a: 1 }, omitted: [] } });
});

it('omits unplanned identify traits the same way', () => {
  const input: PlanInput = { type: 'identify', event: null, name: null, schemaVersion: null, properties: {}, traits: { email: 'ada@example.com', shoe_size: 38 } };
  expect(applyTrackingPlan(input, source('omit_unplanned_properties'), new ValidatorCache())).toMatchObject({ result: { traits: { email: 'ada@example.com' }, omitted: ['traits.shoe_size'] } });
});
