/**
 * Whether each destination got what it should: what the mock recorded for this run, matched to
 * the plan, against each message's expected fate and its delivery outcome. Pure, so the rules
 * ("a consent-filtered event must not arrive, and its outcome must say consent") are testable
 * without a platform.
 */
import type { DeliveryOutcome } from '@stratum/schemas';
import type { DemoDestinationSpec } from './destinations';
import { fateOf, ga4EventName, type Fate } from './expectations';
import type { EventSummary, MockRecording } from './mock-console-client';
import type { DemoPlan, PlannedMessage } from './plan';

export type Outcome = Pick<DeliveryOutcome, 'status' | 'reason'>;

export interface Arrival {
  readonly summary: EventSummary;
  /** The planned message it is, when it could be told (GA4 events are matched by user and name). */
  readonly message: PlannedMessage | null;
}

export interface Skipped {
  readonly message: PlannedMessage;
  /** The outcome's reason (consent_denied…), null while there is no final outcome. */
  readonly reason: string | null;
}

export interface DestinationVerdict {
  readonly spec: DemoDestinationSpec;
  /** How many of the sent messages should have arrived. */
  readonly expected: number;
  readonly arrived: readonly Arrival[];
  /** Expected and not at the mock, with what delivery says about it. */
  readonly missing: ReadonlyArray<{ readonly message: PlannedMessage; readonly outcome: string }>;
  /** At the mock although they should not be (consent-filtered, or not this platform's type). */
  readonly unexpected: readonly Arrival[];
  /** Events of this run the platform received more than once (it recorded a repeat). */
  readonly repeated: readonly EventSummary[];
  readonly filteredByConsent: readonly Skipped[];
  readonly notForPlatform: readonly Skipped[];
  /** Messages delivered here only after failed attempts (a mock fault, say), with the failures' reasons. */
  readonly retried: ReadonlyArray<{ readonly message: PlannedMessage; readonly reasons: readonly string[] }>;
  /** Outcomes that contradict the expected fate. */
  readonly outcomeProblems: readonly string[];
  readonly ok: boolean;
}

const CONSENT_REASONS = new Set(['consent_denied', 'consent_revoked']);

/** The decisive outcome: the last final one, else the last one. */
export function decisive(outcomes: readonly Outcome[]): Outcome | undefined {
  return [...outcomes].reverse().find((o) => o.status !== 'retrying') ?? outcomes[outcomes.length - 1];
}

export function describeOutcome(o: Outcome | undefined): string {
  if (o === undefined) return 'no delivery outcome yet';
  return o.reason === null ? o.status : `${o.status} (${o.reason})`;
}

function outcomeProblem(fate: Fate, o: Outcome | undefined): string | null {
  if (o === undefined || o.status === 'retrying') return describeOutcome(o);
  if (fate === 'arrive') return o.status === 'delivered' ? null : describeOutcome(o);
  if (fate === 'consent') return o.status === 'skipped' && o.reason !== null && CONSENT_REASONS.has(o.reason) ? null : `${describeOutcome(o)}, expected skipped for consent`;
  return o.status === 'skipped' ? null : `${describeOutcome(o)}, expected skipped (the platform takes no such call)`;
}

/** The run's events at a mock, each matched to its planned message where possible. */
function arrivalsAt(spec: DemoDestinationSpec, plan: DemoPlan, events: readonly EventSummary[], expected: readonly PlannedMessage[]): { arrived: Arrival[]; unmatchedExpected: PlannedMessage[] } {
  const prefix = `demo-${plan.runId}-`;
  if (spec.carriesMessageId) {
    const byId = new Map(plan.messages.map((m) => [m.messageId, m]));
    const arrived = events.filter((e) => e.messageId?.startsWith(prefix)).map((summary) => ({ summary, message: byId.get(summary.messageId!) ?? null }));
    const ids = new Set(arrived.map((a) => a.summary.messageId));
    return { arrived, unmatchedExpected: expected.filter((m) => !ids.has(m.messageId)) };
  }
  // No messageId (GA4): the user by client id or user id, then the first expected message of that user with the platform's name.
  const userOf = (e: EventSummary) => plan.users.find((u) => u.anonymousId === e.anonymousId || u.userId === e.userId)?.key;
  const open = [...expected];
  const arrived = events.flatMap((summary): Arrival[] => {
    const user = userOf(summary);
    if (user === undefined) return [];
    const i = open.findIndex((m) => m.user === user && ga4EventName(m) === summary.event);
    const message = i >= 0 ? open.splice(i, 1)[0]! : null;
    return [{ summary, message }];
  });
  return { arrived, unmatchedExpected: open };
}

