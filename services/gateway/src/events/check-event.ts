/**
 * Structural checks of one event at the edge: cheap, and only what a RawEvent needs to exist and
 * mean something (a type, an identity, the field that names a track/alias/group call, JSON types
 * the schema can carry). Values ("null" as a userId, bad timestamps, tracking plans) are ingest's
 * to judge: it quarantines with a reason instead of refusing.
 */
import { refusal, type Refusal, type RefusalDetails } from '../http/errors';
import { describeJsonType, isJsonObject, type JsonObject } from '../http/parse-json';
import { ID_FIELDS, OBJECT_FIELDS, TEXT_FIELDS, isPresentId } from './fields';
import { SEGMENT_TYPES, isSegmentType, type SegmentType } from './routes';

/** Where an event sits: `index` in a batch, or undefined for a single-event route. */
export type EventPosition = number | undefined;

function at(index: EventPosition, field?: string): string {
  const where = index === undefined ? '' : `batch[${index}]`;
  if (field === undefined) return where === '' ? 'event' : where;
  return where === '' ? field : `${where}.${field}`;
}

/** A short, safe rendering of a client value for a message (never stringifies a deep structure). */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : describeJsonType(value);
}

function details(index: EventPosition, field: string, extra: RefusalDetails = {}): RefusalDetails {
  return { ...(index === undefined ? {} : { index }), field, ...extra };
}

/** Type of a single-event route's body: the route's; a different `type` in the body is refused. */
function routeTypeOf(event: JsonObject, routeType: SegmentType, index: EventPosition): SegmentType | Refusal {
  const type = event['type'];
  if (type === undefined || type === null || type === routeType) return routeType;
  return refusal('type_mismatch', `${at(index, 'type')} is ${shown(type)} but this endpoint takes ${routeType} calls`, details(index, 'type'));
}

function batchTypeOf(event: JsonObject, index: EventPosition): SegmentType | Refusal {
  const type = event['type'];
  if (isSegmentType(type)) return type;
  const what = type === undefined ? 'is missing' : `is ${shown(type)}`;
  return refusal('invalid_type', `${at(index, 'type')} ${what}; it must be one of ${SEGMENT_TYPES.join(', ')}`, details(index, 'type'));
}

function checkFieldTypes(event: JsonObject, index: EventPosition): Refusal | undefined {
  for (const field of TEXT_FIELDS) {
    const value = event[field];
    if (value === undefined || value === null || typeof value === 'string') continue;
    if (typeof value === 'number' && Number.isFinite(value)) {
      if (ID_FIELDS.has(field) && Number.isInteger(value) && !Number.isSafeInteger(value)) {
        return refusal('invalid_field', `${at(index, field)} is an integer above 2^53, which JSON numbers cannot hold exactly; send it as a string`, details(index, field, { expected: 'string' }));
      }
      continue;
    }
    return refusal('invalid_field', `${at(index, field)} is ${describeJsonType(value)}; expected a string or a number`, details(index, field, { expected: 'string or number' }));
  }
  for (const field of OBJECT_FIELDS) {
    const value = event[field];
    if (value === undefined || value === null || isJsonObject(value)) continue;
    return refusal('invalid_field', `${at(index, field)} is ${describeJsonType(value)}; expected a JSON object`, details(index, field, { expected: 'object' }));
  }
  return undefined;
}

/** The field a call type cannot do without, and the code for its absence. */
const REQUIRED_BY_TYPE: Partial<Record<SegmentType, { field: string; code: 'missing_event_name' | 'missing_previous_id' | 'missing_group_id' }>> = {
  track: { field: 'event', code: 'missing_event_name' },
  alias: { field: 'previousId', code: 'missing_previous_id' },
  group: { field: 'groupId', code: 'missing_group_id' },
};

/**
 * Checks one event and returns its call type, or the refusal for the first thing wrong.
 * `routeType` is the type a single-event route implies; undefined on batch routes.
 */
export function checkEvent(item: unknown, index: EventPosition, routeType: SegmentType | undefined): SegmentType | Refusal {
  if (!isJsonObject(item)) return refusal('invalid_event', `${at(index)} is ${describeJsonType(item)}; each event must be a JSON object`, index === undefined ? {} : { index });
  const type = routeType === undefined ? batchTypeOf(item, index) : routeTypeOf(item, routeType, index);
  if (typeof type !== 'string') return type;
  const badField = checkFieldTypes(item, index);
  if (badField !== undefined) return badField;
  if (!isPresentId(item['userId']) && !isPresentId(item['anonymousId'])) {
    return refusal('missing_identity', `${at(index)} has neither userId nor anonymousId (a non-empty string or a number)`, details(index, 'userId'));
  }
  const required = REQUIRED_BY_TYPE[type];
  if (required !== undefined && !isPresentId(item[required.field])) {
    return refusal(required.code, `${at(index)} is a ${type} call without ${required.field}`, details(index, required.field));
  }
  return type;
}
