/**
 * A request body as a list of events plus what a batch says for all of them. Batch bodies are
 * `{batch: [...], context?, integrations?, sentAt?, schemaVersion?, writeKey?}` (Segment's and
 * RudderStack's shape; `/v1/import` takes the same); a single-event route's body is the event.
 */
import { Refusal, refusal } from '../http/errors';
import { describeJsonType, isJsonObject, type JsonObject } from '../http/parse-json';
import { textOf } from './fields';
import type { EventRoute } from './routes';

/** Batch-level values every event of the batch inherits; an event's own value wins. */
export interface BatchDefaults {
  readonly context: JsonObject | null;
  /** `context` as JSON text, made once per batch for the events that have none of their own. */
  readonly contextJson: string | null;
  readonly integrations: JsonObject | null;
  readonly integrationsJson: string | null;
  readonly sentAt: string | null;
  readonly schemaVersion: string | null;
}

export const NO_DEFAULTS: BatchDefaults = Object.freeze({ context: null, contextJson: null, integrations: null, integrationsJson: null, sentAt: null, schemaVersion: null });

export interface RequestEvents {
  /** The events as sent: checked one by one later, so a refusal can name the first bad index. */
  readonly items: readonly unknown[];
  readonly defaults: BatchDefaults;
}

function badBatchField(field: string, value: unknown, expected: string): Refusal {
  return refusal('invalid_field', `${field} is ${describeJsonType(value)}; expected ${expected}`, { field, expected });
}

function objectOrNull(body: JsonObject, field: string): JsonObject | null | Refusal {
  const value = body[field];
  if (value === undefined || value === null) return null;
  return isJsonObject(value) ? value : badBatchField(field, value, 'a JSON object');
}

/** JSON text of a batch-level object, or a refusal when it nests too deeply to serialise. */
function jsonOf(field: string, value: JsonObject | null): string | null | Refusal {
  if (value === null) return null;
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof RangeError) return refusal('nesting_too_deep', `${field} nests objects or arrays too deeply to be stored`, { field });
    throw err;
  }
}

function textOrNull(body: JsonObject, field: string): string | null | Refusal {
  const value = body[field];
  if (value === undefined || value === null) return null;
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? textOf(value) : badBatchField(field, value, 'a string');
}

/** The write key a body carries (Segment accepts it there instead of Basic auth), if any. */
export function writeKeyInBody(body: JsonObject): string | null | Refusal {
  const value = body['writeKey'];
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : badBatchField('writeKey', value, 'a string');
}

/** The events of a request and the batch-level defaults, or why the body is not the route's shape. */
export function requestEvents(body: JsonObject, route: EventRoute): RequestEvents | Refusal {
  if (route.kind === 'single') return { items: [body], defaults: NO_DEFAULTS };
  const batch = body['batch'];
  if (!Array.isArray(batch)) {
    return refusal('invalid_body', `batch is ${batch === undefined ? 'missing' : describeJsonType(batch)}; a ${route.path} body is {"batch": [events...]}`, { field: 'batch' });
  }
  if (batch.length === 0) return refusal('empty_batch', 'batch has no events', { field: 'batch' });
  const context = objectOrNull(body, 'context');
  if (context instanceof Refusal) return context;
  const contextJson = jsonOf('context', context);
  if (contextJson instanceof Refusal) return contextJson;
  const integrations = objectOrNull(body, 'integrations');
  if (integrations instanceof Refusal) return integrations;
  const integrationsJson = jsonOf('integrations', integrations);
  if (integrationsJson instanceof Refusal) return integrationsJson;
  const sentAt = textOrNull(body, 'sentAt');
  if (sentAt instanceof Refusal) return sentAt;
  const schemaVersion = textOrNull(body, 'schemaVersion');
  if (schemaVersion instanceof Refusal) return schemaVersion;
  return { items: batch, defaults: { context, contextJson, integrations, integrationsJson, sentAt, schemaVersion } };
}
