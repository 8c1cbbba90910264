/**
 * The checks of GA4's Measurement Protocol validation server (/debug/mp/collect), answering
 *   { "validationMessages": [ { "fieldPath", "description", "validationCode" } ] }
 * Sources: developers.google.com/analytics/devguides/collection/protocol/ga4/validating-events
 * (codes), …/ga4/reference (payload, reserved names, 72 h backdating), and
 * support.google.com/analytics/answer/9267744 (collection limits: 25 events per request, 25 params
 * per event, names ≤ 40, values ≤ 100 (page_title 300, page_referrer 420, page_location 1000),
 * 25 user properties, names ≤ 24, values ≤ 36, user_id ≤ 256).
 */
import { isJsonObject } from './request-body';

/** The validation codes GA4 documents. */
export type Ga4ValidationCode =
  | 'VALUE_INVALID'
  | 'VALUE_REQUIRED'
  | 'NAME_INVALID'
  | 'NAME_RESERVED'
  | 'VALUE_OUT_OF_BOUNDS'
  | 'EXCEEDED_MAX_ENTITIES'
  | 'NAME_DUPLICATED'
  | 'UNKNOWN';

/** One message of the validation server. */
export interface Ga4ValidationMessage {
  fieldPath: string;
  description: string;
  validationCode: Ga4ValidationCode;
}

/** A message plus which event it concerns (none: the whole payload), which decides what /mp/collect drops. */
export interface Ga4Finding extends Ga4ValidationMessage {
  eventIndex?: number;
}

/** Which stream the request is for: a web stream needs client_id, an app stream app_instance_id. */
export type Ga4StreamKind = 'web' | 'app';

const MAX_EVENTS = 25;
const MAX_PARAMS = 25;
const MAX_USER_PROPERTIES = 25;
const MAX_NAME_LENGTH = 40;
const MAX_USER_PROPERTY_NAME_LENGTH = 24;
const MAX_USER_PROPERTY_VALUE_LENGTH = 36;
const MAX_USER_ID_LENGTH = 256;
const BACKDATE_LIMIT_MICROS = 72 * 60 * 60 * 1_000_000;
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED_PREFIXES = ['firebase_', 'google_', 'ga_'];
const LONG_PARAMS: Record<string, number> = { page_title: 300, page_referrer: 420, page_location: 1000 };

/** Event names GA4 reserves for its own use (Measurement Protocol reference, "Reserved names"). */
export const GA4_RESERVED_EVENT_NAMES: readonly string[] = [
  'ad_activeview', 'ad_click', 'ad_exposure', 'ad_query', 'ad_reward', 'adunit_exposure', 'app_background',
  'app_clear_data', 'app_exception', 'app_remove', 'app_store_refund', 'app_store_subscription_cancel',
  'app_store_subscription_convert', 'app_store_subscription_renew', 'app_update', 'app_upgrade',
  'dynamic_link_app_open', 'dynamic_link_app_update', 'dynamic_link_first_open', 'error', 'firebase_campaign',
  'firebase_in_app_message_action', 'firebase_in_app_message_dismiss', 'firebase_in_app_message_impression',
  'first_open', 'first_visit', 'in_app_purchase', 'notification_dismiss', 'notification_foreground',
  'notification_open', 'notification_receive', 'notification_send', 'os_update', 'screen_view', 'session_start',
  'user_engagement',
];
const RESERVED_PARAM_NAMES = ['firebase_conversion'];
const RESERVED_USER_PROPERTY_NAMES = ['first_open_time', 'first_visit_time', 'last_deep_link_referrer', 'user_id', 'first_open_after_install'];

/** Everything the validation server would say about a payload (empty: valid). */
export function validateGa4Payload(payload: Record<string, unknown>, stream: Ga4StreamKind, nowMillis: number): Ga4Finding[] {
  const findings: Ga4Finding[] = [];
  const idField = stream === 'web' ? 'client_id' : 'app_instance_id';
  const id = payload[idField];
  if (typeof id !== 'string' || id === '') findings.push(message(idField, `Measurement requires an ${idField}.`, 'VALUE_REQUIRED'));
  const userId = payload.user_id;
  if (userId !== undefined && (typeof userId !== 'string' || userId.length > MAX_USER_ID_LENGTH)) {
    findings.push(message('user_id', `user_id must be a string of at most ${MAX_USER_ID_LENGTH} characters.`, 'VALUE_OUT_OF_BOUNDS'));
  }
  findings.push(...timestampFindings(payload.timestamp_micros, 'timestamp_micros', nowMillis));
  findings.push(...userPropertyFindings(payload.user_properties));
  const events = payload.events;
  if (!Array.isArray(events) || events.length === 0) {
    findings.push(message('events', 'Measurement requires at least one event.', 'VALUE_REQUIRED'));
  } else if (events.length > MAX_EVENTS) {
    findings.push(message('events', `Measurement has ${events.length} events, more than the limit of ${MAX_EVENTS}.`, 'EXCEEDED_MAX_ENTITIES'));
  } else {
    events.forEach((event, index) => findings.push(...eventFindings(event, index, nowMillis)));
  }
  return findings;
}

