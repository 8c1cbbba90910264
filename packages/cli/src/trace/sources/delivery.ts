/**
 * Delivery, per destination: every attempt's outcome (delivery.outcomes), the retry tiers a failed
 * attempt waited in, the attempts released back to the adapter (delivery.attempts: retries that
 * came due, operators' replays), dead letters (delivery.dlq and their index in PostgreSQL, with
 * replay counts), the ledger row written when a platform accepted it, and the order queue an
 * event waits in behind an earlier failed one. Destinations are named from the destinations table.
 */
import { epochMs, type Db } from '@stratum/db';
import type { DeadLetter, DeliveryAttempt, DeliveryError, DeliveryOutcome } from '@stratum/schemas';
import { topicNamed } from '@stratum/topics';
import { collect, type Found, type TraceContext } from '../context';
import { iso, step, type StageReport, type StepDraft } from '../timeline';
import type { ScanTarget } from '../topic-scan';

export interface RetryTierFound {
  /** 1 for the first tier. */
  readonly tier: number;
  /** The catalogue name, e.g. delivery.retry.30s. */
  readonly topic: string;
  readonly found: Array<Found<DeliveryAttempt>>;
}

export interface DeliveryFound {
  readonly attempts: Array<Found<DeliveryAttempt>>;
  readonly tiers: RetryTierFound[];
  readonly outcomes: Array<Found<DeliveryOutcome>>;
  readonly dlq: Array<Found<DeadLetter>>;
}

export function emptyDeliveryFound(): DeliveryFound {
  const tiers = topicNamed('delivery.attempts').retryTiers.map((t, i) => ({ tier: i + 1, topic: t.topic, found: [] }));
  return { attempts: [], tiers, outcomes: [], dlq: [] };
}

export function deliveryTargets(ctx: TraceContext, into: DeliveryFound): ScanTarget[] {
  const ours = (v: { tenantId: string; messageId: string }) => v.tenantId === ctx.tenantId && v.messageId === ctx.messageId;
  return [
    collect(ctx, { topic: 'delivery.attempts', schema: 'delivery.attempts', matches: ours, into: into.attempts }),
    // Tiers carry delivery.attempts' schema under subjects of their own.
    ...into.tiers.map((t) => collect(ctx, { topic: t.topic, schema: 'delivery.attempts', matches: ours, into: t.found })),
    collect(ctx, { topic: 'delivery.outcomes', schema: 'delivery.outcomes', matches: ours, into: into.outcomes }),
    collect(ctx, { topic: 'delivery.dlq', schema: 'delivery.dlq', matches: ours, into: into.dlq }),
  ];
}

export interface DestinationRow {
  readonly destinationId: string;
  readonly name: string;
  readonly type: string;
  readonly enabled: boolean;
}

/** Where the delivery to one destination stands. */
export interface DestinationState {
  readonly destinationId: string;
  /** Null when the destination no longer exists. */
  readonly destination: string | null;
  readonly destinationType: string;
  readonly state: string;
}

export interface DeliveryRows {
  readonly destinations: Map<string, DestinationRow>;
  readonly ledger: Array<{ destinationId: string; attempt: number; externalId: string | null; deliveredAt: number }>;
  readonly deadLetters: Array<{
    dlqId: string;
    destinationId: string;
    attempts: number;
    reason: string;
    lastError: DeliveryError | null;
    originTopic: string;
    deadLetteredAt: number;
    replayCount: number;
    lastReplayedAt: number | null;
    purgedAt: number | null;
  }>;
  readonly queued: Array<{ destinationId: string; enqueuedAt: number }>;
}

const ms = (v: string | null) => (v === null ? null : Number(v));

