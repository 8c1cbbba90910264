/**
 * What Twilio POSTs to a Messaging webhook, `application/x-www-form-urlencoded`:
 *
 *   status callback  AccountSid, MessageSid, MessageStatus, ErrorCode?, From, To, ...
 *                    (twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks)
 *   incoming message AccountSid, MessageSid, From, To, Body, NumMedia, OptOutType?, ...
 *                    (twilio.com/docs/messaging/guides/webhook-request)
 *
 * The form is kept whole (every parameter, repeated ones as lists) because the signature covers
 * all of it; only then are the few fields the gateway acts on read out.
 */
import type { TwilioParams } from '@stratum/destinations';

/** Why a form is not a webhook the gateway takes: the parameter, and what is wrong with it. */
export interface FormProblem {
  readonly field: string;
  readonly problem: string;
}

export type TwilioWebhook =
  | { readonly kind: 'status'; readonly accountSid: string; readonly messageSid: string; readonly status: string; readonly errorCode: number | null }
  | { readonly kind: 'inbound'; readonly accountSid: string; readonly from: string; readonly body: string; readonly optOutType: string | null };

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Whether a Content-Type header names a form body (parameters such as charset allowed). */
export function isFormContentType(header: string | undefined): boolean {
  return header !== undefined && header.split(';')[0]!.trim().toLowerCase() === FORM_TYPE;
}

/** Every parameter of a form body, a repeated one as the list of its values in order. */
export function parseTwilioForm(body: Buffer): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    const seen = params[name];
    params[name] = seen === undefined ? value : typeof seen === 'string' ? [seen, value] : [...seen, value];
  }
  return params;
}

/** A parameter Twilio sends once: its value, or undefined when absent or repeated. */
function one(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

function missing(field: string, what: string): FormProblem {
  return { field, problem: `the webhook has no ${field} parameter (${what})` };
}

/** The AccountSid, needed before anything else to find the token the request is signed with. */
export function webhookAccountSid(params: TwilioParams): string | FormProblem {
  return one(params, 'AccountSid') || missing('AccountSid', 'Twilio sends it on every webhook');
}

const ERROR_CODE = /^\d{1,9}$/;

/** The status callback or incoming message the form is, or why it is neither. */
export function readTwilioWebhook(params: TwilioParams): TwilioWebhook | FormProblem {
  const accountSid = webhookAccountSid(params);
  if (typeof accountSid !== 'string') return accountSid;
  const status = one(params, 'MessageStatus');
  if (status !== undefined) {
    // SmsSid is the older name of the same value, still sent alongside.
    const messageSid = one(params, 'MessageSid') || one(params, 'SmsSid');
    if (!messageSid) return missing('MessageSid', 'a status callback names its message');
    const code = one(params, 'ErrorCode');
    if (code !== undefined && code !== '' && !ERROR_CODE.test(code)) return { field: 'ErrorCode', problem: `ErrorCode ${JSON.stringify(code.slice(0, 20))} is not a Twilio error code (digits)` };
    return { kind: 'status', accountSid, messageSid, status, errorCode: code === undefined || code === '' ? null : Number(code) };
  }
  const body = one(params, 'Body');
  if (body === undefined) return missing('MessageStatus', 'neither a status callback (MessageStatus) nor an incoming message (Body)');
  const from = one(params, 'From');
  if (!from) return missing('From', 'an incoming message names its sender');
  return { kind: 'inbound', accountSid, from, body, optOutType: one(params, 'OptOutType') ?? null };
}
