/**
 * What a verified Twilio webhook changes: a status callback advances the message's state
 * (sms_messages); an incoming STOP or START records or removes the sender's SMS opt-out. Each in
 * one transaction scoped to the tenant.
 */
import { withTenant, type Db } from '@stratum/db';
import { advanceMessage, phoneOptOutHash, recordOptOut, removeOptOut } from '@stratum/delivery';
import { optOutIntent } from './opt-out-keywords';
import type { TwilioWebhook } from './twilio-form';

/** What was done, a label of stratum_gateway_twilio_callbacks_total. */
export type WebhookResult = 'recorded' | 'unknown_message' | 'opted_out' | 'opted_in' | 'ignored' | 'invalid_phone';

/** The opt-out source of a keyword texted to the tenant's number. */
export const SMS_KEYWORD_SOURCE = 'sms_keyword';

/** Applies `webhook` for `tenantId`; `idempotencyKey` is the callback URL's stratum_key, when it has one. */
export async function applyTwilioWebhook(db: Db, tenantId: string, webhook: TwilioWebhook, idempotencyKey: string | undefined): Promise<WebhookResult> {
  if (webhook.kind === 'status') {
    const report = { messageSid: webhook.messageSid, status: webhook.status, errorCode: webhook.errorCode, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) };
    const message = await withTenant(db, tenantId, (trx) => advanceMessage(trx, tenantId, report));
    return message === null ? 'unknown_message' : 'recorded';
  }
  const intent = optOutIntent(webhook.body, webhook.optOutType);
  if (intent === null) return 'ignored';
  // Twilio sends E.164 (`+14155550100`); a short code or WhatsApp address is no phone to hash.
  const valueHash = phoneOptOutHash(webhook.from);
  if (valueHash === null) return 'invalid_phone';
  await withTenant(db, tenantId, (trx) =>
    intent === 'opt_out' ? recordOptOut(trx, tenantId, { channel: 'sms', valueHash, source: SMS_KEYWORD_SOURCE }) : removeOptOut(trx, tenantId, 'sms', valueHash),
  );
  return intent === 'opt_out' ? 'opted_out' : 'opted_in';
}
