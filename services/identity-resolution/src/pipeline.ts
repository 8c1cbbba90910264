/**
 * The identity-resolution stage, as DESIGN.md draws it: events.unique → resolve identities (lock,
 * plan, write the golden records) → events.resolved and identity.audit (profiles.changes goes
 * through the identity outbox and its relay, outbox/relay.ts, to keep per-profile commit order). Exactly-once delivery: a replayed chunk finds its
 * decisions already made (the graph, the archive and the audit are idempotent by messageId) and
 * its records are written once.
 */
import type { UniqueEvent } from '@stratum/schemas';
import { defineStage, pipeline, type Emission } from '@stratum/stream';
import { NO_IDENTITY_METRICS, type IdentityMetrics } from './metrics';
import type { Resolver } from './resolve/resolver';
import { resolveIdentitiesStep } from './steps/resolve-identities';

const OUTPUTS = { resolved: 'events.resolved', audit: 'identity.audit', invalid: 'events.invalid' } as const;

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
      for (const a of o.audits) records.push({ output: 'audit', key: `${tenant}:${a.profileId}`, value: a });
      return records;
    },
  });
}
