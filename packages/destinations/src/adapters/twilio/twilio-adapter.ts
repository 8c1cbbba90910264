/**
 * Twilio SMS destination (twilio.com/docs/messaging/api/message-resource, "Create a Message"):
 *
 *   POST {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json
 *   Authorization: Basic base64({AccountSid or API key SID}:{auth token or API key secret})
 *   content-type: application/x-www-form-urlencoded
 *   To={E.164}&From={number}|MessagingServiceSid={MG...}&Body={text}&StatusCallback={url}
 *
 * One message per event, for track events that have a template. The recipient is the profile's
 * cleartext phone (kept only when the tenant's PII policy allows), never the hash. Quiet hours
 * defer the event to their end (`deferred` + notBefore) rather than drop it. Twilio has no
 * idempotency key on this endpoint: a retry after a timeout can send a second text.
 */
import { canonicalPhone } from '@stratum/identifiers';
import { classifyNetworkError } from '../classify-http';
import { ConfigReader } from '../config-reader';
import { eventFields, isJsonObject, stringAt } from '../event-fields';
import { preparedEvent } from '../prepared-event';
import { skip } from '../skip-reasons';
import type { BatchAdapter, HttpRequest } from '../types';
import { isValidTimeZone, parseClockTime, quietHoursEnd, type QuietHours } from './quiet-hours';
import { renderTemplate, unknownPlaceholders } from './sms-template';
import { classifyTwilioResponse } from './twilio-errors';

/** "The text of the message ... can be up to 1,600 characters in length." */
export const TWILIO_MAX_BODY_CHARS = 1600;

export interface TwilioSmsConfig {
  readonly accountSid: string;
  /** Basic-auth user and password: the account SID and auth token, or an API key SID and secret. */
  readonly username: string;
  readonly password: string;
  readonly sender: { readonly from: string } | { readonly messagingServiceSid: string };
  /** Track event name → body template; events without one are not texted. */
  readonly templates: ReadonlyMap<string, string>;
  readonly statusCallbackUrl: string | null;
  readonly quietHours: QuietHours | null;
  /** When neither the profile nor the event says where the recipient is. */
  readonly defaultTimezone: string;
  /** ISO 3166-1 alpha-2 region to read national phone numbers in; null reads international ones only. */
  readonly defaultRegion: string | null;
  readonly baseUrl: string;
}

