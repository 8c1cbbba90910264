/**
 * AES-256-GCM under named keys. Every value gets a fresh random 12-byte IV (random IVs are safe
 * for far more values than a credentials table holds: the birthday bound is about 2^32 per key),
 * and is bound to a caller-given context through the AAD — for credentials, the row it belongs
 * to — so a ciphertext copied into another row fails authentication instead of decrypting there.
 * New values use the active key; any value decrypts with the key its envelope names, which is
 * what lets keys rotate without a flag day.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { credentialErrors } from './errors';
import { decodeEnvelope, encodeEnvelope, envelopeHeader, isValidKeyId, IV_BYTES, TAG_BYTES } from './envelope';

export const KEY_BYTES = 32;
const CIPHER = 'aes-256-gcm';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface CredentialKeyringOptions {
  /** The key new values are encrypted with; must be one of `keys`. */
  readonly activeKeyId: string;
  /** Key id → 32-byte key, as standard base64 text or as bytes. */
  readonly keys: Readonly<Record<string, string | Uint8Array>>;
}

export interface CredentialKeyring {
  readonly activeKeyId: string;
  /** Every key id it can decrypt with. */
  readonly keyIds: readonly string[];
  /** An envelope of `plaintext` under the active key, bound to `context`. */
  encrypt(plaintext: Uint8Array, context: string): Buffer;
  /** The plaintext of an envelope made for `context`; throws credentials_tampered when it was made for another, or changed. */
  decrypt(envelope: Uint8Array, context: string): Buffer;
  /** The envelope re-encrypted under the active key (same context), or null when it already is under it; throws as decrypt does. */
  rotate(envelope: Uint8Array, context: string): Buffer | null;
  /** The id of the key an envelope was encrypted with. */
  keyIdOf(envelope: Uint8Array): string;
}

function keyBytes(id: string, key: string | Uint8Array): Buffer {
  if (!isValidKeyId(id)) throw credentialErrors.error('credential_key_invalid', `credential key id "${id}" is not 1-64 letters, digits, ".", "_" or "-"`);
  if (typeof key === 'string' && !BASE64.test(key.trim())) throw credentialErrors.error('credential_key_invalid', `credential key "${id}" is not standard base64`);
  const bytes = typeof key === 'string' ? Buffer.from(key.trim(), 'base64') : Buffer.from(key);
  if (bytes.length !== KEY_BYTES) {
    throw credentialErrors.error('credential_key_invalid', `credential key "${id}" is ${bytes.length} bytes; AES-256 needs exactly ${KEY_BYTES}`, { details: { keyId: id, bytes: bytes.length, expected: KEY_BYTES } });
  }
  return bytes;
}

function aad(header: Buffer, context: string): Buffer {
  return Buffer.concat([header, Buffer.from(context, 'utf8')]);
}

/** A keyring from key material; throws credential_key_invalid / credential_key_unknown / credential_keys_missing. */
export function createCredentialKeyring(options: CredentialKeyringOptions): CredentialKeyring {
  // KeyObjects, not Buffers: they print as `SecretKeyObject { ... }`, so a logged keyring leaks nothing.
  const keys = new Map<string, KeyObject>(Object.entries(options.keys).map(([id, key]) => [id, createSecretKey(keyBytes(id, key))]));
  if (keys.size === 0) throw credentialErrors.error('credential_keys_missing', 'the credential keyring has no keys');
  const keyIds = Object.freeze([...keys.keys()]);
  const keyFor = (id: string, what: string): KeyObject => {
    const key = keys.get(id);
    if (key === undefined) {
      throw credentialErrors.error('credential_key_unknown', `${what} key "${id}", which is not configured (configured: ${keyIds.join(', ')})`, { details: { keyId: id, configured: keyIds } });
    }
    return key;
  };
  const activeKeyId = options.activeKeyId;
  const activeKey = keyFor(activeKeyId, 'the active credential key is');

  const encrypt = (plaintext: Uint8Array, context: string): Buffer => {
    const header = envelopeHeader(activeKeyId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, activeKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(header, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return encodeEnvelope({ header, iv, tag: cipher.getAuthTag(), ciphertext });
  };

  const decrypt = (bytes: Uint8Array, context: string): Buffer => {
    const envelope = decodeEnvelope(bytes);
    const key = keyFor(envelope.keyId, 'the credentials were encrypted with');
    const decipher = createDecipheriv(CIPHER, key, envelope.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(envelope.header, context));
    decipher.setAuthTag(envelope.tag);
    try {
      return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
    } catch (err) {
      throw credentialErrors.error('credentials_tampered', `the credentials ciphertext failed authentication for ${context} (changed, copied from another destination, or key "${envelope.keyId}" is not the key it was written with)`, {
        cause: err,
        details: { keyId: envelope.keyId },
      });
    }
  };

  return Object.freeze({
    activeKeyId,
    keyIds,
    encrypt,
    decrypt,
    rotate: (bytes: Uint8Array, context: string) => {
      // Decrypted even when already current: a rotation pass then also proves every value still reads.
      const plaintext = decrypt(bytes, context);
      return decodeEnvelope(bytes).keyId === activeKeyId ? null : encrypt(plaintext, context);
    },
    keyIdOf: (bytes: Uint8Array) => decodeEnvelope(bytes).keyId,
  });
}
