/**
 * Everything ingest checks about an event on its own (no tracking plan): messageId, call type,
 * the JSON parts, the timestamps, the spec's rules. Returns every problem found, not just the
 * first, so an operator fixing a producer sees them all at once.
 */
import type { EventType, RawEvent } from '@stratum/schemas';
import type { RejectedIdentifier } from './identifiers/extract';
import { parseJsonObject, type JsonObject } from './json-object';
import { problem, type Problem } from './reasons';
import { checkCallFields, checkContext, checkIdentity, eventType, EVENT_TYPES } from './spec-rules';
import { eventTimes, parseIsoTimestamp, type EventTimes } from './timestamps';

/** A raw event that passed every check, with its parts parsed. */
export interface CheckedEvent {
  readonly type: EventType;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly previousId: string | null;
  readonly properties: JsonObject;
  readonly traits: JsonObject;
  readonly context: JsonObject;
  readonly integrations: JsonObject;
  readonly times: EventTimes;
  /** Identity fields sent with illegal values, treated as absent. */
  readonly ignoredIdentifiers: RejectedIdentifier[];
}

const JSON_FIELDS = ['properties', 'traits', 'context', 'integrations'] as const;
const TIME_FIELDS = ['timestamp', 'originalTimestamp', 'sentAt'] as const;

/** The checked event, or every problem with it. */
export function checkEvent(raw: RawEvent): { event: CheckedEvent } | { problems: Problem[] } {
  const problems: Problem[] = [];
  if (raw.messageId.trim() === '') problems.push(problem('missing_message_id', 'messageId is empty; it identifies the event for dedup', 'messageId'));

  const type = eventType(raw.type);
  if (type === null) problems.push(problem('invalid_type', `type ${JSON.stringify(raw.type)} is not one of ${EVENT_TYPES.join(', ')}`, 'type'));

  const parts = {} as Record<(typeof JSON_FIELDS)[number], JsonObject>;
  for (const field of JSON_FIELDS) {
    const parsed = parseJsonObject(raw[field], field);
    if ('problem' in parsed) problems.push(parsed.problem);
    else parts[field] = parsed.value;
  }
  if (parts.context) problems.push(...checkContext(parts.context));

  const client = { timestamp: null, originalTimestamp: null, sentAt: null } as Record<(typeof TIME_FIELDS)[number], number | null>;
  for (const field of TIME_FIELDS) {
    const text = raw[field];
    if (text === null) continue;
    client[field] = parseIsoTimestamp(text);
    if (client[field] === null) problems.push(problem('invalid_timestamp', `${field} ${JSON.stringify(text)} is not an ISO-8601 date-time`, field));
  }

  if (type === null) return { problems };
  const { identity, problems: identityProblems } = checkIdentity(raw, type);
  problems.push(...identityProblems, ...checkCallFields(raw, type));
  if (problems.length > 0) return { problems };

  return {
    event: {
      type,
      userId: identity.userId,
      anonymousId: identity.anonymousId,
      previousId: identity.previousId,
      properties: parts.properties,
      traits: parts.traits,
      context: parts.context,
      integrations: parts.integrations,
      times: eventTimes(raw.receivedAt, client),
      ignoredIdentifiers: identity.ignored,
    },
  };
}
