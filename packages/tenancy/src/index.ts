/**
 * @stratum/tenancy: tenants, sources, write keys (stored hashed), admin keys and tracking plans —
 * provisioning (the CLI) and the cached look-ups the gateway, ingest and the profile API use.
 */
export * from './settings';
export { inMemoryDirectory, type InMemorySource } from './in-memory-directory';
export { hashWriteKey, newKey, keyHint, WRITE_KEY_PREFIX, ADMIN_KEY_PREFIX } from './keys';
export { tenancyErrors } from './errors';
export {
  provisionTenant,
  createSource,
  updateSource,
  updateTenant,
  getSource,
  listSources,
  listTenants,
  findTenant,
  rotateWriteKey,
  DEFAULT_SOURCE_NAME,
  type ProvisionTenantOptions,
  type ProvisionedTenant,
  type SourceOptions,
  type CreatedSource,
  type RotatedKey,
  type TenantSummary,
  type TenantUpdate,
} from './provisioning';
export { createTenancyDirectory, type TenancyDirectoryOptions } from './directory';
export { createAdminKeyDirectory, tenantForAdminKey, type AdminKeyDirectory, type AdminKeyTenant } from './admin-keys';
export { longestDedupWindowSeconds } from './dedup-windows';
export { checkTrackingPlan } from './validate';
