/**
 * @stratum/destinations: where a tenant's events go. The store keeps each destination's settings
 * with its credentials encrypted at rest; the adapters turn resolved events into the platform's
 * documented requests and classify its answers, so the delivery-adapter service only schedules.
 */
export { createCredentialKeyring, KEY_BYTES, type CredentialKeyring, type CredentialKeyringOptions } from './credentials/keyring';
export { credentialKeyringFromConfig, credentialKeyringFromEnv, MISSING_KEYS_HELP, type CredentialKeysConfig } from './credentials/keyring-config';
export { credentialContext, openCredentials, sealCredentials, type CredentialOwner, type Credentials, type SealedCredentials } from './credentials/destination-credentials';
export { credentialErrors } from './credentials/errors';
export {
  DESTINATION_TYPES,
  type CreateDestinationInput,
  type DeliveryPolicy,
  type DestinationFilters,
  type DestinationSummary,
  type DestinationType,
  type DestinationUpdate,
  type DestinationWithCredentials,
  type JsonObject,
  type SettingsValidator,
  type StoreOptions,
} from './store/destination';
export { destinationErrors } from './store/errors';
export { createDestination, updateDestination, disableDestination, enableDestination } from './store/write';
export { listDestinations, getDestinationWithCredentials, type ListOptions } from './store/read';
export { listEnabledDestinations, rotateCredentials, type CredentialRotation, type EnabledDestinations, type UnreadableDestination } from './store/all-tenants';
export { MAX_ATTEMPTS_LIMIT, MIN_MAX_AGE_SECONDS, MAX_MAX_AGE_SECONDS } from './store/validate';
export * from './adapters/index';
export * from './net/index';
