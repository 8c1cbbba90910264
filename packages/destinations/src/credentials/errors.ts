/**
 * Errors of credential encryption. None is retriable: a missing or wrong key stays missing until
 * an operator changes the configuration, and a ciphertext that fails authentication stays broken.
 */
import { defineErrorCodes } from '@stratum/errors';

export const credentialErrors = defineErrorCodes({
  credential_keys_missing: { retriable: false, description: 'no credential keys are configured (STRATUM_CREDENTIALS_KEYS), so credentials can be neither stored nor read' },
  credential_key_invalid: { retriable: false, description: 'a configured credential key is not 32 bytes of base64, or its id is not 1-64 letters, digits, ".", "_" or "-"' },
  credential_key_unknown: { retriable: false, description: 'the key id a ciphertext (or STRATUM_CREDENTIALS_ACTIVE_KEY) names is not in the keyring: it was removed too early or never configured here' },
  credentials_tampered: { retriable: false, description: 'a ciphertext failed authentication: its bytes were changed, it was copied from another destination, or its key id now names different key material' },
  credentials_format_unsupported: { retriable: false, description: 'a ciphertext has an envelope format this code does not know (written by a newer version)' },
});
