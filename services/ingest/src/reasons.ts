/**
 * Every reason ingest quarantines a record for: stable snake_case codes that label metrics and
 * land in events.invalid. They are a public interface (operators filter and alert on them), so
 * docs/ingest.md lists each one; a test fails when the table and this list disagree.
 */
export const QUARANTINE_REASONS = {
  unknown_source: 'the (tenantId, sourceId) pair names no source',
  source_disabled: 'the source exists but is disabled',
  missing_message_id: 'messageId is empty: it is the dedup key',
  invalid_type: 'type is not one of track, identify, page, screen, group, alias',
  invalid_json: 'properties, traits, context or integrations is not valid JSON text',
  not_an_object: 'properties, traits, context, integrations or context.traits is JSON but not an object',
  invalid_timestamp: 'timestamp, originalTimestamp or sentAt is not an ISO-8601 date-time',
  missing_identity: 'neither userId nor anonymousId was sent',
  illegal_identity: 'userId and/or anonymousId were sent, but every one is an illegal value (e.g. "null", "anonymous")',
  missing_event_name: 'a track call without an event name',
  missing_user_id: 'an alias call without userId',
  illegal_user_id: 'an alias call whose userId is an illegal value',
  missing_previous_id: 'an alias call without previousId',
  illegal_previous_id: 'an alias call whose previousId is an illegal value',
  missing_group_id: 'a group call without groupId',
  invalid_external_id: 'context.externalIds is not a list of {id, type} objects with string id and type',
  invalid_schema_version: 'schemaVersion is not a semver version',
  unknown_schema_version: "the event is in the tracking plan, but not at the schema version it declared (or the plan's default)",
  unplanned_event: 'the source blocks unplanned events and the plan does not describe this one',
  plan_violation: "the event's properties (track, page, screen) or traits (identify, group) break its planned JSON Schema",
  invalid_plan_schema: "the tracking plan's JSON Schema for this event does not compile (a plan error, not the event's)",
} as const;

export type QuarantineReason = keyof typeof QUARANTINE_REASONS;

/** One thing wrong with a record: a stable code, a human message, and where (a dotted path). */
export interface Problem {
  readonly code: QuarantineReason;
  readonly message: string;
  readonly path?: string;
}

/** A problem, with `path` only when there is one (exactOptionalPropertyTypes). */
export function problem(code: QuarantineReason, message: string, path?: string): Problem {
  return path === undefined ? { code, message } : { code, message, path };
}
