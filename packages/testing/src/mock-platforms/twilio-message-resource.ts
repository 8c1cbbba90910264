/**
 * Twilio's Message resource as the REST API returns it (2010-04-01), e.g.
 *   { "sid": "SM…", "account_sid": "AC…", "to", "from", "messaging_service_sid", "body",
 *     "status": "queued", "num_segments": "1", "direction": "outbound-api", "date_created": RFC 2822, … }
 */
import { randomBytes } from 'node:crypto';

/** The state the Twilio mock keeps of one outbound message. */
export interface TwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  /** queued (or accepted via a Messaging Service) → sent → delivered | undelivered, or failed. */
  status: string;
  errorCode: number | null;
  statusCallback: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A new Twilio SID: two-letter prefix and 32 hex digits. */
export function newTwilioSid(prefix: 'SM' | 'MG' | 'AC'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** The JSON Twilio answers for a message. */
export function messageResource(message: TwilioMessage): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid,
    api_version: '2010-04-01',
    body: message.body,
    date_created: rfc2822(message.createdAt),
    date_sent: message.status === 'queued' || message.status === 'accepted' ? null : rfc2822(message.updatedAt),
    date_updated: rfc2822(message.updatedAt),
    direction: 'outbound-api',
    error_code: message.errorCode,
    error_message: null,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: '0',
    num_segments: String(segmentCount(message.body)),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: message.to,
    uri: `${uri}.json`,
  };
}

/** Twilio writes dates as RFC 2822 with a numeric zone: "Tue, 27 Nov 2018 16:14:39 +0000". */
function rfc2822(millis: number): string {
  return new Date(millis).toUTCString().replace('GMT', '+0000');
}

/** SMS segments: 160/153 characters for plain ASCII (close enough to GSM-7 for tests), 70/67 (UCS-2) otherwise. */
function segmentCount(body: string): number {
  const characters = [...body].length;
  const gsm = /^[\x20-\x7E\n\r]*$/.test(body);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return characters <= single ? 1 : Math.ceil(characters / multi);
}