export function checkDestination(spec: DemoDestinationSpec, plan: DemoPlan, sent: readonly PlannedMessage[], recording: Pick<MockRecording, 'events' | 'duplicates'>, outcomesOf: (messageId: string) => readonly Outcome[]): DestinationVerdict {
  const fates = sent.map((message) => ({ message, fate: fateOf(spec, message), outcome: decisive(outcomesOf(message.messageId)) }));
  const expected = fates.filter((f) => f.fate === 'arrive').map((f) => f.message);
  const matched = arrivalsAt(spec, plan, recording.events, expected);
  const { unmatchedExpected } = matched;
  // In plan order (the platforms get them in whatever order the partitions deliver), unmatched last.
  const order = new Map(plan.messages.map((m, i) => [m.messageId, i]));
  const arrived = [...matched.arrived].sort((a, b) => (a.message ? order.get(a.message.messageId)! : Infinity) - (b.message ? order.get(b.message.messageId)! : Infinity));
  const shouldArrive = new Set(expected.map((m) => m.messageId));
  const unexpected = arrived.filter((a) => a.message === null || !shouldArrive.has(a.message.messageId));
  const prefix = `demo-${plan.runId}-`;
  const seenIds = arrived.map((a) => a.summary.messageId).filter((id): id is string => id !== null);
  const repeated = [
    ...recording.duplicates.filter((d) => d.messageId?.startsWith(prefix)),
    ...arrived.filter((a, i) => a.summary.messageId !== null && seenIds.indexOf(a.summary.messageId) !== i).map((a) => a.summary),
  ];
  const missing = unmatchedExpected.map((message) => ({ message, outcome: describeOutcome(decisive(outcomesOf(message.messageId))) }));
  const missingIds = new Set(unmatchedExpected.map((m) => m.messageId));
  const skipped = (fate: Fate) => fates.filter((f) => f.fate === fate).map((f) => ({ message: f.message, reason: f.outcome?.status === 'skipped' ? f.outcome.reason : null }));
  const outcomeProblems = fates.flatMap((f) => {
    // A missing arrival is reported as missing, with its outcome; no need to say it twice.
    if (missingIds.has(f.message.messageId)) return [];
    const problem = outcomeProblem(f.fate, f.outcome);
    return problem === null ? [] : [`${f.message.messageId} (${f.message.label}): ${problem}`];
  });
  return {
    spec,
    expected: expected.length,
    arrived,
    missing,
    unexpected,
    repeated,
    filteredByConsent: skipped('consent'),
    notForPlatform: skipped('not_applicable'),
    retried: fates.flatMap(({ message }) => {
      const outcomes = outcomesOf(message.messageId);
      const failed = outcomes.filter((o) => o.status === 'retrying');
      return failed.length === 0 || !outcomes.some((o) => o.status === 'delivered') ? [] : [{ message, reasons: failed.map((o) => o.reason ?? 'retrying') }];
    }),
    outcomeProblems,
    ok: missing.length === 0 && unexpected.length === 0 && repeated.length === 0 && outcomeProblems.length === 0,
  };
}

/** What became of the message sent twice: one outcome per destination means dedup dropped the repeat before delivery. */
export function duplicateFate(outcomesPerDestination: ReadonlyArray<readonly Outcome[]>): 'dropped_by_dedup' | 'skipped_by_ledger' | 'delivered_twice' | 'undecided' {
  if (outcomesPerDestination.some((list) => list.filter((o) => o.status === 'delivered').length > 1)) return 'delivered_twice';
  if (outcomesPerDestination.some((list) => !list.some((o) => o.status !== 'retrying'))) return 'undecided';
  if (outcomesPerDestination.some((list) => list.some((o) => o.reason === 'already_delivered'))) return 'skipped_by_ledger';
  return 'dropped_by_dedup';
}
