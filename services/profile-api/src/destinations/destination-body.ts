/**
 * The bodies of POST /v1/destinations and PATCH /v1/destinations/{id}, checked for shape only:
 * unknown fields are refused (a misspelt `delivery_policy` silently ignored would leave the
 * defaults on), and each field must have its JSON type. What the values mean — a valid name, a
 * known type, settings that are not secrets, filters, the policy's ranges, the type's own settings
 * check — is the destination store's to decide (refusals.ts maps its answers), so the API and the
 * CLI accept exactly the same destinations.
 *
 * Credentials are never quoted in a refusal: only their field name appears.
 */
import type { CreateDestinationInput, DeliveryPolicy, DestinationFilters, DestinationUpdate, JsonObject } from '@stratum/destinations';
import { invalid, type ApiError } from '../http/errors';
import { jsonbProblem } from './storable-json';

/** Settings and filters are a few flat fields; anything deeper is a mistake (or an attack on the walk). */
export const MAX_JSON_DEPTH = 32;

export const CREATE_FIELDS = ['name', 'type', 'settings', 'filters', 'credentials', 'deliveryPolicy', 'enabled'] as const;
export const UPDATE_FIELDS = ['name', 'settings', 'filters', 'credentials', 'deliveryPolicy'] as const;

/** Why a field an update does not take is refused: where to go instead. */
const NOT_UPDATABLE: Readonly<Record<string, string>> = {
  type: 'cannot change: the type of a destination is fixed (create another destination)',
  enabled: 'is not changed by PATCH: use POST /v1/destinations/{id}/enable or /disable',
};

type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownField(body: Body, fields: readonly string[], what: string): ApiError | null {
  const extra = Object.keys(body).find((k) => !fields.includes(k));
  if (extra === undefined) return null;
  const field = extra.slice(0, 64);
  return invalid('invalid_body', field, NOT_UPDATABLE[extra] ?? `is not a field of ${what} (${fields.join(', ')})`);
}

/** A JSON object stored as jsonb (settings, filters): its type, then whether PostgreSQL can hold it. */
function storedObject(body: Body, field: 'settings' | 'filters'): ApiError | null {
  const value = body[field];
  if (value === undefined) return null;
  if (!isObject(value)) return invalid('invalid_body', field, field === 'filters' ? 'must be a JSON object { events?, excludeEvents?, consentPurpose? } ({} for every event)' : 'must be a JSON object');
  const problem = jsonbProblem(value, MAX_JSON_DEPTH);
  return problem === null ? null : invalid('invalid_body', field, problem);
}

/** A JSON object, or null when `nullMeans` says what null does. */
function objectOrNull(body: Body, field: 'credentials' | 'deliveryPolicy', nullMeans: string): ApiError | null {
  const value = body[field];
  if (value === undefined || value === null || isObject(value)) return null;
  return invalid('invalid_body', field, `must be a JSON object, or null to ${nullMeans}`);
}

function string(body: Body, field: 'name' | 'type'): ApiError | null {
  const value = body[field];
  return value === undefined || typeof value === 'string' ? null : invalid('invalid_body', field, 'must be a string');
}

function firstProblem(...checks: ReadonlyArray<() => ApiError | null>): ApiError | null {
  for (const check of checks) {
    const problem = check();
    if (problem !== null) return problem;
  }
  return null;
}

/** POST /v1/destinations: name and type required; credentials null means none, deliveryPolicy null the defaults. */
export function parseCreateBody(json: unknown): CreateDestinationInput | ApiError {
  if (!isObject(json)) return invalid('invalid_body', 'body', 'must be a JSON object with at least name and type');
  const problem = firstProblem(
    () => unknownField(json, CREATE_FIELDS, 'a new destination'),
    () => (json.name === undefined ? invalid('invalid_body', 'name', 'is required') : string(json, 'name')),
    () => (json.type === undefined ? invalid('invalid_body', 'type', 'is required') : string(json, 'type')),
    () => storedObject(json, 'settings'),
    () => storedObject(json, 'filters'),
    () => objectOrNull(json, 'credentials', 'store none'),
    () => objectOrNull(json, 'deliveryPolicy', 'use the retry defaults'),
    () => (json.enabled === undefined || typeof json.enabled === 'boolean' ? null : invalid('invalid_body', 'enabled', 'must be true or false')),
  );
  if (problem !== null) return problem;
  return {
    name: json.name as string,
    type: json.type as string,
    // The store checks the contents of each (its refusals name the field): here they only have the right JSON type.
    ...(json.settings === undefined ? {} : { settings: json.settings as JsonObject }),
    ...(json.filters === undefined ? {} : { filters: json.filters as DestinationFilters }),
    ...(json.credentials === undefined || json.credentials === null ? {} : { credentials: json.credentials as JsonObject }),
    ...(json.deliveryPolicy === undefined ? {} : { deliveryPolicy: json.deliveryPolicy as DeliveryPolicy | null }),
    ...(json.enabled === undefined ? {} : { enabled: json.enabled as boolean }),
  };
}

/** PATCH /v1/destinations/{id}: at least one field; credentials null removes them, deliveryPolicy null restores the defaults. */
export function parseUpdateBody(json: unknown): DestinationUpdate | ApiError {
  if (!isObject(json)) return invalid('invalid_body', 'body', `must be a JSON object with any of ${UPDATE_FIELDS.join(', ')}`);
  const problem = firstProblem(
    () => unknownField(json, UPDATE_FIELDS, 'an update'),
    () => (Object.keys(json).length === 0 ? invalid('invalid_body', 'body', `changes nothing: give any of ${UPDATE_FIELDS.join(', ')}`) : null),
    () => string(json, 'name'),
    () => storedObject(json, 'settings'),
    () => storedObject(json, 'filters'),
    () => objectOrNull(json, 'credentials', 'remove them'),
    () => objectOrNull(json, 'deliveryPolicy', 'restore the retry defaults'),
  );
  if (problem !== null) return problem;
  return {
    ...(json.name === undefined ? {} : { name: json.name as string }),
    ...(json.settings === undefined ? {} : { settings: json.settings as JsonObject }),
    ...(json.filters === undefined ? {} : { filters: json.filters as DestinationFilters }),
    ...(json.credentials === undefined ? {} : { credentials: json.credentials as JsonObject | null }),
    ...(json.deliveryPolicy === undefined ? {} : { deliveryPolicy: json.deliveryPolicy as DeliveryPolicy | null }),
  };
}
