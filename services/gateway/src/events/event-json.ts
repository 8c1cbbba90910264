/**
 * An event serialised once, in parts: the byte size of its whole JSON (for maxEventBytes) and the
 * JSON text of its free-form objects (for the RawEvent). Measuring with JSON.stringify(event) and
 * then stringifying properties, context... again for the record did the largest work twice; the
 * whole's size is the sum of the parts' (a test checks it against JSON.stringify for any object).
 */
import { refusal, type Refusal } from '../http/errors';
import type { JsonObject } from '../http/parse-json';
import type { EventPosition } from './check-event';
import type { ObjectField } from './fields';

/** The JSON text of the free-form fields; null when absent or null. */
export type EventObjectsJson = Readonly<Record<ObjectField, string | null>>;

export interface EventJson {
  /** UTF-8 bytes of JSON.stringify(event). */
  readonly size: number;
  readonly objects: EventObjectsJson;
}

const isObjectField = (key: string): key is ObjectField => key === 'properties' || key === 'traits' || key === 'context' || key === 'integrations';

/** The event's JSON size and object texts, or `nesting_too_deep` when it cannot be serialised. */
export function eventJson(event: JsonObject, index: EventPosition): EventJson | Refusal {
  const objects: Record<ObjectField, string | null> = { properties: null, traits: null, context: null, integrations: null };
  const keys = Object.keys(event);
  // `{` + `}` + a comma between members.
  let size = 2 + Math.max(0, keys.length - 1);
  try {
    for (const key of keys) {
      const value = event[key];
      const json = JSON.stringify(value);
      // JSON.stringify(key) is the key quoted and escaped; ":" separates it from the value.
      size += Buffer.byteLength(JSON.stringify(key), 'utf8') + 1 + Buffer.byteLength(json, 'utf8');
      if (value !== null && isObjectField(key)) objects[key] = json;
    }
  } catch (err) {
    // JSON.parse is iterative but JSON.stringify recurses: a deep enough value overflows its stack.
    if (err instanceof RangeError) {
      const where = index === undefined ? 'the event' : `batch[${index}]`;
      return refusal('nesting_too_deep', `${where} nests objects or arrays too deeply to be stored`, index === undefined ? {} : { index });
    }
    throw err;
  }
  return { size, objects };
}
