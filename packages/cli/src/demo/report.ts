/** The demo's printed report: per destination what arrived and what did not and why, the duplicate, the profiles. Pure. */
import type { DestinationVerdict, Skipped } from './checks';
import type { EventSummary } from './mock-console-client';
import type { DemoPlan } from './plan';
import type { ProfileRow } from './profiles';
import { EXPECTED_IDENTIFIERS, consentOf } from './profiles';
import { table } from './table';

function userName(plan: DemoPlan, key: string | undefined): string {
  return plan.users.find((u) => u.key === key)?.name ?? '?';
}

function userOfSummary(plan: DemoPlan, s: EventSummary): string | undefined {
  return plan.users.find((u) => (s.anonymousId !== null && u.anonymousId === s.anonymousId) || (s.userId !== null && u.userId === s.userId))?.key;
}

/** "Ada Lovelace 3, Edsger Dijkstra 6" (with `note` per message, e.g. "before granting") and the reasons the outcomes gave. */
function byUser(plan: DemoPlan, skipped: readonly Skipped[], note: (s: Skipped) => string = () => ''): string {
  const counts = new Map<string, Map<string, number>>();
  for (const s of skipped) {
    const perNote = counts.get(s.message.user) ?? new Map<string, number>();
    perNote.set(note(s), (perNote.get(note(s)) ?? 0) + 1);
    counts.set(s.message.user, perNote);
  }
  const reasons = [...new Set(skipped.map((s) => s.reason ?? 'no outcome yet'))];
  const parts = [...counts].map(([user, perNote]) => `${userName(plan, user)} ${[...perNote].map(([text, n]) => `${n}${text === '' ? '' : ` ${text}`}`).join(' + ')}`);
  return `${parts.join(', ')}  [${reasons.join(', ')}]`;
}

/** Why a consent-filtered message had no consent when it was sent: the user had not granted yet, never did, or had withdrawn. */
function consentNote(plan: DemoPlan): (s: Skipped) => string {
  return ({ message }) => {
    const earlier = plan.messages.slice(0, plan.messages.indexOf(message)).filter((m) => m.user === message.user);
    if (earlier.some((m) => m.consented)) return 'after withdrawing';
    return plan.messages.some((m) => m.user === message.user && m.consented) ? 'before granting' : 'never granted';
  };
}

export function formatDestination(v: DestinationVerdict, plan: DemoPlan, mockUrl: string, rows: number): string[] {
  const { spec } = v;
  const filter = spec.consentPurpose === null ? '' : `   consent filter: ${spec.consentPurpose}`;
  const lines = [`${spec.name}  ${spec.type} → ${mockUrl}${filter}`];
  lines.push(`  arrived ${v.arrived.length - v.unexpected.length} of ${v.expected} expected · received twice: ${v.repeated.length}${spec.carriesMessageId ? '' : '   (GA4 events carry no messageId: matched by client id and name)'}`);
  const shown = rows === 0 ? v.arrived : v.arrived.slice(0, rows);
  if (shown.length > 0) {
    const body = shown.map((a) => {
      const user = a.message?.user ?? userOfSummary(plan, a.summary);
      const who = `${userName(plan, user)}${a.summary.profileId === null ? '' : ` (${a.summary.profileId})`}`;
      return [a.summary.messageId ?? '—', a.summary.event, who, a.summary.detail ?? ''];
    });
    lines.push(...table([['messageId', 'event', 'user (profile)', 'detail'], ...body]));
    if (shown.length < v.arrived.length) lines.push(`    … ${v.arrived.length - shown.length} more (--rows 0 lists all)`);
  }
  if (v.filteredByConsent.length > 0) lines.push(`  filtered by consent (${spec.consentPurpose}, opt-in): ${v.filteredByConsent.length} — ${byUser(plan, v.filteredByConsent, consentNote(plan))}`);
  if (v.retried.length > 0) lines.push(`  delivered after retrying: ${v.retried.length} (${[...new Set(v.retried.flatMap((r) => r.reasons))].join(', ')})`);
  if (v.notForPlatform.length > 0) {
    const types = [...new Set(v.notForPlatform.map((s) => s.message.type))].join(', ');
    lines.push(`  not sent, the platform takes no ${types} calls: ${v.notForPlatform.length} — ${byUser(plan, v.notForPlatform)}`);
  }
  for (const m of v.missing) lines.push(`  MISSING ${m.message.messageId} (${userName(plan, m.message.user)}, ${m.message.label}): ${m.outcome}`);
  for (const a of v.unexpected) lines.push(`  UNEXPECTED ${a.summary.messageId ?? a.summary.event} (${userName(plan, a.message?.user ?? userOfSummary(plan, a.summary))}, ${a.message?.label ?? a.summary.event}) arrived although it should not`);
  for (const r of v.repeated) lines.push(`  RECEIVED TWICE ${r.messageId ?? r.event}`);
  for (const p of v.outcomeProblems) lines.push(`  OUTCOME ${p}`);
  return lines;
}

export function formatDuplicate(plan: DemoPlan, fate: string): string[] {
  const m = plan.messages.find((x) => x.messageId === plan.duplicateMessageId)!;
  const what: Record<string, string> = {
    dropped_by_dedup: 'every destination got it once: the dedup stage dropped the repeat before delivery (one delivery outcome per destination)',
    skipped_by_ledger: 'every destination got it once: the repeat reached delivery and the ledger skipped it (already_delivered)',
    delivered_twice: 'DELIVERED TWICE to a destination',
    undecided: 'not every destination has an outcome for it yet',
    not_sent: 'no: the demo stopped before sending it again',
  };
  return [`Duplicate: ${m.messageId} (${userName(plan, m.user)}, ${m.label}) was sent twice; ${what[fate] ?? fate}.`];
}

export function formatProfiles(rows: readonly ProfileRow[]): string[] {
  const body = rows.map((r) => {
    const types = new Set(r.profile?.identifiers.map((i) => i.type) ?? []);
    return [r.user.name, r.profile?.id ?? '(none)', EXPECTED_IDENTIFIERS.filter((t) => types.has(t)).join(', '), consentOf(r.profile) ?? '—', String(r.events), r.profile ? String(r.profile.mergedProfileIds.length) : ''];
  });
  return [
    'Profiles formed (profile API: GET /v1/profiles?identifier=user_id:…)',
    ...table([['user', 'profile', 'identifiers', 'marketing', 'events', 'merged'], ...body], '  '),
    ...rows.flatMap((r) => r.problems.map((p) => `  PROBLEM ${r.user.name}: ${p}`)),
  ];
}
