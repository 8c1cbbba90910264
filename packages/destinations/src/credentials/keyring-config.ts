/**
 * The keyring as operators configure it: STRATUM_CREDENTIALS_KEYS (`k1:base64,k2:base64`) and
 * STRATUM_CREDENTIALS_ACTIVE_KEY (default: the last key listed), from @stratum/config's
 * credentialKeysFragment. There is deliberately no built-in or derived development key: a
 * credential "encrypted" under a key everyone knows is plaintext, so no keys means an error that
 * says how to make one.
 */
import { credentialKeysFragment, defineConfig, loadConfig, type ConfigOf, type Env } from '@stratum/config';
import { credentialErrors } from './errors';
import { createCredentialKeyring, type CredentialKeyring } from './keyring';

const credentialKeysConfig = defineConfig(credentialKeysFragment);

/** The loaded credentialKeysFragment, as a service's own config holds it. */
export type CredentialKeysConfig = ConfigOf<typeof credentialKeysFragment>;

export const MISSING_KEYS_HELP =
  'no credential keys configured: set STRATUM_CREDENTIALS_KEYS to id:base64 of 32 random bytes, e.g. STRATUM_CREDENTIALS_KEYS="k1:$(openssl rand -base64 32)", and keep it as safe as the database password';

/** The keyring of a loaded config; throws credential_keys_missing when none is set. */
export function credentialKeyringFromConfig(config: CredentialKeysConfig): CredentialKeyring {
  const keys = config.STRATUM_CREDENTIALS_KEYS;
  if (keys === undefined || keys.length === 0) throw credentialErrors.error('credential_keys_missing', MISSING_KEYS_HELP);
  const activeKeyId = config.STRATUM_CREDENTIALS_ACTIVE_KEY ?? keys[keys.length - 1]!.id;
  if (!keys.some((k) => k.id === activeKeyId)) {
    throw credentialErrors.error(
      'credential_key_unknown',
      `STRATUM_CREDENTIALS_ACTIVE_KEY is "${activeKeyId}", which is not one of the STRATUM_CREDENTIALS_KEYS ids (${keys.map((k) => k.id).join(', ')})`,
    );
  }
  return createCredentialKeyring({ activeKeyId, keys: Object.fromEntries(keys.map((k) => [k.id, k.key])) });
}

/** Reads the keys from an environment; throws ConfigError (invalid_config) for malformed ones, credential_keys_missing for none. */
export function credentialKeyringFromEnv(env: Env): CredentialKeyring {
  return credentialKeyringFromConfig(loadConfig(credentialKeysConfig, env));
}
