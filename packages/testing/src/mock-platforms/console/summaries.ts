/**
 * One line per event a mock kept, the same shape for every platform, so the console (and
 * `pnpm demo`) can show "what reached Meta" next to "what reached the webhook". Each platform
 * carries different ids: the webhook has the whole Stratum event, Meta and TikTok the messageId as
 * event_id, GA4 no event id at all (only its client_id and user_id).
 */
import type { Ga4RecordedEvent } from '../ga4-measurement-protocol';
import type { MetaRecordedEvent } from '../meta-conversions-api';
import { isJsonObject, type JsonObject } from '../request-body';
import type { TikTokRecordedEvent } from '../tiktok-events-api';
import type { ReceivedWebhook } from '../webhook-receiver';

/** A recorded event, summarised. */
export interface EventSummary {
  /** The Stratum messageId when the platform carries it (webhook data.messageId, Meta/TikTok event_id); null for GA4. */
  messageId: string | null;
  /** The event name as the platform got it (`Order Completed`, `Purchase`, `order_completed`, `PageView`…). */
  event: string;
  /** The user id the platform got in clear (webhook userId, GA4 user_id); Meta and TikTok only get hashes. */
  userId: string | null;
  /** The anonymous id (webhook anonymousId, GA4 client_id). */
  anonymousId: string | null;
  /** The Stratum profile id (webhook only). */
  profileId: string | null;
  /** A short note such as `value 79.97 USD` or `price 24 USD`, or null. */
  detail: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const object = (value: unknown): JsonObject => (isJsonObject(value) ? value : {});

/** `value 79.97 USD` (value or revenue), else `price 24 USD`, else null. */
function valueNote(fields: JsonObject): string | null {
  const value = fields.value ?? fields.revenue;
  const [label, amount] = typeof value === 'number' ? ['value', value] : ['price', fields.price];
  if (typeof amount !== 'number') return null;
  const currency = text(fields.currency);
  return `${label} ${amount}${currency === null ? '' : ` ${currency}`}`;
}

export function summariseWebhook(received: ReceivedWebhook): EventSummary {
  const data = object(object(received.payload).data);
  return {
    messageId: text(data.messageId),
    event: text(data.event) ?? text(data.name) ?? text(data.type) ?? '?',
    userId: text(data.userId),
    anonymousId: text(data.anonymousId),
    profileId: text(object(data.profile).id),
    detail: valueNote(object(data.properties)),
  };
}

export function summariseMeta(recorded: MetaRecordedEvent): EventSummary {
  const { event } = recorded;
  return { messageId: text(event.event_id), event: event.event_name, userId: null, anonymousId: null, profileId: null, detail: valueNote(object(event.custom_data)) };
}

export function summariseGa4(recorded: Ga4RecordedEvent): EventSummary {
  return { messageId: null, event: recorded.name, userId: recorded.userId ?? null, anonymousId: recorded.clientId, profileId: null, detail: valueNote(recorded.params) };
}

export function summariseTikTok(recorded: TikTokRecordedEvent): EventSummary {
  const { event } = recorded;
  return { messageId: text(event.event_id), event: event.event, userId: null, anonymousId: null, profileId: null, detail: valueNote(object(event.properties)) };
}
