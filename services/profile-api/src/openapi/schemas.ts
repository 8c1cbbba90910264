/**
 * The JSON Schemas of the answers and bodies (components/schemas). They describe what
 * profiles/*.ts build; the integration tests check real answers against the required fields.
 */
import { IDENTIFIER_TYPES } from '@stratum/identity';
import { MAX_CONSENTS_PER_REQUEST, MAX_EVIDENCE_BYTES, PURPOSE_PATTERN } from '../profiles/consent-body';
import { CONSENT_STATUSES } from '../profiles/consents';
import { MAX_LISTED } from '../profiles/profile-view';
import { destinationSchemas } from './destination-schemas';
import { schemaRef } from './refs';
import type { JsonSchema } from './types';

const dateTime = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description: `${description} (ISO-8601, UTC).` });
const nullable = (type: string, description: string): JsonSchema => ({ type: [type, 'null'], description });
const cursor: JsonSchema = { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' };

const identifier: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: IDENTIFIER_TYPES },
    namespace: nullable('string', 'external_id: the system (e.g. salesforce); device_id: the id kind (ios, ios_idfa, android_aaid…); null for the other types.'),
    value: nullable('string', 'The canonical cleartext for user_id, anonymous_id, device_id and external_id; always null for email and phone (only their hash is stored).'),
    valueHash: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'Lower-case hex SHA-256 of the canonical value.' },
    firstSeenAt: dateTime('When the identifier was first seen'),
  },
  required: ['type', 'namespace', 'value', 'valueHash', 'firstSeenAt'],
};

const consent: JsonSchema = {
  type: 'object',
  description: "A purpose's current consent: its change with the latest effectiveAt.",
  properties: {
    purpose: { type: 'string' },
    status: { type: 'string', enum: CONSENT_STATUSES },
    granted: { type: 'boolean', description: 'status is granted.' },
    effectiveAt: dateTime('When the change takes effect'),
    recordedAt: dateTime('When it was recorded'),
    source: { type: 'string', description: 'Where the change came from: event, api, sms_keyword, import or operator.' },
  },
  required: ['purpose', 'status', 'granted', 'effectiveAt', 'recordedAt', 'source'],
};

const profileProperties: Record<string, JsonSchema> = {
  id: { type: 'string', description: 'The profile id (of the survivor, when a merged id was asked for).' },
  status: { type: 'string', enum: ['active', 'merged'] },
  traits: { type: 'object', description: 'The golden traits, by the tenant\'s survivorship rules.' },
  identifiers: { type: 'array', items: schemaRef('Identifier'), description: `Oldest first; at most ${MAX_LISTED}.` },
  identifiersTruncated: { type: 'boolean', description: `True when the profile has more than ${MAX_LISTED} identifiers.` },
  consents: { type: 'array', items: schemaRef('Consent'), description: 'The current consent per purpose.' },
  doNotContact: { type: 'boolean' },
  version: { type: 'integer', description: 'The golden-record version identity resolution last published on profiles.changes.' },
  firstSeenAt: dateTime('The earliest event'),
  lastSeenAt: dateTime('The latest event'),
  mergedProfileIds: { type: 'array', items: { type: 'string' }, description: `Profiles merged into this one (their ids find it); at most ${MAX_LISTED}.` },
  mergedProfileIdsTruncated: { type: 'boolean' },
};

const profile: JsonSchema = { type: 'object', properties: profileProperties, required: Object.keys(profileProperties) };

const profileAnswer: JsonSchema = {
  type: 'object',
  properties: {
    ...profileProperties,
    requestedId: { type: 'string', description: 'The id in the request path.' },
    mergedInto: nullable('string', 'When the id asked for was merged away: the profile it was merged into (= id); else null.'),
  },
  required: [...Object.keys(profileProperties), 'requestedId', 'mergedInto'],
};

const event: JsonSchema = {
  type: 'object',
  properties: {
    messageId: { type: 'string' },
    type: { type: 'string', enum: ['track', 'identify', 'page', 'screen', 'group', 'alias'] },
    event: nullable('string', 'The event name (track) or page/screen name; null otherwise.'),
    timestamp: dateTime('When the event happened (the event time the timeline is ordered by)'),
    receivedAt: dateTime('When Stratum received it'),
    sourceId: { type: 'string' },
    payload: { type: 'object', description: 'The archived event as identity resolution stored it.' },
  },
  required: ['messageId', 'type', 'event', 'timestamp', 'receivedAt', 'sourceId', 'payload'],
};

