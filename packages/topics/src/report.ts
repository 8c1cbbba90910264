/**
 * What `stratum topics apply` found and did: per-topic outcomes, the summary and exit code, and
 * their rendering as one human line per topic.
 */
import type { Action, Finding, TopicPlan } from './plan';

export type TopicStatus = 'created' | 'ok' | 'altered' | 'drift' | 'error';
export const TOPIC_STATUSES: readonly TopicStatus[] = ['created', 'ok', 'altered', 'drift', 'error'];

export interface TopicReport {
  readonly topic: string;
  readonly status: TopicStatus;
  /** Changes made. */
  readonly applied: readonly Action[];
  /** Changes found needed and not made (`--check`). */
  readonly pending: readonly Action[];
  /** Differences left unresolved: they fail apply. */
  readonly problems: readonly Finding[];
  readonly warnings: readonly Finding[];
  /** Why a change the cluster was asked to make failed. */
  readonly error: string | null;
}

export interface ApplyReport {
  readonly mode: 'apply' | 'check';
  readonly brokers: readonly string[];
  readonly cluster: { readonly brokers: number; readonly replicationFactor: number };
  readonly topics: readonly TopicReport[];
  readonly summary: Readonly<Record<TopicStatus, number>> & { readonly warnings: number };
  /** 0 when every topic matches the catalogue (after changes), 1 otherwise. */
  readonly exitCode: 0 | 1;
}

/** Exit codes of `stratum topics apply`. */
export const EXIT_CODES = {
  /** Every topic matches the catalogue (after the changes made). */
  ok: 0,
  /** Differences left unresolved, a change the cluster refused, or `--check` found differences. */
  drift: 1,
  /** Bad arguments, or options that cannot work on this cluster; nothing was changed. */
  usage: 2,
  /** Kafka could not be reached or answered a read with an error; nothing was changed. */
  unreachable: 3,
} as const;

/** The outcome of one topic's plan. */
export function topicReport(plan: TopicPlan, outcome: { applied: readonly Action[]; pending: readonly Action[]; error: string | null }): TopicReport {
  const { applied, pending, error } = outcome;
  let status: TopicStatus;
  if (error !== null) status = 'error';
  else if (pending.length || plan.problems.length) status = 'drift';
  else if (applied.some((a) => a.kind === 'create')) status = 'created';
  else status = applied.length ? 'altered' : 'ok';
  return { topic: plan.topic, status, applied, pending, problems: plan.problems, warnings: plan.warnings, error };
}

/** The whole report: counts per status and the exit code. */
export function summarise(mode: ApplyReport['mode'], brokers: readonly string[], cluster: ApplyReport['cluster'], topics: readonly TopicReport[]): ApplyReport {
  const counts = Object.fromEntries(TOPIC_STATUSES.map((s) => [s, topics.filter((t) => t.status === s).length])) as Record<TopicStatus, number>;
  const warnings = topics.reduce((n, t) => n + t.warnings.length, 0);
  const exitCode = counts.drift || counts.error ? EXIT_CODES.drift : EXIT_CODES.ok;
  return { mode, brokers, cluster, topics, summary: { ...counts, warnings }, exitCode };
}

function describeAction(a: Action): string {
  switch (a.kind) {
    case 'create': {
      const configs = Object.entries(a.configs).map(([k, v]) => `${k}=${v}`);
      return [`${a.partitions} partitions`, `replication factor ${a.replicationFactor}`, ...configs].join(', ');
    }
    case 'alter-configs':
      return a.changes.map((c) => `${c.name} ${c.from ?? '(unset)'}→${c.to}`).join(', ');
    case 'add-partitions':
      return `partitions ${a.from}→${a.to}`;
  }
}

function describeApplied(a: Action): string {
  return a.kind === 'add-partitions' ? `${describeAction(a)} (keys now map to other partitions)` : describeAction(a);
}

function describePending(a: Action): string {
  return a.kind === 'create' ? `missing: would create ${describeAction(a)}` : describeAction(a);
}

/** The line after a topic's name: `created …`, `ok`, `altered …`, `DRIFT …`, `ERROR …`. */
export function describeTopic(t: TopicReport): string {
  const warnings = t.warnings.map((w) => `warning: ${w.message}`);
  const parts: string[] = [];
  switch (t.status) {
    case 'created':
      parts.push(`created: ${t.applied.map(describeApplied).join('; ')}`);
      break;
    case 'ok':
      parts.push('ok');
      break;
    case 'altered':
      parts.push(`altered ${t.applied.map(describeApplied).join('; ')}`);
      break;
    case 'drift':
      parts.push(`DRIFT ${[...t.pending.map(describePending), ...t.problems.map((p) => p.message)].join('; ')}`);
      break;
    case 'error':
      parts.push(`ERROR ${t.error ?? ''}`);
      if (t.applied.length) parts.push(`done before that: ${t.applied.map(describeApplied).join('; ')}`);
      break;
  }
  return [...parts, ...warnings].join('; ');
}

/** The human report: one line per topic, then a summary line. */
export function formatReport(r: ApplyReport): string {
  const width = Math.max(0, ...r.topics.map((t) => t.topic.length));
  const lines = r.topics.map((t) => `${t.topic.padEnd(width)}  ${describeTopic(t)}`);
  const s = r.summary;
  const counts = `${r.topics.length} topics: ${s.created} created, ${s.ok} ok, ${s.altered} altered, ${s.drift} drift, ${s.error} error, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}`;
  const differing = s.drift + s.error;
  let verdict: string;
  if (r.mode === 'check') verdict = differing ? `--check: ${differing} topic(s) differ from the catalogue; nothing was changed` : '--check: every topic matches the catalogue';
  else verdict = differing ? `${differing} topic(s) still differ from the catalogue` : 'every topic matches the catalogue';
  lines.push(`${counts} (${r.cluster.brokers} broker(s), replication factor ${r.cluster.replicationFactor}) — ${verdict}`);
  return `${lines.join('\n')}\n`;
}
