/**
 * Creates or updates the demo tenant's destinations so each reaches its mock: the settings and
 * (fake) credentials come from the running mock console, the names and filters from
 * DEMO_DESTINATIONS. Idempotent: an existing destination gets its settings, filters and
 * credentials replaced (re-encrypted under the current dev key) and is enabled again, so a run
 * after the key file was deleted, or with other mock ports, still ends up pointing right.
 */
import type { Db } from '@stratum/db';
import { createDestination, destinationConfigProblems, enableDestination, listDestinations, updateDestination, type CredentialKeyring, type DestinationSummary } from '@stratum/destinations';
import { DEMO_DESTINATIONS } from './destinations';
import type { PlatformOverview } from './mock-console-client';

/** The checks delivery itself applies (each adapter's parseConfig), so a bad mock setting fails here, not at delivery. */
const STORE_OPTIONS = { validateSettings: destinationConfigProblems };

export async function ensureDemoDestinations(db: Db, keyring: CredentialKeyring, tenantId: string, mocks: readonly PlatformOverview[]): Promise<DestinationSummary[]> {
  const existing = await listDestinations(db, tenantId, { includeDisabled: true });
  const out: DestinationSummary[] = [];
  for (const spec of DEMO_DESTINATIONS) {
    const mock = mocks.find((m) => m.name === spec.mock);
    if (mock === undefined) throw new Error(`the mock destinations console has no ${spec.mock} mock`);
    const { type, settings, credentials } = mock.destination;
    const filters = spec.consentPurpose === null ? {} : { consentPurpose: spec.consentPurpose };
    const found = existing.find((d) => d.name.toLowerCase() === spec.name);
    if (found === undefined) {
      out.push(await createDestination(db, keyring, tenantId, { name: spec.name, type, settings, filters, credentials }, STORE_OPTIONS));
      continue;
    }
    if (found.type !== type) throw new Error(`the demo tenant's destination ${spec.name} is a ${found.type} destination, not ${type}: rename or delete it`);
    await updateDestination(db, keyring, tenantId, found.destinationId, { settings, filters, credentials }, STORE_OPTIONS);
    out.push(await enableDestination(db, tenantId, found.destinationId));
  }
  return out;
}
