/**
 * Requests Twilio makes to your app: status callbacks and incoming messages, form-encoded and
 * signed with X-Twilio-Signature (twilio-signature.ts). Twilio also sends I-Twilio-Idempotency-Token,
 * a unique id per webhook attempt that receivers may use to spot retries.
 */
import { randomUUID } from 'node:crypto';
import { twilioSignature } from './twilio-signature';

/** One webhook the Twilio mock sent, and what the receiver answered. */
export interface TwilioWebhookDelivery {
  url: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  /** The receiver's HTTP status; undefined when the request failed (see `error`). */
  status?: number;
  /** Why no answer arrived (refused, timed out, aborted). */
  error?: string;
}

/** The final outcome a test asks an outbound message to reach. */
export type TwilioOutcome = 'delivered' | 'undelivered' | 'failed';

/**
 * The statuses Twilio reports by callback on the way to an outcome. Twilio sends no callback for the
 * initial `queued`; a message that fails never reaches `sent`.
 */
export function statusesTowards(outcome: TwilioOutcome): readonly string[] {
  return outcome === 'failed' ? ['failed'] : ['sent', outcome];
}

/** POSTs `params` form-encoded to `url`, signed as Twilio signs it; never throws. */
export async function postSignedWebhook(url: string, params: Record<string, string>, authToken: string, signal: AbortSignal): Promise<TwilioWebhookDelivery> {
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilioSignature(authToken, url, params),
    'i-twilio-idempotency-token': randomUUID(),
    'user-agent': 'TwilioProxy/1.1',
  };
  try {
    const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString(), signal });
    await response.arrayBuffer();
    return { url, params, headers, status: response.status };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { url, params, headers, error: cause?.code ?? (err as Error).message };
  }
}
