/**
 * Whether a webhook to /v1/webhooks/twilio/{tenantId} really comes from Twilio for that tenant.
 * Twilio signs with the auth token of the account that owns the message, so the token is the one
 * in the credentials of the tenant's twilio_sms destination for the request's AccountSid (several
 * destinations may share an account: each one's token is tried). A destination that logs in with
 * an API key has no auth token and cannot verify webhooks.
 *
 * Disabled destinations count: their messages sent before they were disabled still report back.
 */
import type { Db } from '@stratum/db';
import { credentialErrors, destinationErrors, getDestinationWithCredentials, listDestinations, verifyTwilioSignature, type CredentialKeyring, type DestinationSummary, type TwilioParams } from '@stratum/destinations';

export interface TenantSignatureCheck {
  readonly tenantId: string;
  readonly accountSid: string;
  /** The URL Twilio requested (signedUrl). */
  readonly url: string;
  readonly params: TwilioParams;
  /** X-Twilio-Signature. */
  readonly signature: string;
}

export type TenantSignature =
  | { readonly verified: true; readonly destinationId: string }
  | {
      readonly verified: false;
      /** unknown_tenant: 404; credentials_unreadable: 503 (an operator must fix keys); the rest: 403. */
      readonly reason: 'unknown_tenant' | 'unknown_account' | 'no_auth_token' | 'mismatch' | 'credentials_unreadable';
      readonly message: string;
      readonly cause?: unknown;
    };

/** Tenant ids as tenancy makes them ([a-z0-9_]); anything else names no tenant, so no query is made. */
const TENANT_ID = /^[a-z0-9_]{1,64}$/;

function isTwilio(d: DestinationSummary): boolean {
  return d.type === 'twilio_sms';
}

/** The decrypted auth token of a destination, null when it has none, or the error that kept it from being read. */
async function authToken(db: Db, keyring: CredentialKeyring, d: DestinationSummary): Promise<string | null | { error: unknown }> {
  try {
    const { credentials } = await getDestinationWithCredentials(db, keyring, d.tenantId, d.destinationId);
    const token = credentials?.['authToken'];
    return typeof token === 'string' && token !== '' ? token : null;
  } catch (err) {
    if (credentialErrors.is(err)) return { error: err };
    // Gone between the list and the read: it verifies nothing.
    if (destinationErrors.is(err, 'destination_not_found')) return null;
    throw err;
  }
}

/** Checks the signature against the tenant's tokens; throws destinations_unavailable when PostgreSQL is down. */
export async function verifyTenantSignature(db: Db, keyring: CredentialKeyring, check: TenantSignatureCheck): Promise<TenantSignature> {
  const unknownTenant = { verified: false, reason: 'unknown_tenant', message: `tenant ${JSON.stringify(check.tenantId.slice(0, 64))} does not exist or has no twilio_sms destination` } as const;
  if (!TENANT_ID.test(check.tenantId)) return unknownTenant;
  const twilio = (await listDestinations(db, check.tenantId, { includeDisabled: true })).filter(isTwilio);
  if (twilio.length === 0) return unknownTenant;
  const candidates = twilio.filter((d) => d.settings['accountSid'] === check.accountSid);
  if (candidates.length === 0) return { verified: false, reason: 'unknown_account', message: `no twilio_sms destination of this tenant is for account ${check.accountSid.slice(0, 40)}` };

  const unreadable: unknown[] = [];
  let withToken = 0;
  for (const d of candidates) {
    const token = await authToken(db, keyring, d);
    if (token === null) continue;
    if (typeof token !== 'string') {
      unreadable.push(token.error);
      continue;
    }
    withToken++;
    if (verifyTwilioSignature({ authToken: token, url: check.url, params: check.params, signature: check.signature })) return { verified: true, destinationId: d.destinationId };
  }
  if (unreadable.length > 0) {
    return { verified: false, reason: 'credentials_unreadable', message: "the credentials of the tenant's twilio_sms destination could not be decrypted with the configured keys", cause: unreadable[0] };
  }
  if (withToken === 0) {
    return { verified: false, reason: 'no_auth_token', message: "the tenant's twilio_sms destination for this account has no authToken in its credentials; Twilio signs webhooks with it" };
  }
  return { verified: false, reason: 'mismatch', message: `X-Twilio-Signature is not Twilio's signature of ${check.url.slice(0, 300)} with this body` };
}
