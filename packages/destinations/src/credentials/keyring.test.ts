import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { credentialContext, openCredentials, sealCredentials } from './destination-credentials';
import { credentialErrors } from './errors';
import { createCredentialKeyring } from './keyring';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const owner = { tenantId: 'ten_a', destinationId: 'dst_a' };
const context = credentialContext(owner);

/** The code of the credential error `run` throws. */
function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (credentialErrors.is(err)) return err.code;
    throw err;
  }
  throw new Error('expected a credential error');
}

test('round trip: any bytes come back, and each encryption uses a fresh IV', () => {
  const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1 } });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), fc.string(), (plaintext, ctx) => {
      expect(keyring.decrypt(keyring.encrypt(plaintext, ctx), ctx)).toEqual(Buffer.from(plaintext));
    }),
  );
  const [a, b] = [keyring.encrypt(Buffer.from('same'), context), keyring.encrypt(Buffer.from('same'), context)];
  expect(a.equals(b)).toBe(false);
});

test('credentials round trip as JSON, and the ciphertext holds no plaintext', () => {
  const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1 } });
  const sealed = sealCredentials(keyring, owner, { accessToken: 'EAAB-very-secret-token' });
  expect(sealed.keyId).toBe('k1');
  expect(sealed.ciphertext.includes(Buffer.from('very-secret'))).toBe(false);
  expect(openCredentials(keyring, owner, sealed.ciphertext)).toEqual({ accessToken: 'EAAB-very-secret-token' });
});

test('any changed byte fails authentication (credentials_tampered)', () => {
  const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1 } });
  const envelope = keyring.encrypt(Buffer.from('{"token":"x"}'), context);
  // From byte 4 (after the header "01 02 k 1"): IV, tag and ciphertext.
  for (let i = 4; i < envelope.length; i++) {
    const changed = Buffer.from(envelope);
    changed[i] = changed[i]! ^ 0x01;
    expect([i, codeOf(() => keyring.decrypt(changed, context))]).toEqual([i, 'credentials_tampered']);
  }
  expect(codeOf(() => keyring.decrypt(envelope.subarray(0, envelope.length - 1), context))).toBe('credentials_tampered');
});

test("a ciphertext copied to another destination's row does not open there (AAD mismatch)", () => {
  const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1 } });
  const sealed = sealCredentials(keyring, owner, { token: 'x' });
  expect(codeOf(() => openCredentials(keyring, { tenantId: 'ten_a', destinationId: 'dst_b' }, sealed.ciphertext))).toBe('credentials_tampered');
  expect(codeOf(() => openCredentials(keyring, { tenantId: 'ten_b', destinationId: 'dst_a' }, sealed.ciphertext))).toBe('credentials_tampered');
});

test('relabelling the key id in the header fails, even when the other key exists', () => {
  const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1, k2 } });
  const envelope = keyring.encrypt(Buffer.from('x'), context);
  const relabelled = Buffer.from(envelope);
  relabelled.write('k2', 2, 'ascii');
  expect(codeOf(() => keyring.decrypt(relabelled, context))).toBe('credentials_tampered');
});

test('a ciphertext under a key the keyring does not have: credential_key_unknown, naming the key', () => {
  const old = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1 } });
  const current = createCredentialKeyring({ activeKeyId: 'k2', keys: { k2 } });
  const envelope = old.encrypt(Buffer.from('x'), context);
  expect(codeOf(() => current.decrypt(envelope, context))).toBe('credential_key_unknown');
  expect(() => current.decrypt(envelope, context)).toThrow('the credentials were encrypted with key "k1", which is not configured (configured: k2)');
});

test('the same key id with other key material fails authentication', () => {
  const envelope = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1 } }).encrypt(Buffer.from('x'), context);
  expect(codeOf(() => createCredentialKeyring({ activeKeyId: 'k1', keys: { k1: k2 } }).decrypt(envelope, context))).toBe('credentials_tampered');
});

test('rotate re-encrypts under the active key; after it, the old key can go', () => {
  const before = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1 } });
  const during = createCredentialKeyring({ activeKeyId: 'k2', keys: { k1, k2 } });
  const after = createCredentialKeyring({ activeKeyId: 'k2', keys: { k2 } });
  const envelope = before.encrypt(Buffer.from('secret'), context);
  const rotated = during.rotate(envelope, context)!;
  expect([during.keyIdOf(envelope), during.keyIdOf(rotated)]).toEqual(['k1', 'k2']);
  expect(during.rotate(rotated, context)).toBeNull();
  expect(after.decrypt(rotated, context).toString()).toBe('secret');
  expect(codeOf(() => during.rotate(envelope, 'ten_x:dst_x'))).toBe('credentials_tampered');
});

test.each([
  ['a 16-byte key', { activeKeyId: 'k1', keys: { k1: randomBytes(16).toString('base64') } }, 'credential_key_invalid', 'credential key "k1" is 16 bytes; AES-256 needs exactly 32'],
  ['a 33-byte key as bytes', { activeKeyId: 'k1', keys: { k1: randomBytes(33) } }, 'credential_key_invalid', 'credential key "k1" is 33 bytes; AES-256 needs exactly 32'],
  ['key text that is not base64', { activeKeyId: 'k1', keys: { k1: 'hunter2 hunter2' } }, 'credential_key_invalid', 'credential key "k1" is not standard base64'],
  ['an id with a colon', { activeKeyId: 'k:1', keys: { 'k:1': k1 } }, 'credential_key_invalid', 'credential key id "k:1" is not 1-64 letters'],
  ['an active key that is not listed', { activeKeyId: 'k3', keys: { k1, k2 } }, 'credential_key_unknown', 'the active credential key is key "k3", which is not configured (configured: k1, k2)'],
  ['no keys', { activeKeyId: 'k1', keys: {} }, 'credential_keys_missing', 'the credential keyring has no keys'],
])('refuses %s', (_what, options, code, message) => {
  expect(codeOf(() => createCredentialKeyring(options))).toBe(code);
  expect(() => createCredentialKeyring(options)).toThrow(message);
});

test('the keyring never shows key material when logged', () => {
  const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1 } });
  expect(JSON.stringify(keyring)).not.toContain(k1);
  expect(inspect(keyring, { depth: 5 })).not.toContain(k1);
});
