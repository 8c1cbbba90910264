/**
 * The assembled trace: every step the sources found, in time order, and where the event is now.
 * Steps carry epoch ms while they are collected (sorting, comparing) and ISO strings once
 * assembled (what people and scripts read).
 */
import type { TopicScanStats } from './topic-scan';

/**
 * Who did what: `gateway` received it over HTTP, `producer` means it was published to events.raw
 * straight from Kafka (or imported, or replayed); the rest are the pipeline's stages.
 */
export const STAGES = ['gateway', 'producer', 'ingest', 'dedup', 'identity', 'delivery'] as const;
export type Stage = (typeof STAGES)[number];

export type Details = Record<string, unknown>;

/** A step while the sources build it. */
export interface StepDraft {
  readonly stage: Stage;
  readonly atMs: number;
  readonly what: string;
  readonly details: Details;
}

export interface Step {
  readonly stage: Stage;
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly what: string;
  readonly details: Details;
}

/** What one stage's source contributes. */
export interface StageReport {
  readonly steps: StepDraft[];
  /** Counts and facts for `found` in the JSON. */
  readonly found: Details;
  /** Where the event stands in this stage, in words; empty when the stage never saw it. */
  readonly status: string[];
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function step(stage: Stage, atMs: number, what: string, details: Details = {}): StepDraft {
  return { stage, atMs, what, details };
}

export interface ScannedTopic {
  /** The Kafka topic name that was read. */
  readonly topic: string;
  readonly exists: boolean;
  readonly partitions: number;
  readonly records: number;
  readonly decoded: number;
  readonly matched: number;
  readonly undecodable: number;
  /** False when a partition stopped short of its end offset (see `incomplete`). */
  readonly complete: boolean;
  readonly incomplete: ReadonlyArray<{ partition: number; reached: number; end: number }>;
}

export interface Trace {
  readonly messageId: string;
  readonly tenantId: string;
  readonly tenantName: string;
  /** The topics were read from this time on (--since). */
  readonly since: string;
  readonly steps: Step[];
  /** Where the event is now, one line per stage it reached (furthest last). */
  readonly status: string[];
  readonly found: Details;
  /** Per catalogue topic. */
  readonly scanned: Record<string, ScannedTopic>;
}

function stageOrder(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/** Steps in time order; at the same millisecond, in pipeline order, then as the source listed them. */
export function inTimeOrder(drafts: readonly StepDraft[]): Step[] {
  return drafts
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.atMs - b.d.atMs || stageOrder(a.d.stage) - stageOrder(b.d.stage) || a.i - b.i)
    .map(({ d }) => ({ stage: d.stage, at: iso(d.atMs), what: d.what, details: d.details }));
}

/** The scan statistics keyed by catalogue name. */
export function scannedOf(stats: ReadonlyArray<{ catalogueName: string; stats: TopicScanStats }>): Record<string, ScannedTopic> {
  return Object.fromEntries(
    stats.map(({ catalogueName, stats: s }) => [
      catalogueName,
      { topic: s.topic, exists: s.exists, partitions: s.partitions, records: s.records, decoded: s.decoded, matched: s.matched, undecodable: s.undecodable, complete: s.incomplete.length === 0, incomplete: s.incomplete },
    ]),
  );
}

/** Whether the trace found anything at all: a step, or a row counted in `found`. */
export function foundAnything(reports: readonly StageReport[]): boolean {
  return reports.some((r) => r.steps.length > 0 || r.status.length > 0);
}
