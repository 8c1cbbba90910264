/** JSON Schemas of the request bodies: the Segment envelope per call type, and the batch. */
import { SEGMENT_TYPES, type SegmentType } from '../events/routes';
import type { JsonSchema } from './types';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const idValue = (description: string): JsonSchema => ({
  type: ['string', 'number'],
  description: `${description} A number is carried as its decimal text; integers above 2^53 must be sent as strings.`,
});
const text = (description: string): JsonSchema => ({ type: ['string', 'number', 'null'], description });
const object = (description: string): JsonSchema => ({ type: ['object', 'null'], description, additionalProperties: true });

/** Fields every call may carry. */
const COMMON_PROPERTIES: Record<string, JsonSchema> = {
  messageId: { ...idValue('Unique id of the event: the dedup key. A UUID is assigned when it is missing or empty; a retry must reuse it.'), type: ['string', 'number', 'null'] },
  userId: { ...idValue('Your stable id for the user. userId or anonymousId is required.'), type: ['string', 'number', 'null'] },
  anonymousId: { ...idValue('Device or browser id. userId or anonymousId is required.'), type: ['string', 'number', 'null'] },
  timestamp: text('ISO-8601 event time, kept as sent (historical for /v1/import). Checked by ingest, not here.'),
  originalTimestamp: text('ISO-8601 event time on the client clock, kept as sent.'),
  sentAt: text("ISO-8601 time the client sent the event; defaults to the batch's sentAt."),
  context: object("Segment context (ip, library, page, device, ...); merged over the batch's context, the event's keys win."),
  integrations: object("Per-destination switches; merged over the batch's integrations, the event's keys win."),
  schemaVersion: text("Semver of the tracking-plan schema the event was built against; defaults to the batch's."),
  writeKey: { type: 'string', description: 'The write key, when it is not sent with HTTP Basic auth.' },
};

const SPECIFIC: Record<SegmentType, { description: string; properties: Record<string, JsonSchema>; required: string[] }> = {
  track: {
    description: 'A track call: something the user did.',
    properties: { event: { type: ['string', 'number'], minLength: 1, description: 'The event name, e.g. "Order Completed".' }, properties: object('Event properties.') },
    required: ['event'],
  },
  identify: { description: 'An identify call: who the user is.', properties: { traits: object('User traits.') }, required: [] },
  page: { description: 'A page view.', properties: { name: text('The page name.'), properties: object('Page properties.') }, required: [] },
  screen: { description: 'A mobile screen view.', properties: { name: text('The screen name.'), properties: object('Screen properties.') }, required: [] },
  group: {
    description: 'A group call: the account or company the user belongs to.',
    properties: { groupId: { ...idValue('The group id.') }, traits: object('Group traits.') },
    required: ['groupId'],
  },
  alias: { description: 'An alias call: previousId and userId are the same person.', properties: { previousId: { ...idValue('The earlier userId or anonymousId.') } }, required: ['previousId'] },
};

export function schemaName(type: SegmentType): string {
  return `${type[0]!.toUpperCase()}${type.slice(1)}Event`;
}

function eventSchema(type: SegmentType, typeRequired: boolean): JsonSchema {
  const spec = SPECIFIC[type];
  return {
    type: 'object',
    description: `${spec.description} Either userId or anonymousId must be a non-empty string or a number. Other top-level fields are accepted and not stored.`,
    properties: {
      type: { const: type, description: typeRequired ? 'Required in a batch.' : 'Optional; when present it must be this route\'s type.' },
      ...COMMON_PROPERTIES,
      ...spec.properties,
    },
    required: typeRequired ? ['type', ...spec.required] : spec.required,
    anyOf: [{ required: ['userId'] }, { required: ['anonymousId'] }],
    additionalProperties: true,
  };
}

/** One schema per call type (single-event bodies), one per call type as a batch item, and the batch. */
export function eventSchemas(): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  for (const type of SEGMENT_TYPES) {
    schemas[schemaName(type)] = eventSchema(type, false);
    schemas[`Batch${schemaName(type)}`] = eventSchema(type, true);
  }
  schemas['BatchItem'] = {
    oneOf: SEGMENT_TYPES.map((type) => ref(`Batch${schemaName(type)}`)),
    discriminator: { propertyName: 'type', mapping: Object.fromEntries(SEGMENT_TYPES.map((type) => [type, `#/components/schemas/Batch${schemaName(type)}`])) },
  };
  schemas['BatchRequest'] = {
    type: 'object',
    description: 'A batch (Segment and RudderStack shape). Top-level context and integrations are merged into every event (the event\'s own keys win); sentAt and schemaVersion are defaults for events without their own.',
    properties: {
      batch: { type: 'array', minItems: 1, items: ref('BatchItem'), description: 'The events; at most the source\'s maxBatchEvents (2,500 by default).' },
      context: object('Context for every event.'),
      integrations: object('Integrations for every event.'),
      sentAt: text('When the client sent the batch.'),
      schemaVersion: text('Default schemaVersion for the events.'),
      writeKey: { type: 'string', description: 'The write key, when it is not sent with HTTP Basic auth.' },
    },
    required: ['batch'],
    additionalProperties: true,
  };
  return schemas;
}
