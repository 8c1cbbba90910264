/**
 * Every read and write of identity tables runs in a tenant-scoped transaction (@stratum/db's
 * withTenant): as the non-owner role `stratum_app`, with `stratum.tenant_id` set for this
 * transaction only (docs/identity.md). Re-exported here because it is part of this package's API.
 */
export { withTenant, APP_ROLE, type TenantTransactionOptions } from '@stratum/db';