/** Reads in the caller's tenant-scoped snapshot (withTenant). */
export async function readDeliveryRows(trx: Db, tenantId: string, messageId: string): Promise<DeliveryRows> {
  const destinations: Array<{ destination_id: string; name: string; type: string; enabled: boolean }> = await trx('destinations').where('tenant_id', tenantId).select('destination_id', 'name', 'type', 'enabled');
  const ledger = await trx.raw<{ rows: Array<{ destination_id: string; attempt: number; external_id: string | null; delivered_ms: string }> }>(
    `SELECT destination_id, attempt, external_id, ${epochMs('delivered_at')} AS delivered_ms FROM delivery_ledger WHERE tenant_id = ? AND message_id = ?`,
    [tenantId, messageId],
  );
  const dead = await trx.raw<{
    rows: Array<{ dlq_id: string; destination_id: string; attempts: number; reason: string; last_error: DeliveryError | null; origin_topic: string; dead_ms: string; replay_count: number; replayed_ms: string | null; purged_ms: string | null }>;
  }>(
    `SELECT dlq_id, destination_id, attempts, reason, last_error, origin_topic, ${epochMs('dead_lettered_at')} AS dead_ms, replay_count,
            ${epochMs('last_replayed_at')} AS replayed_ms, ${epochMs('purged_at')} AS purged_ms
       FROM delivery_dead_letters WHERE tenant_id = ? AND message_id = ? ORDER BY dead_lettered_at`,
    [tenantId, messageId],
  );
  const queued = await trx.raw<{ rows: Array<{ destination_id: string; enqueued_ms: string }> }>(
    `SELECT destination_id, ${epochMs('enqueued_at')} AS enqueued_ms FROM delivery_order_queue WHERE tenant_id = ? AND message_id = ?`,
    [tenantId, messageId],
  );
  return {
    destinations: new Map(destinations.map((d) => [d.destination_id, { destinationId: d.destination_id, name: d.name, type: d.type, enabled: d.enabled }])),
    ledger: ledger.rows.map((r) => ({ destinationId: r.destination_id, attempt: r.attempt, externalId: r.external_id, deliveredAt: Number(r.delivered_ms) })),
    deadLetters: dead.rows.map((r) => ({
      dlqId: r.dlq_id,
      destinationId: r.destination_id,
      attempts: r.attempts,
      reason: r.reason,
      lastError: r.last_error,
      originTopic: r.origin_topic,
      deadLetteredAt: Number(r.dead_ms),
      replayCount: r.replay_count,
      lastReplayedAt: ms(r.replayed_ms),
      purgedAt: ms(r.purged_ms),
    })),
    queued: queued.rows.map((r) => ({ destinationId: r.destination_id, enqueuedAt: Number(r.enqueued_ms) })),
  };
}

