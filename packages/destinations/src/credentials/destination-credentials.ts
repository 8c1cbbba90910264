/**
 * A destination's credentials (API tokens, auth tokens, signing secrets) as stored: the JSON
 * object encrypted under the keyring, bound to `tenantId:destinationId` so the ciphertext only
 * opens in the row it was written for.
 */
import type { CredentialKeyring } from './keyring';

/** Credentials as an adapter reads them: a JSON object of strings, numbers... never logged or listed. */
export type Credentials = Readonly<Record<string, unknown>>;

/** Which destination a ciphertext belongs to. */
export interface CredentialOwner {
  readonly tenantId: string;
  readonly destinationId: string;
}

export interface SealedCredentials {
  readonly ciphertext: Buffer;
  readonly keyId: string;
}

/** The AAD context: ids are [a-z0-9_], so ':' cannot make two owners read alike. */
export function credentialContext(owner: CredentialOwner): string {
  return `${owner.tenantId}:${owner.destinationId}`;
}

export function sealCredentials(keyring: CredentialKeyring, owner: CredentialOwner, credentials: Credentials): SealedCredentials {
  const ciphertext = keyring.encrypt(Buffer.from(JSON.stringify(credentials), 'utf8'), credentialContext(owner));
  return { ciphertext, keyId: keyring.activeKeyId };
}

export function openCredentials(keyring: CredentialKeyring, owner: CredentialOwner, ciphertext: Uint8Array): Credentials {
  return JSON.parse(keyring.decrypt(ciphertext, credentialContext(owner)).toString('utf8')) as Credentials;
}