function eventFindings(event: unknown, index: number, nowMillis: number): Ga4Finding[] {
  const at = `Event at index: [${index}]`;
  if (!isJsonObject(event)) return [message('events', `${at} is not an object.`, 'VALUE_INVALID', index)];
  const findings: Ga4Finding[] = [];
  const name = event.name;
  if (typeof name !== 'string' || name === '') {
    findings.push(message('events', `${at} requires a name.`, 'VALUE_REQUIRED', index));
  } else if (name.length > MAX_NAME_LENGTH) {
    findings.push(message('events', `${at} has name [${name}] longer than ${MAX_NAME_LENGTH} characters.`, 'VALUE_OUT_OF_BOUNDS', index));
  } else if (!NAME_PATTERN.test(name)) {
    findings.push(message('events', `${at} has invalid name [${name}]. Names must start with an alphabetic character and contain only alphanumeric characters and underscores.`, 'NAME_INVALID', index));
  } else if (GA4_RESERVED_EVENT_NAMES.includes(name) || hasReservedPrefix(name)) {
    findings.push(message('events', `${at} has name [${name}] which is reserved.`, 'NAME_RESERVED', index));
  }
  findings.push(...timestampFindings(event.timestamp_micros, `events[${index}].timestamp_micros`, nowMillis, index));
  findings.push(...paramFindings(event.params, index));
  return findings;
}

function paramFindings(params: unknown, index: number): Ga4Finding[] {
  if (params === undefined) return [];
  const at = `Event at index: [${index}]`;
  if (!isJsonObject(params)) return [message('events.params', `${at} has params that are not an object.`, 'VALUE_INVALID', index)];
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMS) {
    return [message('events.params', `${at} has ${entries.length} params, more than the limit of ${MAX_PARAMS}.`, 'EXCEEDED_MAX_ENTITIES', index)];
  }
  const findings: Ga4Finding[] = [];
  for (const [name, value] of entries) {
    if (name.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name)) {
      findings.push(message('events.params', `${at} has param with invalid name [${name}].`, 'NAME_INVALID', index));
    } else if (RESERVED_PARAM_NAMES.includes(name) || hasReservedPrefix(name)) {
      findings.push(message('events.params', `${at} has param with reserved name [${name}].`, 'NAME_RESERVED', index));
    } else if (typeof value === 'string' && value.length > (LONG_PARAMS[name] ?? 100)) {
      findings.push(message('events.params', `${at} has param [${name}] with a value longer than ${LONG_PARAMS[name] ?? 100} characters.`, 'VALUE_OUT_OF_BOUNDS', index));
    } else if (!isParamValue(name, value)) {
      findings.push(message('events.params', `${at} has param [${name}] with an invalid value.`, 'VALUE_INVALID', index));
    }
  }
  return findings;
}

function userPropertyFindings(properties: unknown): Ga4Finding[] {
  if (properties === undefined) return [];
  if (!isJsonObject(properties)) return [message('user_properties', 'user_properties must be an object.', 'VALUE_INVALID')];
  const entries = Object.entries(properties);
  if (entries.length > MAX_USER_PROPERTIES) {
    return [message('user_properties', `${entries.length} user properties, more than the limit of ${MAX_USER_PROPERTIES}.`, 'EXCEEDED_MAX_ENTITIES')];
  }
  const findings: Ga4Finding[] = [];
  for (const [name, property] of entries) {
    const value = isJsonObject(property) ? property.value : undefined;
    if (name.length > MAX_USER_PROPERTY_NAME_LENGTH || !NAME_PATTERN.test(name)) {
      findings.push(message('user_properties', `User property has invalid name [${name}].`, 'NAME_INVALID'));
    } else if (RESERVED_USER_PROPERTY_NAMES.includes(name) || hasReservedPrefix(name)) {
      findings.push(message('user_properties', `User property has reserved name [${name}].`, 'NAME_RESERVED'));
    } else if (!isJsonObject(property)) {
      findings.push(message('user_properties', `User property [${name}] must be an object with a value.`, 'VALUE_INVALID'));
    } else if (typeof value === 'string' && value.length > MAX_USER_PROPERTY_VALUE_LENGTH) {
      findings.push(message('user_properties', `User property [${name}] has a value longer than ${MAX_USER_PROPERTY_VALUE_LENGTH} characters.`, 'VALUE_OUT_OF_BOUNDS'));
    }
  }
  return findings;
}

/** Backdating beyond 72 hours is refused; a timestamp in ms or seconds lands there too, which is the bug it catches. */
function timestampFindings(micros: unknown, fieldPath: string, nowMillis: number, eventIndex?: number): Ga4Finding[] {
  if (micros === undefined) return [];
  if (typeof micros !== 'number' || !Number.isInteger(micros)) return [message(fieldPath, 'timestamp_micros must be an integer.', 'VALUE_INVALID', eventIndex)];
  if (micros < nowMillis * 1000 - BACKDATE_LIMIT_MICROS) {
    return [message(fieldPath, `timestamp_micros ${micros} is more than 72 hours in the past.`, 'VALUE_OUT_OF_BOUNDS', eventIndex)];
  }
  return [];
}

function isParamValue(name: string, value: unknown): boolean {
  if (name === 'items') return Array.isArray(value) && value.every(isJsonObject);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function hasReservedPrefix(name: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function message(fieldPath: string, description: string, validationCode: Ga4ValidationCode, eventIndex?: number): Ga4Finding {
  return { fieldPath, description, validationCode, ...(eventIndex === undefined ? {} : { eventIndex }) };
}
