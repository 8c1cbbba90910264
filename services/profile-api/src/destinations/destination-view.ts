/**
 * A destination as the API answers it: the store's summary, field by field. Picking the fields
 * (rather than passing the summary on) means a field the store may add later — however it is
 * named — is not published until this list says so; credentials are never among them, only
 * whether there are any and the key they are sealed with.
 */
import { listDestinations, type DestinationSummary } from '@stratum/destinations';
import type { Db } from '@stratum/db';

export type DestinationView = Pick<
  DestinationSummary,
  'tenantId' | 'destinationId' | 'name' | 'type' | 'enabled' | 'settings' | 'filters' | 'deliveryPolicy' | 'hasCredentials' | 'credentialsKeyId' | 'createdAt' | 'updatedAt' | 'disabledAt'
>;

export function destinationView(d: DestinationSummary): DestinationView {
  return {
    tenantId: d.tenantId,
    destinationId: d.destinationId,
    name: d.name,
    type: d.type,
    enabled: d.enabled,
    settings: d.settings,
    filters: d.filters,
    deliveryPolicy: d.deliveryPolicy,
    hasCredentials: d.hasCredentials,
    credentialsKeyId: d.credentialsKeyId,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    disabledAt: d.disabledAt,
  };
}

/**
 * One destination by id or name (any case), as the store's writes find them. The store reads one
 * only with its credentials (for delivery); a tenant has a handful of destinations, so the
 * listing, filtered here, is the summary without decrypting anything.
 */
export async function findDestination(db: Db, tenantId: string, destination: string): Promise<DestinationSummary | null> {
  const all = await listDestinations(db, tenantId, { includeDisabled: true });
  const lower = destination.toLowerCase();
  return all.find((d) => d.destinationId === destination || d.name.toLowerCase() === lower) ?? null;
}
