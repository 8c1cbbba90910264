/**
 * The stage's one step: the chunk's events grouped by tenant (each tenant in its own
 * transaction, under its own row-level-security scope), resolved in order, and turned into the
 * records each event emits.
 */
import type { UniqueEvent } from '@stratum/schemas';
import { batchStep, ok, type Step } from '@stratum/stream';
import { outputsOf, type EventOutputs } from '../outputs';
import type { Resolver } from '../resolve/resolver';
import type { IdentityMetrics } from '../metrics';

export function resolveIdentitiesStep(resolver: Resolver, metrics: IdentityMetrics, now: () => number = Date.now): Step<UniqueEvent, EventOutputs> {
  return batchStep('resolve-identities', async (events: readonly UniqueEvent[]) => {
    const byTenant = new Map<string, number[]>();
    events.forEach((e, i) => byTenant.set(e.tenantId, [...(byTenant.get(e.tenantId) ?? []), i]));
    const out: EventOutputs[] = new Array(events.length);
    for (const [tenantId, indexes] of byTenant) {
      const tenantEvents = indexes.map((i) => events[i]!);
      const startedAt = process.hrtime.bigint();
      const resolution = await resolver.resolve(tenantId, tenantEvents);
      metrics.observeResolution(Number(process.hrtime.bigint() - startedAt) / 1e9, resolution.plan);
      outputsOf(tenantId, tenantEvents, resolution, now()).forEach((o, k) => (out[indexes[k]!] = o));
    }
    return out.map((o) => ok(o));
  });
}
