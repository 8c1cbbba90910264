/**
 * Checks of what operators and the admin API send, before anything is encrypted or written. Each
 * failure has its own code and names the field, the value and the rule. Type-specific settings
 * (a pixel id's shape, a webhook URL) are the adapters' to check, through StoreOptions.validateSettings.
 */
import type { Credentials } from '../credentials/destination-credentials';
import { DESTINATION_TYPES, type DeliveryPolicy, type DestinationFilters, type DestinationType, type JsonObject, type SettingsValidator } from './destination';
import { destinationErrors } from './errors';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;
const CONSENT_PURPOSE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
// Settings are stored in cleartext: a top-level key named like one of these belongs in credentials.
const SECRET_LOOKING_KEY = /secret|passw(or)?d|token|api_?key|access_?key|private_?key|credential/i;
const MAX_SETTINGS_BYTES = 64 * 1024;
const MAX_CREDENTIALS_BYTES = 16 * 1024;
const MAX_EVENT_NAMES = 1000;
const MAX_EVENT_NAME_CHARS = 200;
export const MAX_ATTEMPTS_LIMIT = 100;
export const MIN_MAX_AGE_SECONDS = 60;
// The delivery topics keep records 7 days (docs/pipeline.md): an attempt cannot outlive that.
export const MAX_MAX_AGE_SECONDS = 7 * 24 * 3600;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** JSON text of a value, or undefined when it has no JSON form (a cycle, a BigInt). */
function jsonSize(value: unknown): number | undefined {
  try {
    return Buffer.byteLength(JSON.stringify(value), 'utf8');
  } catch {
    return undefined;
  }
}

export function checkName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!NAME.test(trimmed) || /^dst_/i.test(trimmed)) {
    throw destinationErrors.error(
      'invalid_destination_name',
      `destination name "${String(name)}" is not valid: 1-63 letters, digits, space, '.', '_' or '-', starting with a letter or digit, and not starting with "dst_" (ids do)`,
    );
  }
  return trimmed;
}

export function checkType(type: string): DestinationType {
  if (!(DESTINATION_TYPES as readonly string[]).includes(type)) {
    throw destinationErrors.error('unknown_destination_type', `destination type must be one of ${DESTINATION_TYPES.join(', ')}, got "${String(type)}"`);
  }
  return type as DestinationType;
}

export function checkSettings(settings: unknown): JsonObject {
  if (!isPlainObject(settings)) throw destinationErrors.error('invalid_settings', 'settings must be a JSON object');
  const secretLooking = Object.keys(settings).filter((key) => SECRET_LOOKING_KEY.test(key));
  if (secretLooking.length > 0) {
    throw destinationErrors.error('invalid_settings', `settings.${secretLooking.join(', settings.')} look${secretLooking.length === 1 ? 's' : ''} like a secret: pass it in credentials, which are encrypted (settings are stored in cleartext)`);
  }
  const size = jsonSize(settings);
  if (size === undefined || size > MAX_SETTINGS_BYTES) throw destinationErrors.error('invalid_settings', `settings must be a JSON object of at most ${MAX_SETTINGS_BYTES} bytes`);
  return settings;
}

export function checkCredentials(credentials: unknown): Credentials {
  if (!isPlainObject(credentials) || Object.keys(credentials).length === 0) throw destinationErrors.error('invalid_credentials', 'credentials must be a non-empty JSON object');
  const size = jsonSize(credentials);
  if (size === undefined || size > MAX_CREDENTIALS_BYTES) throw destinationErrors.error('invalid_credentials', `credentials must be a JSON object of at most ${MAX_CREDENTIALS_BYTES} bytes`);
  return credentials;
}

function eventNames(field: 'events' | 'excludeEvents', value: unknown): string[] {
  const refuse = (rule: string) => destinationErrors.error('invalid_filters', `filters.${field} ${rule}`);
  if (!Array.isArray(value) || value.length === 0) throw refuse('must be a non-empty list of event names or types (leave it out to take every event)');
  if (value.length > MAX_EVENT_NAMES) throw refuse(`lists ${value.length} events; at most ${MAX_EVENT_NAMES}`);
  const names = value.map((name: unknown, index) => {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (trimmed === '' || trimmed.length > MAX_EVENT_NAME_CHARS) throw refuse(`[${index}] must be an event name or type of 1-${MAX_EVENT_NAME_CHARS} characters, got ${JSON.stringify(name) ?? String(name)}`);
    return trimmed;
  });
  return [...new Set(names)];
}