const merge: JsonSchema = {
  type: 'object',
  properties: {
    auditId: { type: 'string' },
    action: { type: 'string', enum: ['link', 'merge', 'unmerge', 'review', 'reject'] },
    profileId: { type: 'string', description: 'The subject: the survivor of a merge, the profile an identifier was linked to, the profile split by an unmerge.' },
    otherProfileIds: { type: 'array', items: { type: 'string' }, description: 'merge: the profiles absorbed; unmerge: the parts split off.' },
    identifiers: {
      type: 'array',
      items: { type: 'object', properties: { type: { type: 'string', enum: IDENTIFIER_TYPES }, namespace: { type: ['string', 'null'] }, valueHash: { type: 'string' } }, required: ['type', 'namespace', 'valueHash'] },
      description: 'The identifiers that caused it.',
    },
    messageId: nullable('string', 'The event that caused it; null for manual actions.'),
    sourceId: nullable('string', 'The source of that event.'),
    rule: { type: 'string', description: 'The rule that decided, e.g. exact identifier match, manual.' },
    reason: nullable('string', 'Why, when recorded.'),
    actor: nullable('string', 'Who, for manual actions.'),
    occurredAt: dateTime('When it was recorded'),
  },
  required: ['auditId', 'action', 'profileId', 'otherProfileIds', 'identifiers', 'messageId', 'sourceId', 'rule', 'reason', 'actor', 'occurredAt'],
};

const review: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    reason: { type: 'string', description: 'Why it was queued: fuzzy_match (the person import: a score between the thresholds, or a link the chain guard held back), or an anomaly-guard reason such as merge_limit.' },
    status: { type: 'string', enum: ['open', 'approved', 'rejected'] },
    identifier: {
      type: 'object',
      properties: { type: { type: 'string', enum: IDENTIFIER_TYPES }, namespace: { type: ['string', 'null'] }, valueHash: { type: 'string' } },
      required: ['type', 'namespace', 'valueHash'],
      description: 'The identifier the entry is about; for fuzzy_match, the stored person record matched (external_id in namespace stratum.person_record).',
    },
    candidateProfileIds: { type: 'array', items: { type: 'string' }, description: 'The profiles named when the entry was made.' },
    currentProfileIds: { type: 'array', items: { type: 'string' }, description: 'The active profiles those are now; one id: already the same person.' },
    match: {
      type: ['object', 'null'],
      properties: { score: { type: ['number', 'null'], description: 'Fellegi–Sunter score, bits.' }, tier: { type: ['string', 'null'] }, fields: { description: 'agreed and disagreed fields, each field\'s level and weight.' } },
      description: 'The matcher\'s evidence (fuzzy_match); null for anomaly-guard entries.',
    },
    messageId: nullable('string', 'The event or imported row that raised it.'),
    createdAt: dateTime('When it was queued'),
    decidedAt: { type: ['string', 'null'], format: 'date-time', description: 'When it was approved or rejected.' },
    decidedBy: nullable('string', 'Who decided.'),
  },
  required: ['id', 'reason', 'status', 'identifier', 'candidateProfileIds', 'currentProfileIds', 'match', 'messageId', 'createdAt', 'decidedAt', 'decidedBy'],
};

const consentChange: JsonSchema = {
  type: 'object',
  properties: {
    purpose: { type: 'string', pattern: PURPOSE_PATTERN.source, description: 'A lower-case name, e.g. marketing, analytics, advertising, sms, email.' },
    status: { type: 'string', enum: CONSENT_STATUSES },
    effectiveAt: { type: 'string', format: 'date-time', description: 'ISO-8601 with an offset; default now; at most 5 minutes in the future.' },
    evidence: { type: 'object', description: `Anything that proves the change (form id, IP, text shown), stored with it; at most ${MAX_EVIDENCE_BYTES} bytes of JSON.` },
  },
  required: ['purpose', 'status'],
  additionalProperties: false,
};

const withProfileId = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties: { profileId: { type: 'string', description: 'The profile answered for (the survivor, when a merged id was asked for).' }, ...properties },
  required: ['profileId', ...Object.keys(properties)],
});

