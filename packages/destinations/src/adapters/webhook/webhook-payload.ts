/**
 * The webhook body: a stable, documented contract with tenants' endpoints (see ../README.md,
 * "Webhook payload"). Shaped as Standard Webhooks recommends (`type`, `timestamp`, `data`); `data`
 * is the Segment-style event plus the resolved profile. Add fields, never rename or remove them;
 * a breaking change is a new `data.version`.
 *
 * No cleartext email or phone: the profile carries only the hashes (as the event does), and
 * profile traits are left out on purpose (they may hold PII the tenant's policy keeps).
 */
import type { EventType, ResolvedEvent } from '@stratum/schemas';
import { isoTime, parseObject, type JsonObject } from '../event-fields';

export const WEBHOOK_PAYLOAD_VERSION = 1;

export interface WebhookProfile {
  readonly id: string;
  /** Profiles this event merged into `id` (a receiver keyed by profile id should fold them). */
  readonly mergedIds: readonly string[];
  readonly userId: string | null;
  readonly anonymousId: string | null;
  /** Lower-case hex SHA-256 of the trimmed, lower-cased primary email. */
  readonly emailHash: string | null;
  /** Lower-case hex SHA-256 of the primary phone in E.164. */
  readonly phoneHash: string | null;
}

export interface WebhookEventData {
  readonly version: typeof WEBHOOK_PAYLOAD_VERSION;
  readonly messageId: string;
  readonly type: EventType;
  readonly event: string | null;
  readonly name: string | null;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly groupId: string | null;
  readonly previousId: string | null;
  readonly timestamp: string;
  readonly originalTimestamp: string | null;
  readonly sentAt: string | null;
  readonly receivedAt: string;
  readonly properties: JsonObject;
  readonly traits: JsonObject;
  readonly context: JsonObject;
  readonly sourceId: string;
  readonly profile: WebhookProfile;
}

export interface WebhookPayload {
  /** `event.<type>`: event.track, event.identify, event.page, event.screen, event.group, event.alias. */
  readonly type: `event.${EventType}`;
  /** When the event happened (not when it was delivered). */
  readonly timestamp: string;
  readonly data: WebhookEventData;
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));

/** The webhook body of one event (a pure function of the event: retries send identical bytes). */
export function webhookPayload(event: ResolvedEvent): WebhookPayload {
  return {
    type: `event.${event.type}`,
    timestamp: isoTime(event.timestamp),
    data: {
      version: WEBHOOK_PAYLOAD_VERSION,
      messageId: event.messageId,
      type: event.type,
      event: event.event,
      name: event.name,
      userId: event.userId,
      anonymousId: event.anonymousId,
      groupId: event.groupId,
      previousId: event.previousId,
      timestamp: isoTime(event.timestamp),
      originalTimestamp: isoOrNull(event.originalTimestamp),
      sentAt: isoOrNull(event.sentAt),
      receivedAt: isoTime(event.receivedAt),
      properties: parseObject(event.properties),
      traits: parseObject(event.traits),
      context: parseObject(event.context),
      sourceId: event.sourceId,
      profile: {
        id: event.profileId,
        mergedIds: event.mergedProfileIds,
        userId: event.canonical.userId,
        anonymousId: event.canonical.anonymousId,
        emailHash: event.canonical.emailHash,
        phoneHash: event.canonical.phoneHash,
      },
    },
  };
}