interface Position {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

const positionOf = (f: Found<unknown>): Position => ({ topic: f.topic, partition: f.partition, offset: f.offset });

/** One thing that happened to the delivery to one destination, for its current state. */
type Fact =
  | { kind: 'outcome'; at: number; o: DeliveryOutcome; from: Position }
  | { kind: 'tier'; at: number; a: DeliveryAttempt; tier: RetryTierFound; from: Position }
  | { kind: 'attempt'; at: number; a: DeliveryAttempt; from: Position }
  | { kind: 'dead'; at: number; d: DeliveryRows['deadLetters'][number] }
  | { kind: 'ledger'; at: number; l: DeliveryRows['ledger'][number] }
  | { kind: 'queued'; at: number };

function errorText(e: DeliveryError | null): string {
  if (e === null) return '';
  return ` (last error ${e.code}${e.httpStatus === null ? '' : `, HTTP ${e.httpStatus}`})`;
}

function outcomeText(o: DeliveryOutcome): string {
  const http = o.httpStatus === null ? '' : ` (HTTP ${o.httpStatus}${o.latencyMs === null ? '' : `, ${o.latencyMs} ms`})`;
  const next = o.nextAttemptAt === null ? '' : `; next attempt due ${iso(o.nextAttemptAt)}`;
  return `attempt ${o.attempt} ${o.status}${o.reason === null ? '' : `: ${o.reason}`}${http}${next}`;
}

function deadLetterText(d: DeliveryRows['deadLetters'][number]): string {
  const replays = d.replayCount === 0 ? 'never replayed' : `replayed ${d.replayCount} time${d.replayCount === 1 ? '' : 's'}${d.lastReplayedAt === null ? '' : `, last ${iso(d.lastReplayedAt)}`}`;
  return `dead letter ${d.dlqId}: ${d.reason} after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${errorText(d.lastError)}; ${replays}${d.purgedAt === null ? '' : `; purged ${iso(d.purgedAt)}`}`;
}

/** Where the delivery to one destination stands, from its latest fact. */
function stateOf(facts: readonly Fact[], tenantId: string): string {
  const ledger = facts.find((f) => f.kind === 'ledger');
  if (ledger?.kind === 'ledger') return `delivered ${iso(ledger.l.deliveredAt)} (attempt ${ledger.l.attempt})`;
  const last = facts.at(-1);
  switch (last?.kind) {
    case undefined:
      return 'nothing found';
    case 'outcome': {
      const o = last.o;
      if (o.status === 'delivered') return `delivered ${iso(o.occurredAt)} (attempt ${o.attempt})`;
      if (o.status === 'retrying') {
        if (o.reason === 'held_for_order') return `held since ${iso(o.occurredAt)} behind an earlier event of the profile (per-key order)`;
        return `retrying since ${iso(o.occurredAt)}: attempt ${o.attempt + 1} due ${o.nextAttemptAt === null ? '(time unknown)' : iso(o.nextAttemptAt)}`;
      }
      const dead = [...facts].reverse().find((f) => f.kind === 'dead');
      const dlq = dead?.kind === 'dead' ? `; ${deadLetterText(dead.d)} (replay: stratum dlq replay --tenant ${tenantId} --dlq-id ${dead.d.dlqId})` : '';
      return `${o.status}${o.reason === null ? '' : `: ${o.reason}`} (attempt ${o.attempt})${dlq}`;
    }
    case 'tier':
      return `waiting in retry tier ${last.tier.tier} (${last.tier.topic}) since ${iso(last.at)}: attempt ${last.a.attempt} failed${errorText(last.a.lastError)}, attempt ${last.a.attempt + 1} due ${iso(last.a.notBefore)}`;
    case 'attempt':
      return last.a.replayOf === null
        ? `attempt ${last.a.attempt} on delivery.attempts since ${iso(last.at)}, no outcome yet (delivery-adapter lagging?)`
        : `replayed from dead letter ${last.a.replayOf}: attempt ${last.a.attempt} on delivery.attempts since ${iso(last.at)}, no outcome yet`;
    case 'dead':
      return `${deadLetterText(last.d)} (replay: stratum dlq replay --tenant ${tenantId} --dlq-id ${last.d.dlqId})`;
    case 'queued':
      return `held in the order queue since ${iso(last.at)}, behind an earlier failed event of the profile`;
    case 'ledger':
      return `delivered ${iso(last.l.deliveredAt)} (attempt ${last.l.attempt})`;
  }
}

export function deliveryReport(found: DeliveryFound, rows: DeliveryRows, tenantId: string): StageReport {
  const facts = new Map<string, Fact[]>();
  const types = new Map<string, string>();
  const add = (destinationId: string, fact: Fact, type?: string) => {
    facts.set(destinationId, [...(facts.get(destinationId) ?? []), fact]);
    if (type !== undefined) types.set(destinationId, type);
  };
  for (const f of found.outcomes) add(f.value.destinationId, { kind: 'outcome', at: f.value.occurredAt, o: f.value, from: positionOf(f) }, f.value.destinationType);
  for (const t of found.tiers) for (const f of t.found) add(f.value.destinationId, { kind: 'tier', at: f.timestamp, a: f.value, tier: t, from: positionOf(f) }, f.value.destinationType);
  for (const f of found.attempts) add(f.value.destinationId, { kind: 'attempt', at: f.timestamp, a: f.value, from: positionOf(f) }, f.value.destinationType);
  // A dead letter on the topic and in the index is one: the index row has the replay count.
  const indexed = new Set(rows.deadLetters.map((d) => d.dlqId));
  for (const d of rows.deadLetters) add(d.destinationId, { kind: 'dead', at: d.deadLetteredAt, d });
  for (const f of found.dlq) {
    const d = f.value;
    if (indexed.has(d.dlqId)) continue;
    const row = { dlqId: d.dlqId, destinationId: d.destinationId, attempts: d.attempts, reason: d.reason, lastError: d.lastError, originTopic: d.originTopic, deadLetteredAt: d.deadLetteredAt, replayCount: 0, lastReplayedAt: null, purgedAt: null };
    add(d.destinationId, { kind: 'dead', at: d.deadLetteredAt, d: row }, d.destinationType);
  }
  for (const l of rows.ledger) add(l.destinationId, { kind: 'ledger', at: l.deliveredAt, l });
  for (const q of rows.queued) add(q.destinationId, { kind: 'queued', at: q.enqueuedAt });

  const steps: StepDraft[] = [];
  const destinations: DestinationState[] = [];
  for (const [destinationId, list] of facts) {
    list.sort((a, b) => a.at - b.at);
    const row = rows.destinations.get(destinationId);
    const type = row?.type ?? types.get(destinationId) ?? 'unknown type';
    const label = row === undefined ? `${destinationId} (${type}, no such destination now)` : `${row.name} (${type}${row.enabled ? '' : ', disabled'})`;
    const ledger = rows.ledger.find((l) => l.destinationId === destinationId);
    const head = { destinationId, destination: row?.name ?? null, destinationType: type };
    for (const f of list) {
      switch (f.kind) {
        case 'outcome': {
          const inLedger = f.o.status === 'delivered' && ledger !== undefined;
          steps.push(
            step('delivery', f.at, `${label}: ${outcomeText(f.o)}${inLedger ? '; in the delivery ledger' : ''}`, {
              ...head,
              attempt: f.o.attempt,
              status: f.o.status,
              reason: f.o.reason,
              httpStatus: f.o.httpStatus,
              latencyMs: f.o.latencyMs,
              externalId: f.o.externalId,
              nextAttemptAt: f.o.nextAttemptAt === null ? null : iso(f.o.nextAttemptAt),
              ...(inLedger ? { ledger: { deliveredAt: iso(ledger.deliveredAt), attempt: ledger.attempt, externalId: ledger.externalId } } : {}),
              ...f.from,
            }),
          );
          break;
        }
        case 'tier':
          steps.push(
            // At the record's Kafka timestamp: when the adapter wrote it to the tier, right after the attempt failed.
            step('delivery', f.at, `${label}: queued in retry tier ${f.tier.tier} (${f.tier.topic}): attempt ${f.a.attempt + 1} due ${iso(f.a.notBefore)}`, {
              ...head,
              tier: f.tier.tier,
              failedAttempt: f.a.attempt,
              lastError: f.a.lastError,
              notBefore: iso(f.a.notBefore),
              ...f.from,
            }),
          );
          break;
        case 'attempt': {
          const what = f.a.replayOf === null ? `attempt ${f.a.attempt} due → delivery.attempts` : `replay of dead letter ${f.a.replayOf} → delivery.attempts as attempt ${f.a.attempt}${f.a.backfill ? ' (backfill)' : ''}`;
          steps.push(step('delivery', f.at, `${label}: ${what}`, { ...head, attempt: f.a.attempt, replayOf: f.a.replayOf, backfill: f.a.backfill, ...f.from }));
          break;
        }
        case 'dead':
          steps.push(step('delivery', f.at, `${label}: ${deadLetterText(f.d)}`, { ...head, ...f.d, deadLetteredAt: iso(f.d.deadLetteredAt), lastReplayedAt: f.d.lastReplayedAt === null ? null : iso(f.d.lastReplayedAt), purgedAt: f.d.purgedAt === null ? null : iso(f.d.purgedAt) }));
          break;
        case 'ledger':
          // Shown on its own only when no delivered outcome carries it (the outcome is older than the scanned window).
          if (!list.some((x) => x.kind === 'outcome' && x.o.status === 'delivered')) {
            steps.push(step('delivery', f.at, `${label}: delivered (delivery ledger, attempt ${f.l.attempt}; its outcome record is older than the scanned window)`, { ...head, attempt: f.l.attempt, externalId: f.l.externalId }));
          }
          break;
        case 'queued':
          steps.push(step('delivery', f.at, `${label}: held in the order queue behind an earlier failed event of the profile`, head));
          break;
      }
    }
    destinations.push({ ...head, state: stateOf(list, tenantId) });
  }
  const status = destinations.map((d) => `${d.destination ?? d.destinationId}: ${d.state}`);
  return {
    steps,
    found: {
      outcomes: found.outcomes.length,
      attempts: found.attempts.length,
      retryTiers: Object.fromEntries(found.tiers.map((t) => [t.topic, t.found.length])),
      deadLetters: new Set([...rows.deadLetters.map((d) => d.dlqId), ...found.dlq.map((f) => f.value.dlqId)]).size,
      ledger: rows.ledger.length,
      orderQueue: rows.queued.length,
      destinations,
    },
    status,
  };
}
