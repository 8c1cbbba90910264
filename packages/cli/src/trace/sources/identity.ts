/**
 * Identity resolution: the profile the event resolved to (events.resolved), the graph decisions it
 * caused (identity.audit on the topic, and the same audit rows in PostgreSQL, which outlive the
 * scan window), and where that profile is now: merged_into names the final survivor of every
 * merge since (docs/identity.md), and the merge that absorbed it says when and why.
 */
import { epochMs, type Db } from '@stratum/db';
import type { IdentityAudit, ResolvedEvent } from '@stratum/schemas';
import { collect, type Found, type TraceContext } from '../context';
import { iso, step, type StageReport, type StepDraft } from '../timeline';
import type { ScanTarget } from '../topic-scan';

export interface IdentityFound {
  readonly resolved: Array<Found<ResolvedEvent>>;
  readonly audits: Array<Found<IdentityAudit>>;
}

export const emptyIdentityFound = (): IdentityFound => ({ resolved: [], audits: [] });

export function identityTargets(ctx: TraceContext, into: IdentityFound): ScanTarget[] {
  return [
    collect(ctx, { topic: 'events.resolved', schema: 'events.resolved', matches: (v) => v.tenantId === ctx.tenantId && v.messageId === ctx.messageId, into: into.resolved }),
    collect(ctx, { topic: 'identity.audit', schema: 'identity.audit', matches: (v) => v.tenantId === ctx.tenantId && v.provenance.messageId === ctx.messageId, into: into.audits }),
  ];
}

/** An audit decision, from the topic or its row. */
export interface AuditView {
  readonly auditId: string;
  readonly action: IdentityAudit['action'];
  readonly profileId: string;
  readonly otherProfileIds: readonly string[];
  /** Identifier types (never values). */
  readonly identifiers: readonly string[];
  readonly rule: string;
  readonly reason: string | null;
  readonly messageId: string | null;
  readonly occurredAt: number;
}

export interface IdentityRows {
  /** The event's row in the profile timeline (profile_events): its profile_id moves with merges. */
  readonly archived: { profileId: string; eventTs: number; receivedAt: number } | null;
  /** Audit rows of decisions this event caused. */
  readonly audits: AuditView[];
  /** Each profile involved → where it is now (itself when active). */
  readonly current: Map<string, { status: string; mergedInto: string | null }>;
  /** Merges that absorbed an involved profile after the fact (caused by other events or operators). */
  readonly laterMerges: AuditView[];
}

interface AuditRow {
  id: string;
  action: IdentityAudit['action'];
  profile_id: string;
  other_profile_ids: string[];
  identifiers: string[];
  rule: string;
  reason: string | null;
  message_id: string | null;
  occurred_ms: string;
}

const AUDIT_COLUMNS = `id, action, profile_id, other_profile_ids, identifiers, rule, reason, message_id, ${epochMs('occurred_at')} AS occurred_ms`;

function auditOfRow(r: AuditRow): AuditView {
  // Audit rows keep identifier keys (`type:namespace:hash`): the type is enough to read.
  const identifiers = r.identifiers.map((key) => key.split(':')[0] ?? key);
  return { auditId: r.id, action: r.action, profileId: r.profile_id, otherProfileIds: r.other_profile_ids, identifiers, rule: r.rule, reason: r.reason, messageId: r.message_id, occurredAt: Number(r.occurred_ms) };
}

function auditOfRecord(a: IdentityAudit): AuditView {
  const p = a.provenance;
  return { auditId: a.auditId, action: a.action, profileId: a.profileId, otherProfileIds: a.otherProfileIds, identifiers: a.identifiers.map((i) => i.type), rule: p.rule, reason: p.reason, messageId: p.messageId, occurredAt: a.occurredAt };
}

/** Reads in the caller's tenant-scoped snapshot (withTenant). `profileIds`: the profiles the topics named. */
export async function readIdentityRows(trx: Db, tenantId: string, messageId: string, profileIds: readonly string[]): Promise<IdentityRows> {
  const archive = await trx.raw<{ rows: Array<{ profile_id: string; event_ms: string; received_ms: string }> }>(
    `SELECT profile_id, ${epochMs('event_ts')} AS event_ms, ${epochMs('received_at')} AS received_ms FROM profile_events WHERE tenant_id = ? AND message_id = ? LIMIT 1`,
    [tenantId, messageId],
  );
  const archivedRow = archive.rows[0];
  const archived = archivedRow === undefined ? null : { profileId: archivedRow.profile_id, eventTs: Number(archivedRow.event_ms), receivedAt: Number(archivedRow.received_ms) };
  const audits = await trx.raw<{ rows: AuditRow[] }>(`SELECT ${AUDIT_COLUMNS} FROM identity_audit WHERE tenant_id = ? AND message_id = ? ORDER BY occurred_at, id`, [tenantId, messageId]);
  const involved = new Set([...profileIds, ...(archived === null ? [] : [archived.profileId]), ...audits.rows.flatMap((a) => [a.profile_id])]);
  const current = new Map<string, { status: string; mergedInto: string | null }>();
  // merged_into names the final survivor, so one round is the norm; a second covers a survivor read from an older row.
  for (let round = 0, ask = [...involved]; round < 3 && ask.length > 0; round++) {
    const rows: Array<{ id: string; status: string; merged_into: string | null }> = await trx('profiles').where('tenant_id', tenantId).whereIn('id', ask).select('id', 'status', 'merged_into');
    for (const r of rows) current.set(r.id, { status: r.status, mergedInto: r.merged_into });
    ask = rows.flatMap((r) => (r.merged_into !== null && !current.has(r.merged_into) ? [r.merged_into] : []));
  }
  const merged = [...current.entries()].filter(([, p]) => p.status === 'merged').map(([id]) => id);
  const later =
    merged.length === 0
      ? { rows: [] as AuditRow[] }
      : await trx.raw<{ rows: AuditRow[] }>(`SELECT ${AUDIT_COLUMNS} FROM identity_audit WHERE tenant_id = ? AND action = 'merge' AND other_profile_ids && ?::text[] AND message_id IS DISTINCT FROM ? ORDER BY occurred_at, id`, [
          tenantId,
          merged,
          messageId,
        ]);
  return { archived, audits: audits.rows.map(auditOfRow), current, laterMerges: later.rows.map(auditOfRow) };
}

