/**
 * A checked event as the RawEvent the gateway publishes to events.raw. The server owns tenantId,
 * sourceId, channel, receivedAt and requestId: whatever the client sent under those names is
 * ignored. The rest is carried as sent: ids and times as text (a JSON number as its decimal
 * text, left to ingest to interpret), free-form objects as JSON text.
 */
import { randomUUID } from 'node:crypto';
import type { RawEvent } from '@stratum/schemas';
import type { JsonObject } from '../http/parse-json';
import type { EventObjectsJson } from './event-json';
import { textOf } from './fields';
import type { BatchDefaults } from './request-events';
import type { SegmentType } from './routes';

/** What the gateway stamps on every event of one request. */
export interface RequestStamp {
  readonly tenantId: string;
  readonly sourceId: string;
  /** The gateway's clock when the request arrived: one value for all its events. */
  readonly receivedAt: number;
  readonly requestId: string;
}

/**
 * JSON text of the event's own object merged over the batch's (shallow: the event's keys win).
 * Without one of the two it is the other's text, already made (once per event or per batch).
 */
function mergedJson(own: unknown, ownJson: string | null, batch: JsonObject | null, batchJson: string | null): string | null {
  if (ownJson === null) return batchJson;
  return batch === null ? ownJson : JSON.stringify({ ...batch, ...(own as JsonObject) });
}

/** A non-empty messageId as text, else a new UUID: the dedup key must exist and be unique. */
function messageIdOf(value: unknown): string {
  const text = textOf(value);
  return text === null || text === '' ? randomUUID() : text;
}

/** `objects` is the event's free-form JSON from eventJson (the size check made it already). */
export function buildRawEvent(event: JsonObject, objects: EventObjectsJson, type: SegmentType, defaults: BatchDefaults, stamp: RequestStamp): RawEvent {
  return {
    tenantId: stamp.tenantId,
    sourceId: stamp.sourceId,
    channel: 'http',
    messageId: messageIdOf(event['messageId']),
    type,
    receivedAt: stamp.receivedAt,
    sentAt: textOf(event['sentAt']) ?? defaults.sentAt,
    timestamp: textOf(event['timestamp']),
    originalTimestamp: textOf(event['originalTimestamp']),
    userId: textOf(event['userId']),
    anonymousId: textOf(event['anonymousId']),
    event: textOf(event['event']),
    name: textOf(event['name']),
    groupId: textOf(event['groupId']),
    previousId: textOf(event['previousId']),
    properties: objects.properties,
    traits: objects.traits,
    context: mergedJson(event['context'], objects.context, defaults.context, defaults.contextJson),
    integrations: mergedJson(event['integrations'], objects.integrations, defaults.integrations, defaults.integrationsJson),
    schemaVersion: textOf(event['schemaVersion']) ?? defaults.schemaVersion,
    requestId: stamp.requestId,
  };
}
