/**
 * Rules a catalogue must satisfy, so a typo in catalogue.ts fails a unit test instead of creating
 * a wrong topic in production. Kafka's own rules (legal names) and the pipeline's (every sibling
 * exists, dead letters outlive their sources, retry tiers flow back) in one place.
 */
import type { Party, TopicSpec } from './topic-spec';

/** Kafka's legal topic name: ASCII letters, digits, '.', '_', '-'; at most 249; not '.' or '..'. */
const LEGAL_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
/** A typo guard, not a Kafka limit: the catalogue's largest topic has 12; raise it deliberately. */
export const MAX_CATALOGUE_PARTITIONS = 64;
/** Shortest retention that still lets an operator react to an incident. */
export const MIN_RETENTION_MS = 3_600_000;

/** Kafka warns that '.' and '_' collide in metric names: no two topics may differ only there. */
const metricName = (name: string) => name.replaceAll('.', '_');

const retainsAtLeast = (a: number, b: number) => a === -1 || (b !== -1 && a >= b);

const includesAll = (have: readonly Party[], need: readonly Party[]) => need.every((p) => have.includes(p));

/** Every problem with a catalogue, as sentences naming the topic; empty when it is sound. */
export function catalogueProblems(catalogue: readonly TopicSpec[]): string[] {
  const problems: string[] = [];
  const byName = new Map<string, TopicSpec>();
  const byMetricName = new Map<string, string>();
  for (const t of catalogue) {
    if (byName.has(t.name)) problems.push(`${t.name}: listed twice`);
    byName.set(t.name, t);
    const clash = byMetricName.get(metricName(t.name));
    if (clash && clash !== t.name) problems.push(`${t.name}: collides with ${clash} once '.' and '_' are the same (Kafka metric names)`);
    byMetricName.set(metricName(t.name), t.name);
  }

  for (const t of catalogue) {
    const p = (msg: string) => problems.push(`${t.name}: ${msg}`);
    if (!LEGAL_NAME.test(t.name) || t.name === '.' || t.name === '..') p('not a legal Kafka topic name');
    if (!Number.isInteger(t.partitions) || t.partitions < 1 || t.partitions > MAX_CATALOGUE_PARTITIONS) {
      p(`partitions must be an integer 1–${MAX_CATALOGUE_PARTITIONS}, is ${t.partitions}`);
    }
    if (!Number.isInteger(t.retentionMs) || (t.retentionMs !== -1 && t.retentionMs < MIN_RETENTION_MS)) {
      p(`retention.ms must be -1 (forever) or at least ${MIN_RETENTION_MS}, is ${t.retentionMs}`);
    }
    for (const k of ['cleanup.policy', 'retention.ms']) if (k in t.configs) p(`${k} belongs in its own field, not in configs`);
    if (t.tombstones !== null && t.cleanupPolicy !== 'compact') p('only a compacted topic gives tombstones a meaning');
    if (t.purpose.trim() === '') p('has no purpose');
    if (t.producedBy.length === 0) p('has no producer');
    if (t.consumedBy.length === 0) p('has no consumer');
    if (t.key.forms.length === 0) p('has no key');
    const firstKey = t.key.forms[0]?.pattern;
    if (firstKey !== 'tenantId' && !firstKey?.startsWith('tenantId:')) p('the first key form must start with tenantId (every record belongs to a tenant)');

    if (t.deadLetter !== null) {
      const dl = byName.get(t.deadLetter);
      if (!dl) p(`dead letter ${t.deadLetter} is not in the catalogue`);
      else {
        if (dl === t) p('is its own dead letter');
        if (dl.deadLetter !== null) p(`dead letter ${dl.name} has a dead letter of its own (no chains)`);
        if (!retainsAtLeast(dl.retentionMs, t.retentionMs)) p(`dead letter ${dl.name} must keep records at least as long as this topic, to replay them`);
        // Whoever gives up on a record writes the dead letter: this topic's consumers, or its retry tiers' consumers.
        const givers = t.retryTiers.length ? t.retryTiers.flatMap((r) => byName.get(r.topic)?.consumedBy ?? []) : t.consumedBy;
        if (!includesAll(dl.producedBy, givers)) p(`dead letter ${dl.name} must list ${givers.join(', ')} among its producers`);
      }
    }

    let previousDelay = 0;
    for (const tier of t.retryTiers) {
      const r = byName.get(tier.topic);
      if (!r) {
        p(`retry tier ${tier.topic} is not in the catalogue`);
        continue;
      }
      if (r.retryTierOf !== t.name) p(`retry tier ${r.name} must say retryTierOf: '${t.name}'`);
      if (r.valueSchema !== t.valueSchema) p(`retry tier ${r.name} must carry the same value schema (${t.valueSchema})`);
      if (r.deadLetter !== t.deadLetter) p(`retry tier ${r.name} must share the dead letter ${t.deadLetter ?? '(none)'}`);
      if (tier.delayMs <= previousDelay) p(`retry tier delays must increase (${r.name})`);
      if (!retainsAtLeast(r.retentionMs, tier.delayMs)) p(`retry tier ${r.name} must retain records longer than its delay`);
      if (!includesAll(r.producedBy, t.consumedBy)) p(`retry tier ${r.name} must list ${t.consumedBy.join(', ')} among its producers`);
      if (!r.consumedBy.some((c) => t.producedBy.includes(c))) p(`retry tier ${r.name} is consumed by none of ${t.name}'s producers: nothing sends retries back`);
      previousDelay = tier.delayMs;
    }

    if (t.retryTierOf !== null) {
      const owner = byName.get(t.retryTierOf);
      if (!owner) p(`retryTierOf ${t.retryTierOf} is not in the catalogue`);
      else if (!owner.retryTiers.some((r) => r.topic === t.name)) p(`${owner.name} does not list it among its retry tiers`);
    }
  }
  return problems;
}
