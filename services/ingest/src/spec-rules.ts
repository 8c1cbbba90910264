/**
 * The Segment spec's rules for each call (segment.com/docs/connections/spec): who the event is
 * about (userId or anonymousId), and what each call type needs (track: event; alias: userId and
 * previousId; group: groupId). Illegal identifier values (@stratum/identifiers) count as absent.
 */
import { isIllegalIdentifier } from '@stratum/identifiers';
import type { EventType, RawEvent } from '@stratum/schemas';
import type { RejectedIdentifier } from './identifiers/extract';
import { describeJsonType, isJsonObject, type JsonObject } from './json-object';
import { problem, type Problem } from './reasons';

export const EVENT_TYPES: readonly EventType[] = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

/** The call type, or null when it is not one of Segment's six. */
export function eventType(type: string): EventType | null {
  return (EVENT_TYPES as readonly string[]).includes(type) ? (type as EventType) : null;
}

/** Whether a field was sent at all: null and "" mean the client had nothing to send. */
function sent(value: string | null): value is string {
  return value !== null && value !== '';
}

/** An identity field that was sent and is legal, else null. */
function legal(value: string | null): string | null {
  return sent(value) && !isIllegalIdentifier(value) ? value : null;
}

export interface Identity {
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly previousId: string | null;
  /** Identity fields sent with an illegal value, now treated as absent. */
  readonly ignored: RejectedIdentifier[];
}

/** The identity fields with illegal values removed, and what is wrong with what remains. */
export function checkIdentity(raw: RawEvent, type: EventType): { identity: Identity; problems: Problem[] } {
  const identity: Identity = {
    userId: legal(raw.userId),
    anonymousId: legal(raw.anonymousId),
    previousId: type === 'alias' ? legal(raw.previousId) : raw.previousId,
    ignored: [
      ...(sent(raw.userId) && isIllegalIdentifier(raw.userId) ? [{ type: 'user_id', path: 'userId', reason: 'illegal_value' } as const] : []),
      ...(sent(raw.anonymousId) && isIllegalIdentifier(raw.anonymousId) ? [{ type: 'anonymous_id', path: 'anonymousId', reason: 'illegal_value' } as const] : []),
    ],
  };
  const problems: Problem[] = [];
  if (type === 'alias') {
    // alias names both sides of the link; each must be a real id.
    if (!sent(raw.userId)) problems.push(problem('missing_user_id', 'alias needs userId, the id the user is now known by', 'userId'));
    else if (identity.userId === null) problems.push(problem('illegal_user_id', `userId ${JSON.stringify(raw.userId)} is not a usable id`, 'userId'));
    if (!sent(raw.previousId)) problems.push(problem('missing_previous_id', 'alias needs previousId, the id the user was known by before', 'previousId'));
    else if (identity.previousId === null) problems.push(problem('illegal_previous_id', `previousId ${JSON.stringify(raw.previousId)} is not a usable id`, 'previousId'));
  } else if (identity.userId === null && identity.anonymousId === null) {
    if (sent(raw.userId) || sent(raw.anonymousId)) {
      const values = [sent(raw.userId) ? `userId ${JSON.stringify(raw.userId)}` : null, sent(raw.anonymousId) ? `anonymousId ${JSON.stringify(raw.anonymousId)}` : null].filter((v) => v !== null);
      problems.push(problem('illegal_identity', `${values.join(' and ')} ${values.length > 1 ? 'are' : 'is'} not usable; every event needs a real userId or anonymousId`, sent(raw.userId) ? 'userId' : 'anonymousId'));
    } else {
      problems.push(problem('missing_identity', 'every event needs a userId or an anonymousId', 'userId'));
    }
  }
  return { identity, problems };
}

/** What the call type itself requires beyond identity. */
export function checkCallFields(raw: RawEvent, type: EventType): Problem[] {
  if (type === 'track' && (raw.event === null || raw.event.trim() === '')) return [problem('missing_event_name', 'track needs an event name', 'event')];
  if (type === 'group' && (raw.groupId === null || raw.groupId.trim() === '')) return [problem('missing_group_id', 'group needs a groupId', 'groupId')];
  return [];
}

/**
 * The parts of context ingest reads identifiers from must have Segment's shapes: context.traits an
 * object, context.externalIds a list of { id, type } (id a string or number, type a string).
 */
export function checkContext(context: JsonObject): Problem[] {
  const problems: Problem[] = [];
  if (context.traits !== undefined && context.traits !== null && !isJsonObject(context.traits)) {
    problems.push(problem('not_an_object', `context.traits must be a JSON object, got ${describeJsonType(context.traits)}`, 'context.traits'));
  }
  const externalIds = context.externalIds;
  if (externalIds === undefined || externalIds === null) return problems;
  if (!Array.isArray(externalIds)) {
    problems.push(problem('invalid_external_id', `context.externalIds must be a list, got ${describeJsonType(externalIds)}`, 'context.externalIds'));
    return problems;
  }
  externalIds.forEach((entry: unknown, i) => {
    const path = `context.externalIds[${i}]`;
    if (!isJsonObject(entry)) problems.push(problem('invalid_external_id', `${path} must be an object {id, type}, got ${describeJsonType(entry)}`, path));
    else if (typeof entry.id !== 'string' && typeof entry.id !== 'number') problems.push(problem('invalid_external_id', `${path}.id must be a string, got ${describeJsonType(entry.id)}`, `${path}.id`));
    else if (typeof entry.type !== 'string' || entry.type.trim() === '') problems.push(problem('invalid_external_id', `${path}.type must be a non-empty string naming the id's system`, `${path}.type`));
  });
  return problems;
}
