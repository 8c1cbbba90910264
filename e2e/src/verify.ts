/**
 * The end-of-run checks: for each sink, every event it should have exactly once (as the platform
 * counts, after its idempotency-key deduplication), nothing it must not have, and the events on
 * the right profile — every event of a user, followed through merges in PostgreSQL, ends on that
 * user's one golden record, and no two users share one. Returns counts; the test asserts on them.
 */
import { withTenant, type Db } from '@stratum/db';
import type { DeliveredEvent, Sink } from './sinks';
import type { TrafficPlan } from './traffic';

export interface SinkReport {
  readonly sink: string;
  /** Events that had to arrive exactly once. */
  readonly expected: number;
  /** Distinct events the platform counted. */
  readonly delivered: number;
  /** Expected events that never arrived. */
  readonly lost: string[];
  /** Events that arrived though they must not (wrong consent, filtered name, never accepted). */
  readonly unexpected: string[];
  /** Events the platform counted more than once (different idempotency keys for one event): duplicates in effect. */
  readonly twice: string[];
  /** Requests answered with an injected fault (the outage of `flaky`). */
  readonly faulted: number;
  /** Sends the platform deduplicated by idempotency key (a request repeated after a crash). */
  readonly resent: number;
}

export interface ProfileReport {
  /** Users whose delivered events ended on more than one current profile. */
  readonly split: string[];
  /** Current profiles holding events of more than one user. */
  readonly shared: string[];
  readonly eventsChecked: number;
}

/** Call → user index, for every planned messageId. */
function owners(plan: TrafficPlan): Map<string, number> {
  const map = new Map<string, number>();
  for (const call of [...plan.identifies, ...plan.bulk]) map.set(call.messageId, call.user);
  return map;
}

/** For one sink: what it must have, given which calls the gateway accepted. */
export function checkSink(sink: Sink, plan: TrafficPlan, accepted: ReadonlySet<string>): SinkReport {
  const counted = new Map<string, number>();
  for (const d of sink.delivered()) counted.set(d.messageId, (counted.get(d.messageId) ?? 0) + 1);
  const delivered = new Set(counted.keys());
  const twice = [...counted].filter(([, n]) => n > 1).map(([id]) => id);
  const lost: string[] = [];
  const unexpected: string[] = [];
  let expected = 0;
  const planned = new Set<string>();
  for (const call of [...plan.identifies, ...plan.bulk]) {
    if (call.resend || planned.has(call.messageId)) continue;
    planned.add(call.messageId);
    const user = plan.users[call.user]!;
    const rule = sink.expectation(call, user);
    // A call the SDK gave up on may still have been written (a 503 is "not accepted", not "not
    // written"): it may arrive, once, but need not.
    if (!accepted.has(call.messageId)) continue;
    if (rule === 'exactly_once') {
      expected += 1;
      if (!delivered.has(call.messageId)) lost.push(call.messageId);
    } else if (rule === 'never' && delivered.has(call.messageId)) unexpected.push(call.messageId);
  }
  for (const id of delivered) if (!planned.has(id)) unexpected.push(id);
  return { sink: sink.name, expected, delivered: delivered.size, lost, unexpected, twice, faulted: sink.mock.recording.faulted.length, resent: sink.resent() };
}

/** Whether each user's delivered events, followed through merges, sit on one profile of their own. */
export async function checkProfiles(db: Db, tenantId: string, plan: TrafficPlan, delivered: readonly DeliveredEvent[]): Promise<ProfileReport> {
  const current = await withTenant(
    db,
    tenantId,
    async (trx) => {
      const rows: Array<{ id: string; merged_into: string | null }> = await trx('profiles').where('tenant_id', tenantId).select('id', 'merged_into');
      return new Map(rows.map((r) => [r.id, r.merged_into ?? r.id]));
    },
    { mode: 'snapshot' },
  );
  const ownerOf = owners(plan);
  const profilesOfUser = new Map<number, Set<string>>();
  const usersOfProfile = new Map<string, Set<number>>();
  let eventsChecked = 0;
  for (const event of delivered) {
    const user = ownerOf.get(event.messageId);
    if (user === undefined || event.profileId === null) continue;
    // Device B's anonymous calls resolve to an anonymous profile, merged into the user's later.
    const profile = current.get(event.profileId) ?? `missing:${event.profileId}`;
    eventsChecked += 1;
    profilesOfUser.set(user, (profilesOfUser.get(user) ?? new Set()).add(profile));
    usersOfProfile.set(profile, (usersOfProfile.get(profile) ?? new Set()).add(user));
  }
  return {
    split: [...profilesOfUser].filter(([, p]) => p.size > 1).map(([u, p]) => `${plan.users[u]!.userId}: ${[...p].join(', ')}`),
    shared: [...usersOfProfile].filter(([, u]) => u.size > 1).map(([p, u]) => `${p}: users ${[...u].join(', ')}`),
    eventsChecked,
  };
}

/** The report as aligned lines, for the test log and the benchmark. */
export function formatReport(reports: readonly SinkReport[]): string {
  const header = ['destination', 'expected', 'delivered', 'lost', 'unexpected', 'delivered twice', 'faulted requests', 'resent (deduplicated by the platform)'];
  const rows = reports.map((r) => [r.sink, String(r.expected), String(r.delivered), String(r.lost.length), String(r.unexpected.length), String(r.twice.length), String(r.faulted), String(r.resent)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}