/** Filters as stored: only the fields given, names trimmed and without repeats. */
export function checkFilters(filters: unknown): DestinationFilters {
  if (filters === undefined) return {};
  if (!isPlainObject(filters)) throw destinationErrors.error('invalid_filters', 'filters must be a JSON object { events?, excludeEvents?, consentPurpose? }');
  const unknown = Object.keys(filters).filter((key) => !['events', 'excludeEvents', 'consentPurpose'].includes(key));
  if (unknown.length > 0) throw destinationErrors.error('invalid_filters', `filters has unknown field(s) ${unknown.join(', ')}; known: events, excludeEvents, consentPurpose`);
  const events = filters.events === undefined ? undefined : eventNames('events', filters.events);
  const excludeEvents = filters.excludeEvents === undefined ? undefined : eventNames('excludeEvents', filters.excludeEvents);
  const both = (events ?? []).filter((name) => excludeEvents?.includes(name));
  if (both.length > 0) throw destinationErrors.error('invalid_filters', `filters both include and exclude ${both.map((n) => `"${n}"`).join(', ')}`);
  const purpose = filters.consentPurpose;
  if (purpose !== undefined && (typeof purpose !== 'string' || !CONSENT_PURPOSE.test(purpose))) {
    throw destinationErrors.error('invalid_filters', `filters.consentPurpose must be a consent purpose such as marketing or sms (1-64 letters, digits, '_', '.', ':' or '-'), got ${JSON.stringify(purpose) ?? String(purpose)}`);
  }
  return { ...(events === undefined ? {} : { events }), ...(excludeEvents === undefined ? {} : { excludeEvents }), ...(purpose === undefined ? {} : { consentPurpose: purpose }) };
}

function wholeNumberIn(field: string, value: unknown, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw destinationErrors.error('invalid_delivery_policy', `deliveryPolicy.${field} must be a whole number from ${min} to ${max}${unit}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/** A policy as stored: null when nothing is set (the retry stage's defaults apply). */
export function checkDeliveryPolicy(policy: unknown): DeliveryPolicy | null {
  if (policy === undefined || policy === null) return null;
  if (!isPlainObject(policy)) throw destinationErrors.error('invalid_delivery_policy', 'deliveryPolicy must be a JSON object { maxAttempts?, maxAgeSeconds?, ordering? } or null');
  const unknown = Object.keys(policy).filter((key) => !['maxAttempts', 'maxAgeSeconds', 'ordering'].includes(key));
  if (unknown.length > 0) throw destinationErrors.error('invalid_delivery_policy', `deliveryPolicy has unknown field(s) ${unknown.join(', ')}; known: maxAttempts, maxAgeSeconds, ordering`);
  const ordering = policy.ordering;
  if (ordering !== undefined && ordering !== 'per_key' && ordering !== 'none') {
    throw destinationErrors.error('invalid_delivery_policy', `deliveryPolicy.ordering must be "per_key" or "none", got ${JSON.stringify(ordering) ?? String(ordering)}`);
  }
  const maxAttempts = policy.maxAttempts === undefined ? undefined : wholeNumberIn('maxAttempts', policy.maxAttempts, 1, MAX_ATTEMPTS_LIMIT, '');
  const maxAgeSeconds = policy.maxAgeSeconds === undefined ? undefined : wholeNumberIn('maxAgeSeconds', policy.maxAgeSeconds, MIN_MAX_AGE_SECONDS, MAX_MAX_AGE_SECONDS, ' seconds (1 minute to 7 days)');
  if (maxAttempts === undefined && maxAgeSeconds === undefined && ordering === undefined) return null;
  return { ...(maxAttempts === undefined ? {} : { maxAttempts }), ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }), ...(ordering === undefined ? {} : { ordering }) };
}

/** Runs the caller's type check, if any; its problems become one invalid_settings error listing them all. */
export async function runSettingsValidator(
  validate: SettingsValidator | undefined,
  type: DestinationType,
  settings: JsonObject,
  credentials: Credentials | null,
): Promise<void> {
  if (validate === undefined) return;
  const problems = await validate(type, settings, credentials);
  if (problems.length > 0) throw destinationErrors.error('invalid_settings', `invalid ${type} settings: ${problems.join('; ')}`, { details: { problems: [...problems] } });
}
