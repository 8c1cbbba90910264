import { decodeEnvelope, encodeEnvelope, envelopeHeader } from './envelope';
import { credentialErrors } from './errors';
import { createCredentialKeyring } from './keyring';

// Written by format 1 (key 0x11 × 32, IV 00..0b, context "ten_a:dst_b"): it must decrypt forever.
const GOLDEN = '01026b31000102030405060708090a0bb6560e90e703e427c4f1fa26245f955c68c1c27c10c65bd62e9aa0aca7dd9252ebdc';

test('format 1 as stored: format byte, key id length, key id, 12-byte IV, 16-byte tag, ciphertext', () => {
  const envelope = decodeEnvelope(Buffer.from(GOLDEN, 'hex'));
  expect({ keyId: envelope.keyId, header: envelope.header.toString('hex'), iv: envelope.iv.toString('hex'), tag: envelope.tag.length, ciphertext: envelope.ciphertext.length }).toEqual({
    keyId: 'k1',
    header: '01026b31',
    iv: '000102030405060708090a0b',
    tag: 16,
    ciphertext: '{"token":"s3cret"}'.length,
  });
  expect(encodeEnvelope(envelope).toString('hex')).toBe(GOLDEN);
  expect(envelopeHeader('k1').toString('hex')).toBe('01026b31');
});

test('a stored format 1 envelope still decrypts', () => {
  const keyring = createCredentialKeyring({ activeKeyId: 'k1', keys: { k1: Buffer.alloc(32, 0x11) } });
  expect(keyring.decrypt(Buffer.from(GOLDEN, 'hex'), 'ten_a:dst_b').toString()).toBe('{"token":"s3cret"}');
});

test.each([
  ['empty', '', 'credentials_tampered'],
  ['an unknown format', '02' + GOLDEN.slice(2), 'credentials_format_unsupported'],
  ['cut inside the tag', GOLDEN.slice(0, 40), 'credentials_tampered'],
  ['a key id length past the end', '01ff6b31', 'credentials_tampered'],
] as const)('refuses an envelope that is %s', (_what, hex, code) => {
  let caught: unknown;
  try {
    decodeEnvelope(Buffer.from(hex, 'hex'));
  } catch (err) {
    caught = err;
  }
  expect(credentialErrors.is(caught, code)).toBe(true);
});
