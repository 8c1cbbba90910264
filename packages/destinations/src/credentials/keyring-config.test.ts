import { randomBytes } from 'node:crypto';
import { configErrorCodes } from '@stratum/config';
import { credentialErrors } from './errors';
import { credentialKeyringFromEnv, MISSING_KEYS_HELP } from './keyring-config';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

test('the active key defaults to the last one listed', () => {
  const keyring = credentialKeyringFromEnv({ STRATUM_CREDENTIALS_KEYS: `k1:${k1},k2:${k2}` });
  expect([keyring.activeKeyId, keyring.keyIds]).toEqual(['k2', ['k1', 'k2']]);
});

test('STRATUM_CREDENTIALS_ACTIVE_KEY picks another, and must be one of the keys', () => {
  expect(credentialKeyringFromEnv({ STRATUM_CREDENTIALS_KEYS: `k1:${k1},k2:${k2}`, STRATUM_CREDENTIALS_ACTIVE_KEY: 'k1' }).activeKeyId).toBe('k1');
  const wrong = () => credentialKeyringFromEnv({ STRATUM_CREDENTIALS_KEYS: `k1:${k1}`, STRATUM_CREDENTIALS_ACTIVE_KEY: 'k9' });
  expect(wrong).toThrow('STRATUM_CREDENTIALS_ACTIVE_KEY is "k9", which is not one of the STRATUM_CREDENTIALS_KEYS ids (k1)');
});

test('no keys: credential_keys_missing, saying how to make one (no silent development key)', () => {
  for (const env of [{}, { STRATUM_CREDENTIALS_KEYS: '  ' }]) {
    let caught: unknown;
    try {
      credentialKeyringFromEnv(env);
    } catch (err) {
      caught = err;
    }
    expect(credentialErrors.is(caught, 'credential_keys_missing')).toBe(true);
    expect((caught as Error).message).toBe(MISSING_KEYS_HELP);
  }
});

test('a malformed key is a config error that names the variable, not the key', () => {
  let caught: unknown;
  try {
    credentialKeyringFromEnv({ STRATUM_CREDENTIALS_KEYS: `k1:${k1},k2:${randomBytes(24).toString('base64')}` });
  } catch (err) {
    caught = err;
  }
  expect(configErrorCodes.is(caught, 'invalid_config')).toBe(true);
  expect((caught as Error).message).toContain('STRATUM_CREDENTIALS_KEYS: value (hidden) is not a comma-separated id:base64 list of 32-byte keys (entry 2: the key of "k2" is 24 bytes, not 32)');
  expect((caught as Error).message).not.toContain(k1);
});
