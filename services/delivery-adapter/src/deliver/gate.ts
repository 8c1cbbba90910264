/**
 * The destination's own rules, applied at delivery time (every attempt, not only the first):
 * the event filters, Segment's per-call `integrations` switches, consent for the destination's
 * purpose as it stands *now*, and backfills that must not reach people. Pure.
 */
import { consentGrantedNow, doNotContactNow, type CurrentProfile } from '@stratum/delivery';
import type { DestinationFilters } from '@stratum/destinations';
import type { ResolvedEvent } from '@stratum/schemas';
import type { WorkItem } from './work';

export interface GateSkip {
  readonly reason: 'filtered' | 'integration_disabled' | 'consent_denied' | 'consent_revoked' | 'backfill_not_sent';
  readonly message: string;
}

/** Adapters that act on a person now: a backfill (historical events) must not text anyone. */
const ACTS_ON_PEOPLE = new Set(['twilio_sms']);

/** The name a filter matches: the track event's name, else the call type. */
function filterName(event: ResolvedEvent): string {
  return event.type === 'track' && event.event !== null ? event.event : event.type;
}

export function filterSkip(filters: DestinationFilters, event: ResolvedEvent): GateSkip | null {
  const name = filterName(event);
  if (filters.events && !filters.events.includes(name) && !filters.events.includes(event.type)) return { reason: 'filtered', message: `${name} is not among the destination's events` };
  if (filters.excludeEvents && (filters.excludeEvents.includes(name) || filters.excludeEvents.includes(event.type))) return { reason: 'filtered', message: `${name} is excluded by the destination` };
  return null;
}

/** Segment semantics: `{ "All": false, "Name": true }` sends only to Name; `{ "Name": false }` skips Name. */
export function integrationSkip(integrationsJson: string, destinationName: string): GateSkip | null {
  let integrations: Record<string, unknown>;
  try {
    integrations = JSON.parse(integrationsJson) as Record<string, unknown>;
  } catch {
    return null;
  }
  const own = integrations[destinationName];
  if (own === false) return { reason: 'integration_disabled', message: `the event's integrations turn ${destinationName} off` };
  if (integrations.All === false && (own === undefined || own === false)) return { reason: 'integration_disabled', message: `the event's integrations turn all destinations off and do not name ${destinationName}` };
  return null;
}

/**
 * Consent for `purpose`, opt-in: granted only by a recorded grant. The profile's current state
 * wins; the event's snapshot is used only when the profile is unknown to this database.
 */
export function consentSkip(purpose: string | undefined, event: ResolvedEvent, current: CurrentProfile | undefined): GateSkip | null {
  if (purpose === undefined) return null;
  if (consentGrantedNow(purpose, event, current)) return null;
  const atResolution = event.consents.find((c) => c.purpose === purpose)?.granted ?? false;
  return atResolution
    ? { reason: 'consent_revoked', message: `consent for ${purpose} was withdrawn after the event was resolved` }
    : { reason: 'consent_denied', message: `the profile has not granted ${purpose}` };
}

export function gateSkip(item: WorkItem, current: CurrentProfile | undefined): GateSkip | null {
  const { record } = item.destination;
  if (item.backfill && ACTS_ON_PEOPLE.has(record.type)) return { reason: 'backfill_not_sent', message: `a backfill is not sent to ${record.type}: it would reach people about past events` };
  return filterSkip(record.filters, item.event) ?? integrationSkip(item.event.integrations, record.name) ?? consentSkip(record.filters.consentPurpose, item.event, current);
}

/** The event as the adapter should see it: the profile's do-not-contact flag as it stands now. */
export function withCurrentFlags(event: ResolvedEvent, current: CurrentProfile | undefined): ResolvedEvent {
  const doNotContact = doNotContactNow(event, current);
  return doNotContact === event.doNotContact ? event : { ...event, doNotContact };
}
