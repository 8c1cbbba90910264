/**
 * The rules Meta's Conversions API applies to each server event (one failing event fails the whole
 * request, as Meta does). Sources: developers.facebook.com/docs/marketing-api/conversions-api/
 * parameters (server-event, customer-information-parameters) and its best-practices page.
 *
 * - event_name: required string.
 * - event_time: required, Unix *seconds*; more than 7 days old → 100/2804003. A value more than
 *   7 days ahead is refused too: that is what milliseconds look like.
 * - action_source: required, one of META_ACTION_SOURCES; `website` also needs event_source_url
 *   and user_data.client_user_agent.
 * - user_data: required object; em and ph must be lower-case SHA-256 hex (one or a list); it must
 *   carry at least one matching key (else 100/2804050).
 */
import { firstUnhashed } from './hashed-identifiers';
import { invalidEventParameter } from './meta-errors';
import type { MetaProblem } from './meta-errors';
import { isJsonObject } from './request-body';

/** Every action_source Meta accepts. */
export const META_ACTION_SOURCES = ['email', 'website', 'app', 'phone_call', 'chat', 'physical_store', 'system_generated', 'business_messaging', 'other'] as const;

const SEVEN_DAYS_SECONDS = 7 * 24 * 60 * 60;

/** user_data keys of which one suffices to match (client_ip_address and client_user_agent only as a pair). */
const MATCHING_KEYS = ['em', 'ph', 'external_id', 'fbc', 'fbp', 'lead_id', 'madid', 'anon_id', 'subscription_id', 'fb_login_id', 'ctwa_clid'];

/** The first problem of one event, or undefined when Meta would take it. */
export function metaEventProblem(event: unknown, index: number, nowSeconds: number): MetaProblem | undefined {
  if (!isJsonObject(event)) return invalidEventParameter('invalid_event', index, 'Invalid event', 'each element of data must be an object');
  const { event_name: name, event_time: time, action_source: source, user_data: userData } = event;
  if (typeof name !== 'string' || name === '') return invalidEventParameter('missing_event_name', index, 'Missing event_name', 'event_name is required');
  const timeProblem = eventTimeProblem(time, index, nowSeconds);
  if (timeProblem !== undefined) return timeProblem;
  if (source === undefined) return invalidEventParameter('missing_action_source', index, 'Missing action_source', 'action_source is required');
  if (!(META_ACTION_SOURCES as readonly unknown[]).includes(source)) {
    return invalidEventParameter('invalid_action_source', index, 'Invalid action_source', `action_source ${JSON.stringify(source)} is not one of ${META_ACTION_SOURCES.join(', ')}`);
  }
  if (!isJsonObject(userData)) return invalidEventParameter('missing_user_data', index, 'Missing user_data', 'user_data is required');
  if (source === 'website') {
    if (typeof event.event_source_url !== 'string' || event.event_source_url === '') {
      return invalidEventParameter('missing_event_source_url', index, 'Missing event_source_url', 'website events require event_source_url');
    }
    if (typeof userData.client_user_agent !== 'string' || userData.client_user_agent === '') {
      return invalidEventParameter('missing_client_user_agent', index, 'Missing client_user_agent', 'website events require user_data.client_user_agent');
    }
  }
  return userDataProblem(userData, index);
}

function eventTimeProblem(time: unknown, index: number, nowSeconds: number): MetaProblem | undefined {
  if (time === undefined) return invalidEventParameter('missing_event_time', index, 'Missing event_time', 'event_time is required');
  if (typeof time !== 'number' || !Number.isInteger(time)) {
    return invalidEventParameter('invalid_event_time', index, 'Invalid event_time', `event_time must be an integer Unix timestamp in seconds, got ${JSON.stringify(time)}`);
  }
  if (time < nowSeconds - SEVEN_DAYS_SECONDS) {
    return {
      reason: 'event_time_too_old',
      code: 100,
      subcode: 2804003,
      message: 'Invalid parameter',
      userTitle: 'Event Timestamp Too Old',
      userMsg:
        'The timestamp for this event is too far in the past. Events need to be sent from your server within 7 days of when they occurred. Enter a timestamp that has occurred within the last 7 days.',
    };
  }
  if (time > nowSeconds + SEVEN_DAYS_SECONDS) {
    return invalidEventParameter('event_time_in_future', index, 'Event Timestamp In Future', `event_time ${time} is in the future (Unix seconds expected)`);
  }
  return undefined;
}

function userDataProblem(userData: Record<string, unknown>, index: number): MetaProblem | undefined {
  for (const key of ['em', 'ph']) {
    if (userData[key] === undefined) continue;
    const unhashed = firstUnhashed(userData[key]);
    if (unhashed !== undefined) {
      return invalidEventParameter('unhashed_user_data', index, 'Invalid customer information', `user_data.${key} must be a lower-case SHA-256 hex digest, got ${unhashed}`);
    }
  }
  const matchable = MATCHING_KEYS.some((key) => userData[key] !== undefined) || (userData.client_ip_address !== undefined && userData.client_user_agent !== undefined);
  if (matchable) return undefined;
  return {
    reason: 'insufficient_customer_information',
    code: 100,
    subcode: 2804050,
    message: 'Invalid parameter',
    userTitle: 'Customer information parameters',
    userMsg: 'This event has insufficient customer information.',
  };
}
