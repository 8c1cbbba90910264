/**
 * The dedup stage, as DESIGN.md draws it: events.valid → look up the window → claim first copies
 * → events.unique. Every repeat of a (tenantId, messageId) inside its window is dropped with its
 * reason; the first copy always passes. Exactly-once delivery (one Kafka transaction per chunk
 * for the outputs and the offset) is what keeps a crash from writing a first copy twice.
 */
import type { UniqueEvent, ValidEvent } from '@stratum/schemas';
import { defineStage, pipeline } from '@stratum/stream';
import type { TenancyDirectory } from '@stratum/tenancy';
import type { ClaimStore } from './claims/claim-store';
import { FrontCache } from './claims/front-cache';
import { NO_DEDUP_METRICS, type DedupMetrics } from './metrics';
import { claimFirstCopiesStep } from './steps/claim-first-copies';
import { lookUpWindowStep } from './steps/look-up-window';

export interface DedupDependencies {
  directory: TenancyDirectory;
  store: ClaimStore;
  /** For sources and tenants that set no window. */
  defaultWindowSeconds: number;
  /** Default: 200,000 entries. */
  cache?: FrontCache;
  metrics?: DedupMetrics;
  now?: () => number;
}

/** The key identity resolution wants (topic catalogue): a device's history and its identify call on one partition. */
export function uniqueEventKey(e: UniqueEvent): string {
  if (e.anonymousId !== null && e.anonymousId !== '') return `${e.tenantId}:${e.anonymousId}`;
  if (e.userId !== null && e.userId !== '') return `${e.tenantId}:${e.userId}`;
  return `${e.tenantId}:${e.messageId}`;
}

export function dedupStage(deps: DedupDependencies) {
  return defineStage({
    name: 'dedup',
    input: 'events.valid',
    outputs: { unique: 'events.unique', invalid: 'events.invalid' },
    quarantine: 'invalid',
    delivery: 'exactly-once',
    pipeline: pipeline<ValidEvent>()
      .then(lookUpWindowStep(deps.directory, deps.defaultWindowSeconds))
      .then(claimFirstCopiesStep({ store: deps.store, cache: deps.cache ?? new FrontCache(200_000), metrics: deps.metrics ?? NO_DEDUP_METRICS, now: deps.now ?? Date.now })),
    emit: (event) => [{ output: 'unique', key: uniqueEventKey(event), value: event }],
  });
}

export type DedupStage = ReturnType<typeof dedupStage>;