/** Where `profileId` is now: itself, or the survivor it was merged into. */
export function currentProfileOf(rows: IdentityRows, profileId: string): string {
  let id = profileId;
  for (let hops = 0; hops < 5; hops++) {
    const next = rows.current.get(id)?.mergedInto;
    if (next === undefined || next === null) return id;
    id = next;
  }
  return id;
}

function decision(a: AuditView): string {
  const types = a.identifiers.join(', ');
  const via = types === '' ? '' : ` on ${types}`;
  const others = a.otherProfileIds.join(', ');
  switch (a.action) {
    case 'link':
      return `linked ${types || 'identifiers'} to profile ${a.profileId} (rule ${a.rule})`;
    case 'merge':
      return `merged ${others} into ${a.profileId} (rule ${a.rule}${via})`;
    case 'unmerge':
      return `split ${others} off ${a.profileId}${a.reason === null ? '' : `: ${a.reason}`}`;
    case 'review':
      return `merge of ${a.profileId} with ${others || 'another profile'} held for review: ${a.reason ?? 'no reason given'} (rule ${a.rule}${via})`;
    case 'reject':
      return `link of ${types || 'an identifier'} to ${a.profileId} refused by merge protection: ${a.reason ?? 'no reason given'} (rule ${a.rule})`;
  }
}

const auditDetails = (a: AuditView, from: string) => ({ auditId: a.auditId, action: a.action, profileId: a.profileId, otherProfileIds: a.otherProfileIds, identifiers: a.identifiers, rule: a.rule, reason: a.reason, from });

export function identityReport(found: IdentityFound, rows: IdentityRows): StageReport & { profile: Record<string, unknown> | null } {
  const steps: StepDraft[] = [];
  for (const f of found.resolved) {
    const e = f.value;
    const merging = e.mergedProfileIds.length === 0 ? '' : `; merged ${e.mergedProfileIds.join(', ')} into it`;
    steps.push(
      step('identity', e.resolvedAt, `resolved to profile ${e.profileId} → events.resolved${merging}`, {
        profileId: e.profileId,
        mergedProfileIds: e.mergedProfileIds,
        doNotContact: e.doNotContact,
        topic: f.topic,
        partition: f.partition,
        offset: f.offset,
      }),
    );
  }
  // The same decision on the topic and in its row is one step.
  const onTopic = new Set(found.audits.map((f) => f.value.auditId));
  const inRows = new Set(rows.audits.map((a) => a.auditId));
  const audits = new Map([...rows.audits.map((a) => [a.auditId, a] as const), ...found.audits.map((f) => [f.value.auditId, auditOfRecord(f.value)] as const)]);
  for (const a of audits.values()) {
    const from = [onTopic.has(a.auditId) ? 'identity.audit' : [], inRows.has(a.auditId) ? 'identity_audit' : []].flat().join(', ');
    steps.push(step('identity', a.occurredAt, decision(a), auditDetails(a, from)));
  }
  const resolvedTo = found.resolved.at(-1)?.value.profileId ?? rows.archived?.profileId ?? null;
  if (found.resolved.length === 0 && rows.archived !== null) {
    // The resolve time is not stored; the archive row's receive time keeps the step near the rest.
    steps.push(step('identity', rows.archived.receivedAt, `on the timeline of profile ${rows.archived.profileId} (events.resolved is older than the scanned window)`, { profileId: rows.archived.profileId, atIs: 'receivedAt of the event' }));
  }
  for (const m of rows.laterMerges) steps.push(step('identity', m.occurredAt, `later: ${decision(m)}${m.messageId === null ? '' : `, caused by event ${m.messageId}`}`, auditDetails(m, 'identity_audit')));
  if (resolvedTo === null) {
    const status = steps.length === 0 ? [] : ['identity decisions recorded, but no resolved record found'];
    return { steps, found: { resolved: 0, audits: audits.size, archived: false }, status, profile: null };
  }
  const currentId = currentProfileOf(rows, resolvedTo);
  const refusals = [...audits.values()].filter((a) => a.action === 'review' || a.action === 'reject');
  const now = currentId === resolvedTo ? '' : `, since merged into ${currentId}`;
  const held = refusals.length === 0 ? '' : `; ${refusals.length} merge${refusals.length === 1 ? '' : 's'} held or refused (${[...new Set(refusals.map((a) => a.reason ?? a.action))].join(', ')})`;
  return {
    steps,
    found: { resolved: found.resolved.length, audits: audits.size, archived: rows.archived !== null },
    status: [`resolved to profile ${resolvedTo}${now}${held}`],
    profile: { resolvedTo, currentId, merged: currentId !== resolvedTo, archivedOn: rows.archived?.profileId ?? null, archivedAt: rows.archived === null ? null : iso(rows.archived.eventTs) },
  };
}