export interface SmsPayload {
  readonly to: string;
  readonly body: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

function readQuietHours(r: ConfigReader): QuietHours | null {
  const raw = r.raw('settings', 'quietHours');
  if (raw === undefined || raw === null) return null;
  const start = isJsonObject(raw) && typeof raw.start === 'string' ? parseClockTime(raw.start) : null;
  const end = isJsonObject(raw) && typeof raw.end === 'string' ? parseClockTime(raw.end) : null;
  if (start === null || end === null) {
    r.problem('settings.quietHours', 'must be { start: "HH:MM", end: "HH:MM" } in 24-hour local time');
    return null;
  }
  return { startMinute: start, endMinute: end };
}

function readSender(r: ConfigReader): TwilioSmsConfig['sender'] {
  const from = r.optionalString('settings', 'from', { hint: 'an E.164 number or an alphanumeric sender id' });
  const service = r.optionalString('settings', 'messagingServiceSid', { pattern: /^MG[0-9a-fA-F]{32}$/, hint: 'MG followed by 32 hex digits' });
  if ((from === null) === (service === null)) r.problem('settings.from', 'set exactly one of from and messagingServiceSid');
  if (from !== null && !E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) r.problem('settings.from', `${JSON.stringify(from)} is neither an E.164 number nor an alphanumeric sender id`);
  return service !== null ? { messagingServiceSid: service } : { from: from ?? '' };
}

function readConfig(input: unknown): TwilioSmsConfig {
  const r = new ConfigReader('twilio_sms', input);
  const accountSid = r.requiredString('settings', 'accountSid', { pattern: /^AC[0-9a-fA-F]{32}$/, hint: 'AC followed by 32 hex digits' });
  const authToken = r.optionalString('credentials', 'authToken');
  const apiKeySid = r.optionalString('credentials', 'apiKeySid', { pattern: /^SK[0-9a-fA-F]{32}$/, hint: 'an API key SID' });
  const apiKeySecret = r.optionalString('credentials', 'apiKeySecret');
  if (authToken === null && (apiKeySid === null || apiKeySecret === null)) r.problem('credentials', 'set authToken, or apiKeySid with apiKeySecret');
  const templates = r.stringMap('settings', 'templates');
  if (templates.size === 0) r.problem('settings.templates', 'required (event name → message template)');
  for (const [event, template] of templates) {
    const unknown = unknownPlaceholders(template);
    if (unknown.length > 0) r.problem(`settings.templates.${event}`, `placeholders must start with traits., properties. or event: ${unknown.join(', ')}`);
  }
  const defaultTimezone = r.optionalString('settings', 'defaultTimezone') ?? 'UTC';
  if (!isValidTimeZone(defaultTimezone)) r.problem('settings.defaultTimezone', `${JSON.stringify(defaultTimezone)} is not an IANA time zone`);
  const login = apiKeySid !== null && apiKeySecret !== null ? { username: apiKeySid, password: apiKeySecret } : { username: accountSid, password: authToken ?? '' };
  const statusCallbackUrl = r.raw('settings', 'statusCallbackUrl') === undefined ? null : r.url('settings', 'statusCallbackUrl', null);
  return r.done({
    accountSid,
    ...login,
    sender: readSender(r),
    templates,
    statusCallbackUrl,
    quietHours: readQuietHours(r),
    defaultTimezone,
    defaultRegion: r.optionalString('settings', 'defaultRegion', { pattern: /^[A-Z]{2}$/, hint: 'an ISO 3166-1 alpha-2 region like DE' }),
    baseUrl: r.url('settings', 'baseUrl', 'https://api.twilio.com'),
  });
}

/** The recipient's time zone: the profile's, else the event's, else the destination's default. */
function recipientTimeZone(candidates: (string | null)[], fallback: string): string {
  return candidates.find((tz): tz is string => tz !== null && isValidTimeZone(tz)) ?? fallback;
}

function callbackUrl(base: string, key: string): string {
  const url = new URL(base);
  // Lets the gateway tie a callback to the event even when Twilio's answer (with the SID) was lost.
  url.searchParams.set('stratum_key', key);
  return url.toString();
}

export const twilioSmsAdapter: BatchAdapter<TwilioSmsConfig, SmsPayload> = {
  type: 'twilio_sms',
  kind: 'batch',
  maxBatch: 1,

  parseConfig: readConfig,

  prepare(event, config, ctx) {
    if (event.doNotContact) return skip('do_not_contact', 'the profile is on a do-not-contact list');
    if (event.type !== 'track' || event.event === null) return skip('event_type_not_supported', `SMS is sent for track events, not ${event.type}`);
    const template = config.templates.get(event.event);
    if (template === undefined) return skip('event_not_triggering', 'no message template for this event');
    const { profileTraits, traits, context, properties } = eventFields(event);
    const phone = stringAt(profileTraits, 'phone') ?? stringAt(traits, 'phone') ?? stringAt(context, 'traits.phone');
    if (phone === null) return skip('no_phone', 'the profile has no cleartext phone number');
    const parsed = canonicalPhone(phone, config.defaultRegion);
    if ('rejected' in parsed) return skip('invalid_phone', `the phone number is not valid (${parsed.rejected})`);
    const body = renderTemplate(template, { traits: { ...profileTraits, ...traits }, properties, event: event.event }).trim();
    if (body === '') return skip('body_empty', 'the template rendered to an empty message');
    const chars = [...body].length;
    if (chars > TWILIO_MAX_BODY_CHARS) return skip('body_too_long', `the message is ${chars} characters, Twilio allows ${TWILIO_MAX_BODY_CHARS}`);
    if (config.quietHours !== null) {
      const timeZone = recipientTimeZone([stringAt(profileTraits, 'timezone'), stringAt(context, 'timezone')], config.defaultTimezone);
      const end = quietHoursEnd(ctx.now, timeZone, config.quietHours);
      if (end !== null) return skip('quiet_hours', `quiet hours in ${timeZone} until ${new Date(end).toISOString()}`, end);
    }
    return preparedEvent(event, ctx, { to: parsed.e164, body });
  },

  buildRequests(prepared, config) {
    const authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64')}`;
    return prepared.map((p): HttpRequest => {
      const form = new URLSearchParams({ To: p.payload.to, Body: p.payload.body });
      if ('from' in config.sender) form.set('From', config.sender.from);
      else form.set('MessagingServiceSid', config.sender.messagingServiceSid);
      if (config.statusCallbackUrl !== null) form.set('StatusCallback', callbackUrl(config.statusCallbackUrl, p.idempotencyKey));
      return {
        method: 'POST',
        url: `${config.baseUrl}/2010-04-01/Accounts/${config.accountSid}/Messages.json`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
        body: form.toString(),
        events: [{ messageId: p.messageId, idempotencyKey: p.idempotencyKey }],
        secrets: [config.password, authorization],
      };
    });
  },

  classify(result, _request, ctx) {
    if ('networkError' in result) return classifyNetworkError(result.networkError);
    return classifyTwilioResponse(result.response, ctx);
  },
};
