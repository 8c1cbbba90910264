/**
 * The person-import stage: persons.import (key tenantId, so one tenant's rows arrive in order on
 * one partition) → the identity graph. Each chunk is grouped by tenant and resolved in one
 * transaction per tenant (import-resolver.ts); its snapshots and decisions reach profiles.changes
 * and identity.audit through the identity outbox, so the stage emits nothing itself and
 * at-least-once delivery is enough: a re-delivered row is found in person_records and skipped.
 */
import type { PersonImport } from '@stratum/schemas';
import { batchStep, defineStage, ok, pipeline } from '@stratum/stream';
import { NO_IMPORT_METRICS, type ImportMetrics } from '../metrics';
import type { PersonImportResolver } from './import-resolver';

const OUTPUTS = { invalid: 'events.invalid' } as const;

export function personImportStage(deps: { resolver: PersonImportResolver; metrics?: ImportMetrics }) {
  const metrics = deps.metrics ?? NO_IMPORT_METRICS;
  return defineStage({
    name: 'person-import',
    input: 'persons.import',
    outputs: OUTPUTS,
    quarantine: 'invalid',
    delivery: 'at-least-once',
    pipeline: pipeline<PersonImport>().then(
      batchStep('resolve-persons', async (rows: readonly PersonImport[]) => {
        const byTenant = new Map<string, PersonImport[]>();
        for (const row of rows) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row]);
        for (const [tenantId, tenantRows] of byTenant) {
          const startedAt = process.hrtime.bigint();
          const resolution = await deps.resolver.resolve(tenantId, tenantRows);
          metrics.observeImportChunk(Number(process.hrtime.bigint() - startedAt) / 1e9, resolution);
        }
        return rows.map(() => ok(true as const));
      }),
    ),
    emit: () => [],
  });
}
