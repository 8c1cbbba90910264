/**
 * The identity-resolution stage, as DESIGN.md draws it: events.unique → resolve identities (lock,
 * plan, write the golden records) → events.resolved, profiles.changes (snapshots, tombstones for
 * merged-away profiles) and identity.audit. Exactly-once delivery: a replayed chunk finds its
 * decisions already made (the graph, the archive and the audit are idempotent by messageId) and
 * its records are written once.
 */
import type { UniqueEvent } from '@stratum/schemas';
import { defineStage, pipeline, type Emission } from '@stratum/stream';
import { NO_IDENTITY_METRICS, type IdentityMetrics } from './metrics';
import type { Resolver } from './resolve/resolver';
import { resolveIdentitiesStep } from './steps/resolve-identities';

const OUTPUTS = { resolved: 'events.resolved', changes: 'profiles.changes', audit: 'identity.audit', invalid: 'events.invalid' } as const;

export function identityResolutionStage(deps: { resolver: Resolver; metrics?: IdentityMetrics; now?: () => number }) {
  return defineStage({
    name: 'identity-resolution',
    input: 'events.unique',
    outputs: OUTPUTS,
    quarantine: 'invalid',
    delivery: 'exactly-once',
    pipeline: pipeline<UniqueEvent>().then(resolveIdentitiesStep(deps.resolver, deps.metrics ?? NO_IDENTITY_METRICS, deps.now)),
    emit: (o) => {
      const tenant = o.resolved.tenantId;
      const records: Emission<typeof OUTPUTS>[] = [{ output: 'resolved', key: `${tenant}:${o.resolved.profileId}`, value: o.resolved }];
      for (const loser of o.tombstones) records.push({ output: 'changes', key: `${tenant}:${loser}`, value: null });
      for (const c of o.changes) records.push({ output: 'changes', key: `${tenant}:${c.profileId}`, value: c });
      for (const a of o.audits) records.push({ output: 'audit', key: `${tenant}:${a.profileId}`, value: a });
      return records;
    },
  });
}
