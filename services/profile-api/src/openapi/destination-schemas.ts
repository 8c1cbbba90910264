/**
 * The JSON Schemas of the destinations endpoints (components/schemas). Limits come from
 * @stratum/destinations, whose store checks them, so the document cannot promise other numbers.
 */
import { DESTINATION_TYPES, MAX_ATTEMPTS_LIMIT, MAX_MAX_AGE_SECONDS, MIN_MAX_AGE_SECONDS } from '@stratum/destinations';
import { MAX_JSON_DEPTH } from '../destinations/destination-body';
import { schemaRef } from './refs';
import type { JsonSchema } from './types';

const dateTime = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description: `${description} (ISO-8601, UTC).` });

const NAME: JsonSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$',
  description: 'Unique in the tenant in any case; 1-63 letters, digits, space, `.`, `_`, `-`, starting with a letter or digit, not with `dst_` (ids do). Trimmed.',
};

const SETTINGS: JsonSchema = {
  type: 'object',
  description: `The type's non-secret settings (a webhook url, a pixel id, an event-name map…), stored in cleartext and checked by the type's adapter. A top-level key that looks like a secret (token, secret, password, api key…) is refused: put it in \`credentials\`. At most 64 KiB, ${MAX_JSON_DEPTH} levels deep.`,
  additionalProperties: true,
};

const CREDENTIALS: JsonSchema = {
  type: ['object', 'null'],
  description:
    'Secrets (access tokens, webhook signing secrets…) as a non-empty JSON object of at most 16 KiB, encrypted with the service\'s credential keys before they are stored, and never answered or logged. Needs `STRATUM_CREDENTIALS_KEYS` on the service (else 503 `credentials_unavailable`).',
  additionalProperties: true,
};

const FILTERS: JsonSchema = {
  type: 'object',
  description: 'Which events go to the destination; absent fields: every event. Replaced whole by a PATCH.',
  properties: {
    events: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, minItems: 1, maxItems: 1000, description: 'Only these event names (track) or types (identify, page, screen, group, alias).' },
    excludeEvents: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, minItems: 1, maxItems: 1000, description: 'Never these names or types; none may also be in `events`.' },
    consentPurpose: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$', description: 'Only events of profiles that granted this consent purpose (e.g. marketing, sms).' },
  },
  additionalProperties: false,
};

const DELIVERY_POLICY: JsonSchema = {
  type: 'object',
  description: "The retry stage's limits for this destination; absent fields use the stage's defaults.",
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: MAX_ATTEMPTS_LIMIT, description: 'Give up after this many attempts (1: no retry).' },
    maxAgeSeconds: { type: 'integer', minimum: MIN_MAX_AGE_SECONDS, maximum: MAX_MAX_AGE_SECONDS, description: 'Give up on an event this many seconds after its first attempt (1 minute to 7 days).' },
    ordering: {
      type: 'string',
      enum: ['per_key', 'none'],
      description: "`per_key`: a profile's later events wait behind one waiting for a retry (CRM upserts). `none`: every event on its own. Default: per_key for pipedrive, none for the others.",
    },
  },
  additionalProperties: false,
};

const nullablePolicy: JsonSchema = { anyOf: [schemaRef('DeliveryPolicy'), { type: 'null' }] };

const destinationProperties: Record<string, JsonSchema> = {
  tenantId: { type: 'string', description: 'Your tenant (the admin key\'s).' },
  destinationId: { type: 'string', pattern: '^dst_[a-z0-9]{16}$' },
  name: { type: 'string' },
  type: { type: 'string', enum: DESTINATION_TYPES },
  enabled: { type: 'boolean', description: 'Whether events are delivered to it.' },
  settings: { type: 'object', additionalProperties: true },
  filters: schemaRef('DestinationFilters'),
  deliveryPolicy: { ...nullablePolicy, description: "Null: the retry stage's defaults." },
  hasCredentials: { type: 'boolean', description: 'Whether credentials are stored (they are never answered).' },
  credentialsKeyId: { type: ['string', 'null'], description: 'The id of the key the credentials are encrypted with; null without credentials.' },
  createdAt: dateTime('When it was created'),
  updatedAt: dateTime('When it was last changed'),
  disabledAt: { type: ['string', 'null'], format: 'date-time', description: 'When it was disabled; null while enabled.' },
};

/** The destinations' entries of components/schemas. */
export function destinationSchemas(): Record<string, JsonSchema> {
  return {
    Destination: { type: 'object', properties: destinationProperties, required: Object.keys(destinationProperties) },
    DestinationList: { type: 'object', properties: { destinations: { type: 'array', items: schemaRef('Destination'), description: 'By name (any case).' } }, required: ['destinations'] },
    DestinationFilters: FILTERS,
    DeliveryPolicy: DELIVERY_POLICY,
    NewDestination: {
      type: 'object',
      properties: {
        name: NAME,
        type: { type: 'string', enum: DESTINATION_TYPES },
        settings: SETTINGS,
        filters: schemaRef('DestinationFilters'),
        credentials: { ...CREDENTIALS, description: `${CREDENTIALS.description} Null or absent: none.` },
        deliveryPolicy: { ...nullablePolicy, description: "Null or absent: the retry stage's defaults." },
        enabled: { type: 'boolean', default: true, description: 'False creates it disabled.' },
      },
      required: ['name', 'type'],
      additionalProperties: false,
    },
    DestinationChange: {
      type: 'object',
      description: 'Any of the fields; those absent stay. `type` cannot change; enable and disable have their own endpoints.',
      properties: {
        name: NAME,
        settings: { ...SETTINGS, description: `${SETTINGS.description} Replaced whole.` },
        filters: schemaRef('DestinationFilters'),
        credentials: { ...CREDENTIALS, description: `${CREDENTIALS.description} Replaced whole; null removes them.` },
        deliveryPolicy: { ...nullablePolicy, description: "Replaced whole; null restores the retry stage's defaults." },
      },
      minProperties: 1,
      additionalProperties: false,
    },
  };
}
