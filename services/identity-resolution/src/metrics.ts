/** What identity resolution counts beyond the runtime's stage metrics. Labels are closed sets (docs/identity.md). */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ImportResolution } from './import/import-resolver';
import type { ResolutionPlan } from './resolve/plan';

export interface IdentityMetrics {
  observeResolution(seconds: number, plan: ResolutionPlan): void;
}

export const IDENTITY_METRICS = {
  resolution: { name: 'stratum_identity_resolution_duration_seconds', type: 'histogram', labels: [] as string[], help: "One tenant's share of a chunk: lock, plan, write, read back." },
  profilesCreated: { name: 'stratum_identity_profiles_created_total', type: 'counter', labels: [] as string[], help: 'Profiles created.' },
  outboxPublished: { name: 'stratum_identity_outbox_published_total', type: 'counter', labels: ['topic'], help: 'Records the outbox relay published (profiles.changes, identity.audit, consents.changes).' },
  outboxErrors: { name: 'stratum_identity_outbox_errors_total', type: 'counter', labels: [] as string[], help: 'Outbox relay passes that failed (the records stay and are sent again).' },
  decisions: { name: 'stratum_identity_decisions_total', type: 'counter', labels: ['action', 'reason'], help: 'Graph decisions: link, merge, review, reject (reason: blocked_value, limit_<type>, anomaly_guard).' },
  importRows: { name: 'stratum_identity_import_rows_total', type: 'counter', labels: ['outcome'], help: 'Imported person rows resolved, by outcome: exact (an identifier or national-id match), strong (auto-merged), fuzzy (new profile, queued for review), new, skipped (already resolved).' },
  importReviews: { name: 'stratum_identity_import_reviews_total', type: 'counter', labels: [] as string[], help: 'Review queue entries the person-import stage added (borderline pairs).' },
  importChunk: { name: 'stratum_identity_import_chunk_duration_seconds', type: 'histogram', labels: [] as string[], help: "One tenant's share of a chunk of imported rows: candidates, scoring, plan, write." },
} as const;

export interface ImportMetrics {
  observeImportChunk(seconds: number, resolution: ImportResolution): void;
}

export const NO_IMPORT_METRICS: ImportMetrics = { observeImportChunk: () => undefined };

export function promImportMetrics(registry: Registry): ImportMetrics {
  const m = IDENTITY_METRICS;
  const registers = [registry];
  const rows = new Counter({ name: m.importRows.name, help: m.importRows.help, labelNames: m.importRows.labels, registers });
  const reviews = new Counter({ name: m.importReviews.name, help: m.importReviews.help, registers });
  const duration = new Histogram({ name: m.importChunk.name, help: m.importChunk.help, buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers });
  for (const outcome of ['exact', 'strong', 'fuzzy', 'new', 'skipped']) rows.inc({ outcome }, 0);
  return {
    observeImportChunk(seconds, r) {
      duration.observe(seconds);
      for (const [outcome, n] of Object.entries(r.outcomes)) rows.inc({ outcome }, n);
      rows.inc({ outcome: 'skipped' }, r.skipped);
      reviews.inc(r.reviews);
    },
  };
}

export function promIdentityMetrics(registry: Registry): IdentityMetrics {
  const m = IDENTITY_METRICS;
  const registers = [registry];
  const duration = new Histogram({ name: m.resolution.name, help: m.resolution.help, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers });
  const created = new Counter({ name: m.profilesCreated.name, help: m.profilesCreated.help, registers });
  const decisions = new Counter({ name: m.decisions.name, help: m.decisions.help, labelNames: m.decisions.labels, registers });
  for (const action of ['link', 'merge', 'review', 'reject']) decisions.inc({ action, reason: '' }, 0);
  return {
    observeResolution(seconds, plan) {
      duration.observe(seconds);
      created.inc(plan.newProfiles.size);
      for (const a of plan.audits) decisions.inc({ action: a.action, reason: a.reason ?? '' });
    },
  };
}

export const NO_IDENTITY_METRICS: IdentityMetrics = { observeResolution: () => undefined };

export interface OutboxMetrics {
  published(topic: string, n: number): void;
  failed(): void;
}

export function promOutboxMetrics(registry: Registry): OutboxMetrics {
  const m = IDENTITY_METRICS;
  const published = new Counter({ name: m.outboxPublished.name, help: m.outboxPublished.help, labelNames: m.outboxPublished.labels, registers: [registry] });
  const errors = new Counter({ name: m.outboxErrors.name, help: m.outboxErrors.help, registers: [registry] });
  for (const topic of ['profiles.changes', 'identity.audit', 'consents.changes']) published.inc({ topic }, 0);
  return { published: (topic, n) => published.inc({ topic }, n), failed: () => errors.inc() };
}
