/**
 * The checks Twilio makes when a Message is created (POST …/Messages.json, form-encoded), in the
 * order a request meets them here. Sources: twilio.com/docs/messaging/api/message-resource and the
 * error pages named in twilio-errors.ts.
 */
import type { TwilioProblem } from './twilio-errors';

const E164 = /^\+[1-9]\d{1,14}$/;
/** Alphanumeric sender ids: up to 11 characters, at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const MAX_BODY_CHARACTERS = 1600;

/** The first problem of a create-message request, or undefined when Twilio would queue it. */
export function twilioMessageProblem(fields: Readonly<Record<string, string>>, isOptedOut: (to: string) => boolean): TwilioProblem | undefined {
  const { To: to, From: from, MessagingServiceSid: service, Body: body, MediaUrl: media, ContentSid: content, StatusCallback: callback } = fields;
  if (to === undefined || to === '') return problem(21604, 'missing_to', "A 'To' phone number is required.");
  if (!E164.test(channelAddress(to))) return problem(21211, 'invalid_to', `The 'To' number ${to} is not a valid phone number.`);
  if ((from === undefined || from === '') && (service === undefined || service === '')) {
    return problem(21603, 'missing_from', "A 'From' phone number is required.");
  }
  if (from !== undefined && from !== '' && !E164.test(channelAddress(from)) && !ALPHANUMERIC_SENDER.test(from)) {
    return problem(21212, 'invalid_from', `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
  }
  if ((body === undefined || body === '') && media === undefined && content === undefined) return problem(21602, 'missing_body', 'Message body is required.');
  if (body !== undefined && [...body].length > MAX_BODY_CHARACTERS) {
    return problem(21617, 'body_too_long', `The concatenated message body exceeds the ${MAX_BODY_CHARACTERS} character limit.`);
  }
  if (from !== undefined && from === to) return problem(21266, 'to_equals_from', "'To' and 'From' number cannot be the same.");
  if (callback !== undefined && !isHttpUrl(callback)) return problem(21609, 'invalid_status_callback', `The StatusCallback URL ${callback} is not a valid URL.`);
  if (isOptedOut(to)) return problem(21610, 'unsubscribed_recipient', 'Attempt to send to unsubscribed recipient');
  return undefined;
}

/** `whatsapp:+1555…` and friends carry a phone number after the channel prefix. */
function channelAddress(address: string): string {
  const colon = address.indexOf(':');
  return colon === -1 ? address : address.slice(colon + 1);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function problem(code: number, reason: string, message: string): TwilioProblem {
  return { status: 400, code, reason, message };
}
