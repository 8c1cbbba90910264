/**
 * The byte layout credentials are stored in, so a ciphertext says how to decrypt itself and the
 * format can change without a flag day. Format 1:
 *
 *   envelope = format:u8(=1) keyIdLength:u8 keyId:bytes[keyIdLength] iv:bytes[12] tag:bytes[16] ciphertext:bytes[*]
 *
 * keyId is ASCII (1-64 of [A-Za-z0-9._-]); iv is the AES-GCM nonce, random per value; tag is the
 * 16-byte GCM authentication tag. The header (format, keyIdLength, keyId) is authenticated as part
 * of the AAD, so changing which key an envelope names fails authentication rather than misleading.
 */
import { credentialErrors } from './errors';

export const ENVELOPE_FORMAT = 1;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface Envelope {
  readonly keyId: string;
  /** format, keyIdLength and keyId: the bytes the AAD starts with. */
  readonly header: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** Whether `id` can name a key in an envelope. */
export function isValidKeyId(id: string): boolean {
  return KEY_ID.test(id);
}

/** The header of an envelope for `keyId`. */
export function envelopeHeader(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([Buffer.from([ENVELOPE_FORMAT, id.length]), id]);
}

export function encodeEnvelope(parts: Omit<Envelope, 'keyId'>): Buffer {
  return Buffer.concat([parts.header, parts.iv, parts.tag, parts.ciphertext]);
}

/** Splits an envelope into its parts; a truncated one is reported as tampered, which it is from here. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length === 0) throw credentialErrors.error('credentials_tampered', 'the credentials ciphertext is empty');
  if (buffer[0] !== ENVELOPE_FORMAT) {
    throw credentialErrors.error('credentials_format_unsupported', `the credentials ciphertext has envelope format ${buffer[0]}; this code reads format ${ENVELOPE_FORMAT}`);
  }
  const idLength = buffer[1] ?? 0;
  const ivStart = 2 + idLength;
  const tagStart = ivStart + IV_BYTES;
  const ciphertextStart = tagStart + TAG_BYTES;
  const keyId = buffer.subarray(2, ivStart).toString('ascii');
  if (buffer.length < ciphertextStart || !isValidKeyId(keyId)) {
    throw credentialErrors.error('credentials_tampered', `the credentials ciphertext is malformed (${buffer.length} bytes, too short for its header)`);
  }
  return {
    keyId,
    header: buffer.subarray(0, ivStart),
    iv: buffer.subarray(ivStart, tagStart),
    tag: buffer.subarray(tagStart, ciphertextStart),
    ciphertext: buffer.subarray(ciphertextStart),
  };
}