/** components/schemas, besides Error (document.ts builds it from the error registry). */
export function componentSchemas(): Record<string, JsonSchema> {
  return {
    Identifier: identifier,
    Consent: consent,
    Profile: profile,
    ProfileAnswer: profileAnswer,
    ProfileList: { type: 'object', properties: { profiles: { type: 'array', items: schemaRef('Profile'), maxItems: 1 } }, required: ['profiles'] },
    Event: event,
    EventPage: withProfileId({ events: { type: 'array', items: schemaRef('Event') }, nextCursor: cursor }),
    MergeRecord: merge,
    MergePage: withProfileId({ merges: { type: 'array', items: schemaRef('MergeRecord') }, nextCursor: cursor }),
    ConsentChange: consentChange,
    ConsentChanges: {
      type: 'object',
      properties: { consents: { type: 'array', items: schemaRef('ConsentChange'), minItems: 1, maxItems: MAX_CONSENTS_PER_REQUEST } },
      required: ['consents'],
      additionalProperties: false,
    },
    Review: review,
    ReviewPage: { type: 'object', properties: { reviews: { type: 'array', items: schemaRef('Review') }, nextCursor: cursor }, required: ['reviews', 'nextCursor'] },
    ReviewDecisionRequest: {
      type: 'object',
      description: 'Optional: why (kept in the review entry\'s audit).',
      properties: { reason: { type: 'string', maxLength: 500, examples: ['same person: moved house, birth date mistyped'] } },
      additionalProperties: false,
    },
    ReviewDecision: {
      type: 'object',
      properties: {
        reviewId: { type: 'string' },
        status: { type: 'string', enum: ['approved', 'rejected'] },
        auditId: { type: 'string', description: 'The identity_audit record of the decision (action merge or reject, rule manual).' },
        profileId: nullable('string', 'approve: the profile the entry\'s profiles are now; reject: null.'),
        mergedProfileIds: { type: 'array', items: { type: 'string' }, description: 'approve: the profiles merged into profileId by this decision (empty when they were one already).' },
        decidedAt: dateTime('When it was decided'),
      },
      required: ['reviewId', 'status', 'auditId', 'profileId', 'mergedProfileIds', 'decidedAt'],
    },
    BulkReviewRequest: {
      type: 'object',
      properties: {
        select: {
          type: 'object',
          description: 'Which open entries: the fields of the GET /v1/reviews query parameters. At least one of reason, minScore, maxScore or settled: true.',
          properties: {
            reason: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$', examples: ['fuzzy_match'] },
            minScore: { type: 'number', description: 'Match score at least this (entries without a score are left out).' },
            maxScore: { type: 'number', description: 'Match score below this (entries without a score are left out).' },
            settled: { type: 'boolean', description: 'true: entries whose profiles are one already (approving closes them, merging nothing); false: the others.' },
          },
          additionalProperties: false,
        },
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'At most this many, the oldest first.' },
        reason: { type: 'string', maxLength: 500, description: "Why (kept in each entry's audit).", examples: ['checked 50 of them: all the same person'] },
        dryRun: { type: 'boolean', default: false, description: 'Count and name the entries; decide nothing.' },
      },
      required: ['select'],
      additionalProperties: false,
    },
    BulkReviewResult: {
      type: 'object',
      properties: {
        action: { type: 'string', enum: ['approve', 'reject'] },
        dryRun: { type: 'boolean' },
        selected: { type: 'integer', description: 'Open entries the selection named (up to limit).' },
        decided: { type: 'integer', description: 'Entries this request decided (dryRun: 0).' },
        profilesMerged: { type: 'integer', description: 'approve: profiles merged into another (entries whose profiles were one already merge nothing).' },
        decidedMeanwhile: { type: 'integer', description: 'Entries someone else decided between the selection and their turn.' },
        reviewIds: { type: 'array', items: { type: 'string' }, description: 'The entries selected, oldest first.' },
      },
      required: ['action', 'dryRun', 'selected', 'decided', 'profilesMerged', 'decidedMeanwhile', 'reviewIds'],
    },
    UnmergeRequest: {
      type: 'object',
      description: "What to take out of the profile's graph: one identifier (every link it has), or the link between two identifiers. Identifiers as in the look-up: `<type>:<value>` (hashed server-side), `<type>:<namespace>:<value>` for external_id and device_id.",
      properties: {
        identifier: { type: 'string', maxLength: 1024, examples: ['email:ann@example.com'] },
        edge: { type: 'array', items: { type: 'string', maxLength: 1024 }, minItems: 2, maxItems: 2, examples: [['user_id:bob', 'anonymous_id:ipad-7']] },
        reason: { type: 'string', maxLength: 500 },
      },
      additionalProperties: false,
    },
    UnmergeResult: {
      type: 'object',
      properties: {
        auditId: { type: 'string' },
        kept: schemaRef('UnmergedPart'),
        split: { type: 'array', items: schemaRef('UnmergedPart') },
        removedEdges: { type: 'integer' },
        occurredAt: { type: 'string', format: 'date-time' },
      },
      required: ['auditId', 'kept', 'split', 'removedEdges', 'occurredAt'],
    },
    UnmergedPart: {
      type: 'object',
      properties: {
        profileId: { type: 'string' },
        restored: { type: 'boolean', description: 'The id of a profile merged away earlier, given back.' },
        identifiers: { type: 'array', items: { type: 'string' }, description: 'Identifier keys `<type>:<namespace>:<valueHash>`.' },
        events: { type: 'integer' },
        traits: { type: 'object', additionalProperties: true },
        version: { type: 'integer' },
      },
      required: ['profileId', 'restored', 'identifiers', 'events', 'traits', 'version'],
    },
    ConsentList: withProfileId({ consents: { type: 'array', items: schemaRef('Consent') } }),
    ...destinationSchemas(),
    Health: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] },
    Readiness: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['ready', 'not_ready'] },
        checks: { type: 'object', additionalProperties: { type: 'object', properties: { ok: { type: 'boolean' }, error: { type: 'string' } }, required: ['ok'] } },
      },
      required: ['status', 'checks'],
    },
  };
}
